"""Send: digests delivered over HTTP to a stand-in that enforces Teams' limits, exactly
once, with retries, unreachable people marked, and two senders never sending the same one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from sqlalchemy import select, update

from bot.config import Settings
from bot.nudge_sender import NudgeSender, SendReport, TeamsDelivery
from domain.clock import FixedClock
from domain.nudge_planner import PlanSettings
from domain.nudge_rules import NudgePolicy
from domain.nudges import NudgeService
from storage import nudges as outbox
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from storage.models import Employee, NudgeDigest
from tests.support.chat import NOW
from tests.support.throttled_connector import ThrottledConnector

TODAY = NOW.date()


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
        return await outbox.status_counts(session)


async def test_each_digest_is_delivered_once_and_a_second_cycle_sends_nothing(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    assert await queue_cycle(demo_org) == 4
    report = await sender(demo_org).send_pending()
    assert report.sent == 4
    assert sorted(connector.delivered.values()) == [1, 1, 1, 1]
    assert await statuses(demo_org) == {"sent": 4}

    assert await queue_cycle(demo_org) == 0  # the same cycle again: nothing new
    again = await sender(demo_org).send_pending()
    assert again.sent == 0 and sum(connector.delivered.values()) == 4


async def test_throttling_and_server_errors_are_retried_without_duplicates(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    connector.conversation_rate = 1
    connector.fail_first = 3
    await queue_cycle(demo_org)
    report = await sender(demo_org).send_pending()
    assert report.sent == 4 and report.retried >= 3
    assert sorted(connector.delivered.values()) == [1, 1, 1, 1]


async def test_a_person_who_blocked_the_bot_is_marked_unreachable_not_retried(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    chats = await give_everyone_a_chat(demo_org, connector.url)
    async with demo_org.sessions() as session:
        priya = await session.scalar(select(Employee.id).where(Employee.employee_id == "D003"))
    connector.refuse.add(chats[priya])
    await queue_cycle(demo_org)
    report = await sender(demo_org).send_pending()
    assert (report.sent, report.undeliverable) == (3, 1)
    assert await statuses(demo_org) == {"sent": 3, "undeliverable": 1}
    async with demo_org.sessions() as session:
        [digest] = await outbox.problem_digests(session, ("undeliverable",))
    assert digest.recipient_id == priya and "403" in (digest.last_error or "")


async def test_someone_who_never_opened_the_bot_gets_a_new_chat_from_their_aad_id(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await queue_cycle(demo_org)
    report = await sender(demo_org, tenant_id="tenant-1", url=connector.url).send_pending()
    assert report.sent == 4
    assert len(connector.created) == 4
    assert all(member.startswith("00000000-0000-4000-8000-") for member in connector.created)


async def test_a_sender_that_died_mid_send_is_taken_over_without_resending_finished_work(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    await queue_cycle(demo_org)
    first = sender(demo_org, worker="first")
    async with demo_org.transaction() as session:  # the first sender claims everything...
        claimed = await outbox.claim(
            session, worker="first", now=NOW, limit=10, stale_after=timedelta(minutes=10)
        )
    await first._send_digest(claimed[0], SendReport())
    # ...sends one digest and dies. Its claims go stale; a restarted sender takes over.
    async with demo_org.transaction() as session:
        await session.execute(
            update(NudgeDigest)
            .where(NudgeDigest.status == "sending")
            .values(claimed_at=NOW - timedelta(minutes=30))
        )
    report = await sender(demo_org, worker="second").send_pending()
    assert report.sent == 3
    assert sorted(connector.delivered.values()) == [1, 1, 1, 1]


async def test_two_senders_at_once_deliver_every_digest_exactly_once(
    demo_org: Database, connector: ThrottledConnector
) -> None:
    await give_everyone_a_chat(demo_org, connector.url)
    await queue_cycle(demo_org)
    one, two = sender(demo_org, worker="one"), sender(demo_org, worker="two")
    reports = await asyncio.gather(one.send_pending(batch=1), two.send_pending(batch=1))
    assert sum(r.sent for r in reports) == 4
    assert sorted(connector.delivered.values()) == [1, 1, 1, 1]


@pytest.mark.slow
async def test_sigkill_of_the_sender_repeats_at_most_the_message_in_flight(
    demo_org: Database, connector: ThrottledConnector, db_url: str
) -> None:
    import os
    import signal
    import subprocess
    import sys
    from datetime import UTC, datetime

    await give_everyone_a_chat(demo_org, connector.url)
    assert await queue_cycle(demo_org) == 4
    async with demo_org.transaction() as session:  # due now in real time, for the subprocess
        await session.execute(update(NudgeDigest).values(next_attempt_at=datetime.now(UTC)))
    connector.delay = 0.5
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.sender_process"],
        env={**os.environ, "DATABASE_URL": db_url},
    )
    try:
        for _ in range(200):
            if sum(connector.delivered.values()) >= 2:
                break
            await asyncio.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    delivered_before = sum(connector.delivered.values())
    assert 2 <= delivered_before < 4

    connector.delay = 0.0
    async with demo_org.transaction() as session:  # the dead sender's claim goes stale
        await session.execute(
            update(NudgeDigest)
            .where(NudgeDigest.status == "sending")
            .values(claimed_at=NOW - timedelta(hours=1))
        )
    await sender(demo_org, worker="restarted").send_pending()
    counts = sorted(connector.delivered.values())
    assert len(counts) == 4 and min(counts) == 1  # nobody lost
    assert sum(counts) - 4 <= 1  # at most the one message in flight was repeated
    assert await statuses(demo_org) == {"sent": 4}
