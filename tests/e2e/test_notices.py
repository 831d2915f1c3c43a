"""One proactive path: a notice to another person goes through the notice outbox, so the
turn that made it never waits on Teams, and a notice is delivered once, even across a
restart.

The Bot Connector stand-in here holds EVERY request ``HOLD_S`` seconds before answering,
as a slow Teams does, and records when each request arrived (when the bot sent it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.jobs.notice_sender import NoticeSender
from domain.clock import FixedClock
from services.notices import NoticeOutbox
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from storage.models import Employee, Notice, OneToOne
from tests.e2e.conftest import NOW
from tests.e2e.test_one_to_ones_http import FORM
from tests.support.holding_connector import HoldingConnector
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import TENANT_ID, TeamsUser, activity

pytestmark = pytest.mark.slow

HOLD_S = 10.0
CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "hi"}]}


@pytest.fixture
async def slow_teams() -> AsyncIterator[HoldingConnector]:
    connector = await HoldingConnector(hold=HOLD_S).start()
    yield connector
    await connector.stop()


def settings_for(db_url: str) -> Settings:
    # Longer than the hold: a slow answer is an answer, not a failure.
    return Settings(database_url=db_url, outbound_timeout_seconds=int(3 * HOLD_S))


async def employee_pk(database: Database, user: TeamsUser) -> int:
    async with database.sessions() as session:
        pk = await session.scalar(select(Employee.id).where(Employee.email == user.email))
    assert pk is not None
    return pk


async def has_started_a_chat(database: Database, user: TeamsUser, service_url: str) -> int:
    """Store the person's conversation reference, as their first message to Charter does."""
    pk = await employee_pk(database, user)
    await ConversationReferences(database).save(
        {
            "channelId": "msteams",
            "serviceUrl": service_url,
            "conversation": {"id": user.conversation_id, "tenantId": TENANT_ID},
            "user": {"id": user.user_id, "aadObjectId": user.aad_object_id},
            "bot": {"id": "28:charter-bot"},
        },
        user_id=user.user_id,
        aad_object_id=user.aad_object_id,
        tenant_id=TENANT_ID,
        employee_id=pk,
    )
    return pk


async def notice_statuses(database: Database) -> list[tuple[str, int, bool]]:
    """(status, attempts, card still kept) for every notice."""
    async with database.sessions() as session:
        rows = await session.execute(
            select(Notice.status, Notice.attempts, Notice.card_json).order_by(Notice.id)
        )
        return [(status, attempts, card is not None) for status, attempts, card in rows]


async def wait_for_statuses(
    database: Database, expected: list[str], timeout: float
) -> list[tuple[str, int, bool]]:
    deadline = time.monotonic() + timeout
    while True:
        found = await notice_statuses(database)
        if [status for status, _, _ in found] == expected or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


async def test_a_saved_one_to_one_answers_the_manager_at_once_and_notifies_the_employee_after(
    db_url: str, demo_org: Database, slow_teams: HoldingConnector
) -> None:
    await has_started_a_chat(demo_org, RHYS_STAFF, slow_teams.url)
    bot = await start_bot(settings_for(db_url), FixedClock(NOW))
    try:
        submitted = time.monotonic()
        turn = asyncio.create_task(bot.post(activity(PRIYA_MANAGER, slow_teams.url, value=FORM)))
        reply = await slow_teams.first_to(PRIYA_MANAGER.conversation_id, timeout=5)
        assert reply.arrived - submitted < 1.0, "the manager's confirmation waited"
        assert "Saved: one-to-one with Rhys Evans" in json.dumps(reply.body)

        notice = await slow_teams.first_to(RHYS_STAFF.conversation_id, timeout=3 * HOLD_S)
        # The notice is queued before the confirmation goes out (so the two may reach Teams
        # in either order), and counts as delivered only once the stand-in has answered it.
        assert notice.answered is None
        assert [status for status, _, _ in await notice_statuses(demo_org)] == ["sending"]
        response = await turn
        turn_took = time.monotonic() - submitted
        assert response.status in (200, 201)
        # One held reply, not the reply and then the notice one after the other.
        assert turn_took < 1.5 * HOLD_S, f"the manager's turn took {turn_took:.1f} s"
        sent = json.dumps(notice.body)
        assert "Thanks for a great summer reading challenge." in sent
        assert "TOP SECRET" not in sent

        # Answered after the hold; recorded as sent, its card no longer kept; sent once.
        assert await wait_for_statuses(demo_org, ["sent"], timeout=2 * HOLD_S) == [
            ("sent", 1, False)
        ]
        assert notice.answered is not None and notice.answered - notice.arrived >= HOLD_S - 0.5
        await asyncio.sleep(1.0)
        assert len(slow_teams.to(RHYS_STAFF.conversation_id)) == 1
        assert len(slow_teams.to(PRIYA_MANAGER.conversation_id)) == 1
    finally:
        await bot.stop()


async def test_someone_without_a_chat_gets_no_notice_and_the_manager_is_told(
    db_url: str, demo_org: Database, slow_teams: HoldingConnector
) -> None:
    slow_teams.hold = 0.0
    bot = await start_bot(settings_for(db_url), FixedClock(NOW))
    try:
        await bot.post(activity(PRIYA_MANAGER, slow_teams.url, value=FORM))
        texts = [json.dumps(held.body) for held in slow_teams.received]
    finally:
        await bot.stop()
    assert any("hasn't started a chat with Charter yet" in text for text in texts)
    assert slow_teams.to(RHYS_STAFF.conversation_id) == []
    assert await notice_statuses(demo_org) == []


async def test_a_notice_queued_before_a_restart_is_delivered_once_after_it(
    db_url: str, demo_org: Database, slow_teams: HoldingConnector
) -> None:
    slow_teams.hold = 0.0
    rhys = await has_started_a_chat(demo_org, RHYS_STAFF, slow_teams.url)
    # The process that queued it stopped before its sender ran (nothing woke a sender).
    queued = NoticeOutbox(demo_org, FixedClock(NOW), wake=lambda: None)
    assert await queued.send_card(rhys, CARD, "Your one-to-one with Priya") is True
    assert await notice_statuses(demo_org) == [("queued", 0, True)]

    bot = await start_bot(settings_for(db_url), FixedClock(NOW))
    try:
        notice = await slow_teams.first_to(RHYS_STAFF.conversation_id, timeout=10)
        assert notice.body["summary"] == "Your one-to-one with Priya"
        assert await wait_for_statuses(demo_org, ["sent"], timeout=10) == [("sent", 1, False)]
    finally:
        await bot.stop()
    bot = await start_bot(settings_for(db_url), FixedClock(NOW))  # and once more: not resent
    try:
        await asyncio.sleep(1.0)
    finally:
        await bot.stop()
    assert len(slow_teams.to(RHYS_STAFF.conversation_id)) == 1


async def test_a_crash_while_the_confirmation_is_held_still_delivers_the_notice_once(
    db_url: str, demo_org: Database, slow_teams: HoldingConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process dies after the save, while Teams holds the manager's confirmation and
    before its notice sender has run: the employee's notice is already in the outbox, and the
    restarted bot delivers it, once."""
    slow_teams.hold = 3.0
    await has_started_a_chat(demo_org, RHYS_STAFF, slow_teams.url)
    # This process's sender never runs: nothing wakes it, nothing starts it.
    monkeypatch.setattr(NoticeSender, "wake", lambda self: None)
    monkeypatch.setattr(NoticeSender, "start", lambda self: None)
    bot = await start_bot(settings_for(db_url), FixedClock(NOW))
    turn = asyncio.create_task(bot.post(activity(PRIYA_MANAGER, slow_teams.url, value=FORM)))
    try:
        reply = await slow_teams.first_to(PRIYA_MANAGER.conversation_id, timeout=5)
        assert reply.answered is None  # Teams still holds the confirmation: the crash is now
        async with demo_org.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(OneToOne)) == 1
        assert await notice_statuses(demo_org) == [("queued", 0, True)]
    finally:
        turn.cancel()
        with contextlib.suppress(asyncio.CancelledError, aiohttp.ClientError):
            await turn
        await bot.stop()
    assert slow_teams.to(RHYS_STAFF.conversation_id) == []

    monkeypatch.undo()
    slow_teams.hold = 0.0
    bot = await start_bot(settings_for(db_url), FixedClock(NOW))
    try:
        notice = await slow_teams.first_to(RHYS_STAFF.conversation_id, timeout=10)
        assert "Thanks for a great summer reading challenge." in json.dumps(notice.body)
        assert await wait_for_statuses(demo_org, ["sent"], timeout=10) == [("sent", 1, False)]
        await asyncio.sleep(1.0)
    finally:
        await bot.stop()
    assert len(slow_teams.to(RHYS_STAFF.conversation_id)) == 1
    assert len(slow_teams.to(PRIYA_MANAGER.conversation_id)) == 1


async def test_a_notice_whose_sender_died_mid_send_is_taken_over_after_a_restart(
    db_url: str, demo_org: Database, slow_teams: HoldingConnector
) -> None:
    slow_teams.hold = 0.0
    rhys = await has_started_a_chat(demo_org, RHYS_STAFF, slow_teams.url)
    queued = NoticeOutbox(demo_org, FixedClock(NOW), wake=lambda: None)
    assert await queued.send_card(rhys, CARD, "Your one-to-one with Priya") is True
    # A sender claimed it and died (SIGKILL) before writing an outcome, long enough ago
    # that its claim counts as abandoned.
    async with demo_org.transaction() as session:
        await session.execute(
            update(Notice).values(
                status="sending",
                claimed_by="dead-worker",
                claim_token="dead-token",
                claimed_at=NOW - timedelta(minutes=30),
            )
        )
    bot = await start_bot(settings_for(db_url), FixedClock(NOW))
    try:
        await slow_teams.first_to(RHYS_STAFF.conversation_id, timeout=10)
        assert await wait_for_statuses(demo_org, ["sent"], timeout=10) == [("sent", 1, False)]
    finally:
        await bot.stop()
    assert len(slow_teams.to(RHYS_STAFF.conversation_id)) == 1


async def test_a_running_bot_delivers_a_notice_another_process_queued(
    db_url: str, demo_org: Database, slow_teams: HoldingConnector
) -> None:
    """The CLI (or another worker) queues; a running bot's sender finds it on its poll."""
    slow_teams.hold = 0.0
    rhys = await has_started_a_chat(demo_org, RHYS_STAFF, slow_teams.url)
    bot: RunningBot = await start_bot(settings_for(db_url), FixedClock(NOW))
    try:
        elsewhere = NoticeOutbox(demo_org, FixedClock(NOW), wake=lambda: None)
        assert await elsewhere.send_card(rhys, CARD, "You are acting manager") is True
        await slow_teams.first_to(RHYS_STAFF.conversation_id, timeout=45)
    finally:
        await bot.stop()
