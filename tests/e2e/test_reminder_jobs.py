"""The scheduler's reminder jobs run once when several workers or instances share one
database: two instances firing the 09:00 cycle (and the 5-minute sweep) at the same moment
plan, queue and send once, and every digest reaches Teams exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.jobs.reminders import (
    CYCLE_JOB,
    SEND_JOB,
    run_claimed,
    scheduled_cycle,
    scheduled_sweep,
    sweep_slot,
)
from bot.runtime import Runtime, build_runtime
from domain.clock import FixedClock
from storage.database import Database
from storage.models import JobClaim, NudgeDigest
from tests.e2e.test_nudge_delivery import give_everyone_a_chat, statuses
from tests.support.chat import NOW
from tests.support.throttled_connector import ThrottledConnector

# Managers in the demo council with something due on its date: one digest each.
DIGESTS = 12


@pytest.fixture
async def connector() -> AsyncIterator[ThrottledConnector]:
    stand_in = await ThrottledConnector().start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def two_instances(db_url: str) -> AsyncIterator[tuple[Runtime, Runtime]]:
    """Two bot instances' runtimes (engines, adapters, clocks) on one database."""
    instances = [build_runtime(Settings(database_url=db_url), FixedClock(NOW)) for _ in range(2)]
    yield instances[0], instances[1]
    for runtime in instances:
        await runtime.database.dispose()


async def test_two_instances_firing_the_cycle_at_once_run_it_once(
    demo_org: Database, connector: ThrottledConnector, two_instances: tuple[Runtime, Runtime]
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    first, second = await asyncio.gather(*(scheduled_cycle(r) for r in two_instances))
    ran = [outcome for outcome in (first, second) if outcome is not None]
    assert len(ran) == 1
    assert ran[0].planned.queued_digests == DIGESTS and ran[0].sent is not None
    assert sorted(connector.delivered.values()) == [1] * DIGESTS
    assert await statuses(demo_org) == {"sent": DIGESTS}
    # Later the same day (a restart, a misfire): done, so neither runs it again.
    assert await scheduled_cycle(two_instances[1]) is None
    async with demo_org.sessions() as session:
        claims = (await session.execute(select(JobClaim.job, JobClaim.finished_at))).all()
    assert sorted((job, finished is not None) for job, finished in claims) == [
        (CYCLE_JOB, True),
        (SEND_JOB, True),
    ]


async def test_two_sweeps_in_the_same_five_minutes_run_once(
    demo_org: Database, connector: ThrottledConnector, two_instances: tuple[Runtime, Runtime]
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    await two_instances[0].services.nudges.run_cycle(NOW.date())  # queued, not yet sent
    reports = await asyncio.gather(*(scheduled_sweep(r) for r in two_instances))
    assert sum(1 for report in reports if report is not None) == 1
    assert sorted(connector.delivered.values()) == [1] * DIGESTS
    assert sweep_slot(NOW) == "2026-11-23T10:00"
    assert sweep_slot(NOW + timedelta(minutes=9)) == "2026-11-23T10:05"


async def test_a_cycle_whose_instance_died_is_taken_over_by_the_next_sweep(
    demo_org: Database, connector: ThrottledConnector, two_instances: tuple[Runtime, Runtime]
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    async with demo_org.transaction() as session:  # claimed at 09:00, then the instance died
        session.add(
            JobClaim(
                job=CYCLE_JOB,
                slot=NOW.date().isoformat(),
                claimed_by="dead",
                claimed_at=NOW - timedelta(minutes=60),
            )
        )
    await scheduled_sweep(two_instances[1])
    assert sorted(connector.delivered.values()) == [1] * DIGESTS
    async with demo_org.transaction() as session:  # a claim still fresh is left alone
        await session.execute(update(JobClaim).values(finished_at=None, claimed_at=NOW))
        count = await session.scalar(select(func.count()).select_from(NudgeDigest))
    assert await scheduled_sweep(two_instances[0]) is None
    assert count == DIGESTS


async def test_a_send_running_elsewhere_holds_the_cycles_send_not_its_planning(
    demo_org: Database, connector: ThrottledConnector, two_instances: tuple[Runtime, Runtime]
) -> None:
    """At 09:00 one instance's sweep is still sending when the other fires the cycle: the
    cycle plans and queues (once) and leaves the sending to the send under way, never two
    senders pacing themselves to the same tenant limit at once."""
    await give_everyone_a_chat(demo_org, connector.url)
    sweeping, cycle_done = asyncio.Event(), asyncio.Event()

    async def long_send() -> None:
        sweeping.set()
        await cycle_done.wait()

    sweep = asyncio.create_task(
        run_claimed(
            two_instances[0], SEND_JOB, "2026-11-23T09:55", long_send, not_while=(SEND_JOB,)
        )
    )
    await sweeping.wait()
    outcome = await scheduled_cycle(two_instances[1])
    cycle_done.set()
    await sweep
    assert outcome is not None and outcome.planned.queued_digests == DIGESTS
    assert outcome.sent is None and "under way" in (outcome.not_sent_because or "")
    assert sum(connector.delivered.values()) == 0
    assert await statuses(demo_org) == {"queued": DIGESTS}
    # The next sweep sends them.
    later = await scheduled_sweep(two_instances[0])
    assert later is not None and later.sent == DIGESTS


async def test_a_run_that_fails_releases_its_claim_at_once(
    demo_org: Database, two_instances: tuple[Runtime, Runtime]
) -> None:
    async def fails() -> None:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        await run_claimed(two_instances[0], SEND_JOB, "slot", fails, not_while=(SEND_JOB,))

    async def works() -> str:
        return "ran"

    assert await run_claimed(two_instances[1], SEND_JOB, "slot", works) == "ran"
