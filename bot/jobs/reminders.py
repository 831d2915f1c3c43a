"""The reminder cycle, the same code for the scheduler inside `charter run` and for
`charter nudges`: plan and queue (domain), then send within hours and Teams' limits.

Under the scheduler each run is claimed first (storage/job_claims.py), so when several
workers or instances share one database the 09:00 cycle plans and queues once a day, a send
runs once per five minutes (plus the cycle's own), and no two sends overlap anywhere: each
paces itself to Teams' limit for the whole tenant. A cycle whose run died is taken over by a
sweep once its claim is CLAIM_LIFETIME old; a run that failed releases its claim at once.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import TYPE_CHECKING, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.nudge_sender import NudgeSender, SendReport
from services.audit import AuditTrail, Channel
from services.nudges import CycleReport
from services.retention_run import (
    RetentionReport,
    apply_retention,
    claim_nightly_run,
    finish_nightly_run,
)
from storage import job_claims

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("charter.reminders")

CYCLE_JOB = "reminder-cycle"  # plan and queue, once a day
SEND_JOB = "reminder-send"  # never two at once: together they would break the pace
# Longer than a send of a whole council's digests takes (6,000 at 20-48 a second).
CLAIM_LIFETIME = timedelta(minutes=15)
CLAIMS_KEPT = timedelta(days=7)
# This process among the workers and instances (the host and pid can repeat across restarts).
WORKER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

T = TypeVar("T")


@dataclass(frozen=True)
class CycleOutcome:
    planned: CycleReport
    sent: SendReport | None
    not_sent_because: str | None = None


def make_sender(runtime: Runtime) -> NudgeSender:
    return NudgeSender(
        runtime.database,
        runtime.teams_delivery(),
        tenant_rate=runtime.settings.nudge_rate,
        now=runtime.services.clock.now,
    )


async def send_if_allowed(
    runtime: Runtime, *, deliver_now: bool = False
) -> tuple[SendReport | None, str | None]:
    allowed, why = runtime.services.nudges.sending_allowed(deliver_now=deliver_now)
    if not allowed:
        return None, why
    return await make_sender(runtime).send_pending(), None


async def reminder_cycle(
    runtime: Runtime, as_of: date, *, dry_run: bool = False, deliver_now: bool = False
) -> CycleOutcome:
    """``deliver_now`` (``charter nudges --deliver-now``, never the scheduler's): send the
    queued digests outside the sending days and hours, for a demo or a support check."""
    planned = await runtime.services.nudges.run_cycle(as_of, dry_run=dry_run)
    if dry_run:
        return CycleOutcome(planned, None)
    sent, why = await send_if_allowed(runtime, deliver_now=deliver_now)
    return CycleOutcome(planned, sent, why)


async def run_claimed(
    runtime: Runtime,
    job: str,
    slot: str,
    work: Callable[[], Awaitable[T]],
    *,
    not_while: tuple[str, ...] = (),
    retake_only: bool = False,
) -> T | None:
    """Run ``work`` if this worker claims ``job`` for ``slot``; None if it does not."""
    clock, database = runtime.services.clock, runtime.database
    async with database.transaction() as session:
        claimed = await job_claims.claim(
            session,
            job=job,
            slot=slot,
            worker=WORKER,
            now=clock.now(),
            stale_after=CLAIM_LIFETIME,
            not_while=not_while,
            retake_only=retake_only,
        )
    if not claimed:
        log.debug("%s %s: done or under way elsewhere", job, slot)
        return None
    try:
        result = await work()
    except BaseException:
        # Failed (or cancelled at shutdown): let the next run have it now, not in 15 minutes.
        async with database.transaction() as session:
            await job_claims.release(
                session,
                job=job,
                slot=slot,
                worker=WORKER,
                now=clock.now(),
                stale_after=CLAIM_LIFETIME,
            )
        raise
    async with database.transaction() as session:
        await job_claims.finish(session, job=job, slot=slot, worker=WORKER, now=clock.now())
    return result


def sweep_slot(now: datetime) -> str:
    """The five minutes ``now`` falls in: one sweep each, whichever instance gets there."""
    return f"{now:%Y-%m-%dT%H}:{now.minute - now.minute % 5:02d}"


async def send_alone(runtime: Runtime, slot: str) -> tuple[SendReport | None, str | None]:
    """Send what is due, unless a send is running anywhere (it takes what is queued)."""
    outcome = await run_claimed(
        runtime, SEND_JOB, slot, lambda: send_if_allowed(runtime), not_while=(SEND_JOB,)
    )
    return outcome or (None, "a send is under way (here or on another instance)")


async def scheduled_cycle(runtime: Runtime, *, retake_only: bool = False) -> CycleOutcome | None:
    """Today's cycle, once across all workers and instances."""
    clock = runtime.services.clock
    today = clock.today()

    async def cycle() -> CycleOutcome:
        async with runtime.database.transaction() as session:
            await job_claims.forget_before(session, clock.now() - CLAIMS_KEPT)
        planned = await runtime.services.nudges.run_cycle(today)
        sent, why = await send_alone(runtime, f"cycle {today.isoformat()}")
        return CycleOutcome(planned, sent, why)

    outcome = await run_claimed(
        runtime, CYCLE_JOB, today.isoformat(), cycle, retake_only=retake_only
    )
    if outcome is not None:
        log.info(
            "reminder cycle: %s due, %s digests queued, %s sent%s",
            outcome.planned.due_items,
            outcome.planned.queued_digests,
            outcome.sent.sent if outcome.sent else 0,
            f" (not sent: {outcome.not_sent_because})" if outcome.not_sent_because else "",
        )
    return outcome


async def scheduled_sweep(runtime: Runtime) -> SendReport | None:
    """Retries and leftovers, once per five minutes across all workers and instances; and
    today's cycle again if the run that claimed it died."""
    retaken = await scheduled_cycle(runtime, retake_only=True)
    if retaken is not None:
        return retaken.sent
    report, _ = await send_alone(runtime, sweep_slot(runtime.services.clock.now()))
    if report and (report.sent or report.dead or report.undeliverable):
        log.info(
            "reminder sweep: %s sent, %s unreachable, %s dead-lettered",
            report.sent,
            report.undeliverable,
            report.dead,
        )
    return report


def start_scheduler(runtime: Runtime) -> AsyncIOScheduler | None:
    """The cycle on its schedule, plus a sweep every 5 minutes for retries and leftovers,
    and the nightly retention run."""
    settings = runtime.settings
    cron = settings.nudge_cron()
    retention_cron = settings.retention_cron()
    if cron is None and retention_cron is None:
        log.info("reminder schedule and retention run are off")
        return None
    scheduler = AsyncIOScheduler(timezone=settings.tz)
    if retention_cron is not None:
        add_retention_job(scheduler, runtime, retention_cron)
    if cron is None:
        log.info("reminder schedule is off")
        scheduler.start()
        return scheduler

    async def cycle() -> None:
        await scheduled_cycle(runtime)

    async def sweep() -> None:
        await scheduled_sweep(runtime)

    scheduler.add_job(
        cycle,
        CronTrigger(timezone=settings.tz, **cron),
        id="reminder-cycle",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    scheduler.add_job(
        sweep, IntervalTrigger(minutes=5), id="reminder-sweep", coalesce=True, max_instances=1
    )
    scheduler.start()
    log.info("reminder cycle scheduled: %s (%s)", settings.nudge_schedule, settings.timezone)
    return scheduler


async def nightly_retention(runtime: Runtime) -> RetentionReport | None:
    """Apply retention once per day across all bot instances: the first to claim the day
    runs it and records when it finished; the others find the claim and stop (a claim that
    never finished is retried by a later start the same day, after an hour)."""
    services = runtime.services
    trail = AuditTrail(runtime.database, services.clock, Channel.SCHEDULER)
    today = services.clock.today()
    if not await claim_nightly_run(runtime.database, trail, today):
        log.debug("retention run for %s: done or under way elsewhere", today)
        return None
    report = await apply_retention(
        runtime.database, trail, services.clock, runtime.settings.retention_periods, as_of=today
    )
    await finish_nightly_run(runtime.database, trail, today, report)
    log.info(
        "retention run: %s",
        ", ".join(f"{kind} {n}" for kind, n in report.counts.items() if n) or "nothing due",
    )
    return report


def add_retention_job(
    scheduler: AsyncIOScheduler, runtime: Runtime, cron: dict[str, object]
) -> None:
    """The nightly run at its time, and an hourly catch-up later in the day: a run that
    crashed (its claim never finished) or that no instance was up for is done that day."""
    starts = _time_of(cron)

    async def run() -> None:
        await nightly_retention(runtime)

    async def catch_up() -> None:
        if runtime.services.clock.now().time() >= starts:
            await nightly_retention(runtime)

    scheduler.add_job(
        run,
        CronTrigger(timezone=runtime.settings.tz, **cron),
        id="retention",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )
    scheduler.add_job(
        catch_up,
        IntervalTrigger(hours=1),
        id="retention-catch-up",
        coalesce=True,
        max_instances=1,
    )
    log.info("retention run scheduled daily at %s", runtime.settings.retention_time)


def _time_of(cron: dict[str, object]) -> dt_time:
    hour, minute = cron["hour"], cron["minute"]
    if not isinstance(hour, int) or not isinstance(minute, int):
        raise TypeError(f"a daily cron needs an hour and a minute, not {cron!r}")
    return dt_time(hour, minute)
