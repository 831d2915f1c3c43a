"""Running retention: `charter retention apply` and the scheduler's nightly job.

The rules (periods, cut-offs) are in :mod:`domain.retention`; the deleting is in
:mod:`storage.retention`. Every batch deleted is audited in its own transaction: one event
per person the records were about (or one per batch for records about nobody).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.retention import Kind, Period, schedule
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType, ids_detail
from storage import audit as audit_repo
from storage import retention as repo
from storage.database import Database


@dataclass(frozen=True)
class RetentionReport:
    as_of: date
    dry_run: bool
    counts: dict[Kind, int]
    cutoffs: dict[Kind, date]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _cutoff_instant(day: date, clock: Clock) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.tz)


# Kinds whose deletions are audited as a count only: audit events by the thousand, and
# state items, whose keys name Teams conversations rather than records.
_COUNTED_ONLY = frozenset({Kind.AUDIT.value, Kind.STATE.value})


# note(session, kind, action, [(record id, subject's employee pk)]): audit what went.
DeletionNote = Callable[[AsyncSession, str, str, list[tuple[int | str, int | None]]], None]


def _auditor(trail: AuditTrail, cutoff_of: Mapping[str, date]) -> DeletionNote:
    def note(
        session: AsyncSession, kind: str, action: str, rows: list[tuple[int | str, int | None]]
    ) -> None:
        before = f"period ran out before {cutoff_of[kind].isoformat()}"
        by_subject: dict[int | None, list[int | str]] = defaultdict(list)
        for pk, subject in rows:
            by_subject[subject].append(pk)
        events = []
        for subject, ids in by_subject.items():
            if kind in _COUNTED_ONLY or subject is None:
                detail = f"{len(ids)} {kind} record(s); {before}"
            else:
                detail = f"{before}; {ids_detail([int(pk) for pk in ids])}"
            record_id = ids[0] if len(ids) == 1 and kind not in _COUNTED_ONLY else None
            events.append(AuditEvent(action, kind, subject, record_id, detail[:500]))
        trail.note(session, None, *events)

    return note


async def apply_retention(
    database: Database,
    trail: AuditTrail,
    clock: Clock,
    periods: Mapping[Kind, Period],
    *,
    as_of: date | None = None,
    dry_run: bool = False,
) -> RetentionReport:
    """Delete or anonymise everything due on ``as_of`` (or only count it, on a dry run)."""
    day = as_of or clock.today()
    plan = schedule(day, periods)
    cutoffs = {kind.value: plan.cutoffs[kind] for kind in Kind}
    counts: dict[Kind, int] = dict.fromkeys(Kind, 0)
    note = _auditor(trail, cutoffs)
    started = clock.now()
    for target in repo.TARGETS:
        cut_day = cutoffs[target.kind]
        cut_at = _cutoff_instant(cut_day, clock)
        if target.kind == Kind.AUDIT.value:
            # Never this run's own events, whatever --as-of says.
            cut_at = min(cut_at, started)
        if dry_run:
            async with database.sessions() as session:
                found = await repo.count_due(session, target, cut_day, cut_at)
        else:
            found = await repo.apply_target(
                database, target, cut_day, cut_at, now=clock.now(), note=note
            )
        counts[Kind(target.kind)] += found
    return RetentionReport(day, dry_run, counts, dict(plan.cutoffs))


# A claim with no completion this old is a run that crashed (or was killed): retried.
STALE_CLAIM = timedelta(hours=1)


async def claim_nightly_run(
    database: Database, trail: AuditTrail, as_of: date, *, stale_after: timedelta = STALE_CLAIM
) -> bool:
    """True for the bot instance that should run ``as_of``'s retention: the first to claim the
    day, or a later start that finds an unfinished claim older than ``stale_after`` (the run
    crashed). The claim and the completion (``finish_nightly_run``) are audit events, taken
    under a lock so two instances never both run it."""
    run_id = as_of.isoformat()
    async with database.transaction() as session:
        await repo.take_run_lock(session)
        seen = await audit_repo.record_events(session, RecordType.RETENTION_RUN.value, run_id)
        if any(action == AuditAction.UPDATE for action, _ in seen):
            return False  # finished
        detail = "nightly retention run: started"
        if seen:
            claimed_at = seen[-1][1]
            if trail.now() - claimed_at < stale_after:
                return False  # another instance is running it
            detail += (
                f" (retry: the claim at {claimed_at.isoformat(timespec='minutes')} never finished)"
            )
        trail.note(
            session,
            None,
            AuditEvent(AuditAction.CREATE, RecordType.RETENTION_RUN, None, run_id, detail),
        )
    return True


async def finish_nightly_run(
    database: Database, trail: AuditTrail, as_of: date, report: RetentionReport
) -> None:
    """Record that ``as_of``'s run completed, so no later start retries it."""
    counts = ", ".join(f"{kind} {n}" for kind, n in report.counts.items() if n) or "nothing due"
    await trail.record(
        None,
        AuditEvent(
            AuditAction.UPDATE,
            RecordType.RETENTION_RUN,
            None,
            as_of.isoformat(),
            f"nightly retention run: finished; {counts}",
        ),
    )
