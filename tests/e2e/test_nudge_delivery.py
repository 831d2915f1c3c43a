"""Send: digests delivered over HTTP to a stand-in that enforces Teams' limits, exactly
once, with retries, unreachable people marked, and two senders never sending the same one."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from sqlalchemy import delete, func, select, update

from bot.config import Settings
from bot.jobs.nudge_sender import DEFAULT_CONCURRENCY, NudgeSender, SendReport, TeamsDelivery
from domain.clock import FixedClock
from domain.nudge_rules import NudgePolicy
from services.nudge_planner import PlanSettings
from services.nudges import NudgeService
from storage import nudges as outbox
from storage import outbox_status
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from storage.models import Employee, NudgeDigest
from storage.nudges import QueuedNudge
from tests.support.chat import NOW
from tests.support.throttled_connector import ThrottledConnector

TODAY = NOW.date()

# Managers in the demo council with something due on its date, one digest each (five
# departments since the demo grew for the HR reports).
DIGESTS = 12


async def no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


@pytest.fixture
async def connector() -> AsyncIterator[ThrottledConnector]:
    stand_in = await ThrottledConnector().start()
    yield stand_in
    await stand_in.stop()


async def give_everyone_a_chat(database: Database, url: str) -> dict[int, str]:
    """Store a conversation reference for every manager, as if they had opened the bot."""
    references = ConversationReferences(database)
    async with database.sessions() as session:
        people = (await session.execute(select(Employee.id, Employee.aad_object_id))).all()
    conversations = {}
    for pk, aad in people:
        conversation = f"a:chat-{pk}"
        conversations[pk] = conversation
        await references.save(
            {
                "channelId": "msteams",
                "serviceUrl": url,
                "conversation": {"id": conversation},
                "user": {"id": f"29:{pk}", "aadObjectId": aad},
                "bot": {"id": "28:charter"},
            },
            user_id=f"29:{pk}",
            aad_object_id=aad,
            tenant_id="t",
            employee_id=pk,
        )
    return conversations


def sender(
    database: Database, *, worker: str = "test", tenant_id: str = "", url: str = ""
) -> NudgeSender:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Settings()))
    delivery = TeamsDelivery(
        adapter,
        "",
        ConversationReferences(database),
        database,
        tenant_id=tenant_id,
        service_url=url or "http://unused/",
    )
    return NudgeSender(
        database, delivery, now=lambda: NOW, sleep=no_wait, worker=worker, rand=lambda: 0.0
    )


async def queue_cycle(database: Database) -> int:
    service = NudgeService(database, FixedClock(NOW), NudgePolicy(), PlanSettings())
    return (await service.run_cycle(TODAY)).queued_digests


async def statuses(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        return await outbox_status.status_counts(session)


async def test_each_digest_is_delivered_once_and_a_second_cycle_sends_nothing(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    assert await queue_cycle(demo_org) == DIGESTS
    report = await sender(demo_org).send_pending()
    assert report.sent == DIGESTS
    assert sorted(connector.delivered.values()) == [1] * DIGESTS
    assert await statuses(demo_org) == {"sent": DIGESTS}

    assert await queue_cycle(demo_org) == 0  # the same cycle again: nothing new
    again = await sender(demo_org).send_pending()
    assert again.sent == 0 and sum(connector.delivered.values()) == DIGESTS


async def test_throttling_and_server_errors_are_retried_without_duplicates(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    connector.conversation_rate = 1
    connector.fail_first = 3
    await queue_cycle(demo_org)
    report = await sender(demo_org).send_pending()
    assert report.sent == DIGESTS and report.retried >= 3
    assert sorted(connector.delivered.values()) == [1] * DIGESTS


async def test_a_person_who_blocked_the_bot_is_marked_unreachable_not_retried(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    chats = await give_everyone_a_chat(demo_org, connector.url)
    async with demo_org.sessions() as session:
        priya = await session.scalar(select(Employee.id).where(Employee.employee_id == "D003"))
    connector.refuse.add(chats[priya])
    await queue_cycle(demo_org)
    report = await sender(demo_org).send_pending()
    assert (report.sent, report.undeliverable) == (DIGESTS - 1, 1)
    assert await statuses(demo_org) == {"sent": DIGESTS - 1, "undeliverable": 1}
    async with demo_org.sessions() as session:
        [digest] = await outbox_status.problem_digests(session, ("undeliverable",))
    assert digest.recipient_id == priya and "403" in (digest.last_error or "")


async def test_someone_who_never_opened_the_bot_gets_a_new_chat_from_their_aad_id(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await queue_cycle(demo_org)
    report = await sender(demo_org, tenant_id="tenant-1", url=connector.url).send_pending()
    assert report.sent == DIGESTS
    assert len(connector.created) == DIGESTS
    assert all(member.startswith("00000000-0000-4000-8000-") for member in connector.created)


async def test_a_sender_that_died_mid_send_is_taken_over_without_resending_finished_work(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    await queue_cycle(demo_org)
    first = sender(demo_org, worker="first")
    async with demo_org.transaction() as session:  # the first sender claims everything...
        claimed = await outbox.claim(
            session,
            worker="first",
            token="first-claim",
            now=NOW,
            limit=10,
            stale_after=timedelta(minutes=10),
        )
    await first.send_claimed(claimed[0], SendReport(), token="first-claim")
    # ...sends one digest and dies. Its claims go stale; a restarted sender takes over.
    async with demo_org.transaction() as session:
        await session.execute(
            update(NudgeDigest)
            .where(NudgeDigest.status == "sending")
            .values(claimed_at=NOW - timedelta(minutes=30))
        )
    report = await sender(demo_org, worker="second").send_pending()
    assert report.sent == DIGESTS - 1
    assert sorted(connector.delivered.values()) == [1] * DIGESTS


async def test_two_senders_at_once_deliver_every_digest_exactly_once(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    await queue_cycle(demo_org)
    one, two = sender(demo_org, worker="one"), sender(demo_org, worker="two")
    reports = await asyncio.gather(one.send_pending(batch=1), two.send_pending(batch=1))
    assert sum(r.sent for r in reports) == DIGESTS
    assert sorted(connector.delivered.values()) == [1] * DIGESTS


def run_sender_process(db_url: str, concurrency: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.sender_process"],
        env={**os.environ, "DATABASE_URL": db_url, "SENDER_CONCURRENCY": concurrency},
    )


async def kill_when_delivered(
    process: subprocess.Popen[bytes], connector: ThrottledConnector, count: int
) -> None:
    try:
        for _ in range(400):
            if sum(connector.delivered.values()) >= count:
                break
            await asyncio.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()


async def restart_after_the_claims_went_stale(database: Database) -> SendReport:
    async with database.transaction() as session:
        await session.execute(
            update(NudgeDigest)
            .where(NudgeDigest.status == "sending")
            .values(claimed_at=NOW - timedelta(hours=1))
        )
        # Not yet claimed by the dead sender: due at the restarted sender's (fixed) clock.
        await session.execute(
            update(NudgeDigest)
            .where(NudgeDigest.status == "queued")
            .values(next_attempt_at=NOW - timedelta(minutes=1))
        )
    return await sender(database, worker="restarted").send_pending()


@pytest.mark.slow
async def test_sigkill_of_the_sender_repeats_at_most_the_message_in_flight(
    demo_org: Database, connector: ThrottledConnector, db_url: str
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    assert await queue_cycle(demo_org) == DIGESTS
    async with demo_org.transaction() as session:  # due now in real time, for the subprocess
        await session.execute(update(NudgeDigest).values(next_attempt_at=datetime.now(UTC)))
    connector.delay = 0.5
    await kill_when_delivered(run_sender_process(db_url, "1"), connector, 2)
    delivered_before = sum(connector.delivered.values())
    assert 2 <= delivered_before < DIGESTS

    connector.delay = 0.0
    await restart_after_the_claims_went_stale(demo_org)
    counts = sorted(connector.delivered.values())
    assert len(counts) == DIGESTS and min(counts) == 1  # nobody lost
    assert sum(counts) - DIGESTS <= 1  # at most the one message in flight was repeated
    assert await statuses(demo_org) == {"sent": DIGESTS}


async def queue_one_each(database: Database) -> int:
    """A digest with one nudge for every person in the demo org (20), due now in real time."""
    async with database.sessions() as session:
        people = list((await session.scalars(select(Employee.id).order_by(Employee.id))).all())
    async with database.transaction() as session:
        for pk in people:
            await outbox.queue_digest(
                session,
                recipient_id=pk,
                run_date=TODAY,
                nudges=[
                    QueuedNudge(
                        idempotency_key=f"{pk}:objective_to_agree:objective:{pk}:{TODAY}",
                        kind="objective_to_agree",
                        item_key=f"objective:{pk}",
                        subject_id=pk,
                        title="Objective to agree: Improve case quality",
                        detail="Proposed by your manager",
                        due_since=TODAY,
                        escalated=False,
                    )
                ],
                now=datetime.now(UTC),
            )
    return len(people)


@pytest.mark.slow
async def test_sigkill_mid_send_repeats_at_most_the_senders_concurrency(
    demo_org: Database, connector: ThrottledConnector, db_url: str
) -> None:
    """A sender as `charter run` runs it, killed while Teams is slow to answer: only the
    digests it had out at that moment (at most DEFAULT_CONCURRENCY) can go twice."""
    await give_everyone_a_chat(demo_org, connector.url)
    queued = await queue_one_each(demo_org)
    assert queued > DEFAULT_CONCURRENCY + 4
    connector.delay = 2.0  # every message is out for two seconds before its answer
    await kill_when_delivered(run_sender_process(db_url, "default"), connector, 12)
    assert 12 <= sum(connector.delivered.values()) < queued

    connector.delay = 0.0
    await restart_after_the_claims_went_stale(demo_org)
    counts = list(connector.delivered.values())
    assert len(counts) == queued and min(counts) == 1  # nobody lost
    assert sum(counts) - queued <= DEFAULT_CONCURRENCY
    assert await statuses(demo_org) == {"sent": queued}


class ThrottledOnceFor(ThrottledConnector):
    """Answers the first message with 429 and a long Retry-After, then behaves."""

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after
        self.throttled_once = False

    async def _send(self, request: web.Request) -> web.Response:
        if not self.throttled_once:
            self.throttled_once = True
            await request.read()
            return web.json_response(
                {"error": {"code": "Throttled"}},
                status=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        return await super()._send(request)


class Clock:
    """The senders' shared wall clock, moved on by the test."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def clocked_sender(database: Database, clock: Clock, worker: str, sleep: Any) -> NudgeSender:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Settings()))
    delivery = TeamsDelivery(
        adapter, "", ConversationReferences(database), database, service_url="http://unused/"
    )
    return NudgeSender(database, delivery, now=clock, sleep=sleep, worker=worker, rand=lambda: 0.0)


async def queue_one_digest(database: Database) -> None:
    await queue_cycle(database)
    async with database.transaction() as session:  # keep the first of the four
        first = await session.scalar(select(func.min(NudgeDigest.id)))
        await session.execute(delete(NudgeDigest).where(NudgeDigest.id != first))


async def test_a_long_retry_after_requeues_the_digest_so_the_sweep_never_sends_it_twice(
    demo_org: Database,
) -> None:
    """429 with Retry-After: 700 (longer than a claim lives): the run gives the digest back
    with a not-before time instead of sleeping on its claim, so the 5-minute sweep neither
    takes it over early nor sends it a second time."""
    connector = await ThrottledOnceFor(700).start()
    try:
        await give_everyone_a_chat(demo_org, connector.url)
        await queue_one_digest(demo_org)
        clock = Clock()
        sweep_done = asyncio.Event()

        async def sleeps_past_the_sweeps(seconds: float) -> None:
            if seconds >= 60:  # the run sleeping out Retry-After while the sweeps run
                await sweep_done.wait()
            await asyncio.sleep(0)

        run = asyncio.create_task(
            clocked_sender(demo_org, clock, "run", sleeps_past_the_sweeps).send_pending()
        )
        for _ in range(200):
            if connector.throttled_once:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # the run has the 429 and is deciding what to do
        for minutes in (5, 10, 11):  # the sweeps after the 429, and one after 10 minutes
            clock.now = NOW + timedelta(minutes=minutes)
            await clocked_sender(demo_org, clock, f"sweep-{minutes}", no_wait).send_pending()
        sweep_done.set()
        first = await asyncio.wait_for(run, 10)
        assert sum(connector.delivered.values()) == 0  # not before Teams said it may
        clock.now = NOW + timedelta(minutes=12)  # Retry-After has passed
        later = await clocked_sender(demo_org, clock, "sweep-12", no_wait).send_pending()
    finally:
        await connector.stop()
    assert list(connector.delivered.values()) == [1]
    assert await statuses(demo_org) == {"sent": 1}
    assert first.requeued == 1 and later.sent == 1


async def test_a_sender_that_lost_its_claim_while_waiting_neither_sends_nor_records(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    """A sender stalls on a retry for longer than a claim lives (a paused process, a stalled
    host); another takes the digest over and sends it. The first must not send it again
    nor overwrite the outcome."""
    await give_everyone_a_chat(demo_org, connector.url)
    await queue_one_digest(demo_org)
    connector.fail_first = 1  # a 503: retried after a short backoff
    clock = Clock()
    taken_over = asyncio.Event()

    async def stalls(_seconds: float) -> None:
        await taken_over.wait()

    stalled = asyncio.create_task(clocked_sender(demo_org, clock, "stalled", stalls).send_pending())
    for _ in range(200):
        if connector.fail_first == 0:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    clock.now = NOW + timedelta(minutes=11)
    other = await clocked_sender(demo_org, clock, "other", no_wait).send_pending()
    taken_over.set()
    first = await asyncio.wait_for(stalled, 10)
    assert list(connector.delivered.values()) == [1]
    async with demo_org.sessions() as session:
        [digest] = (await session.scalars(select(NudgeDigest))).all()
    assert digest.status == "sent" and digest.claim_token is None
    assert other.sent == 1 and first.sent == 0 and first.lost_claims == 1
