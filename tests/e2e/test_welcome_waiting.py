"""A member of staff who opens Charter after their manager logged a one-to-one is told, on the
welcome, what is waiting for them, with the button that opens it (#15)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.config import Settings
from domain.clock import FixedClock
from storage import aprs
from storage.database import Database
from storage.models import Apr, Employee, ReturnToWork
from tests.e2e.conftest import NOW
from tests.e2e.test_one_to_ones_http import FORM
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, activity, install


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def test_the_welcome_says_a_one_to_one_is_waiting(
    org_bot: RunningBot, connector: ConnectorStandIn
) -> None:
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, value=FORM))
    await connector.wait_for(1)  # Priya's summary; Rhys has no chat with Charter yet
    connector.clear()
    await org_bot.post(install(RHYS_STAFF, connector.url))
    [welcome, waiting] = await connector.wait_for(2)
    assert "Welcome to Charter, Rhys" in json.dumps(welcome)
    text = json.dumps(waiting)
    assert "Waiting for you" in text and "Friday 20 November 2026" in text
    assert '"command": "my_one_to_ones"' in text


async def _pk(database: Database, employee_id: str) -> int:
    async with database.sessions() as session:
        return int(
            await session.scalar(select(Employee.id).where(Employee.employee_id == employee_id))
        )


async def _priya_logs_an_rtw_for_rhys(bot: RunningBot, connector: ConnectorStandIn) -> None:
    """Off Tuesday to Thursday last week; the return to work held today (all over HTTP)."""
    start, end = NOW.date() - timedelta(days=6), NOW.date() - timedelta(days=4)
    await bot.post(
        activity(
            PRIYA_MANAGER,
            connector.url,
            value={"form": "absence_start", "employee_id": "D013", "start_date": start.isoformat()},
        )
    )
    await connector.wait_for(1)
    connector.clear()
    await bot.post(activity(PRIYA_MANAGER, connector.url, text="Rhys is back"))
    [back] = await connector.wait_for(1)
    save = next(a for a in back["attachments"][0]["content"]["actions"] if a["title"] == "Save")
    connector.clear()
    await bot.post(
        activity(PRIYA_MANAGER, connector.url, value={**save["data"], "end_date": end.isoformat()})
    )
    [ended] = await connector.wait_for(1)
    log = next(a for a in ended["attachments"][0]["content"]["actions"])
    connector.clear()
    await bot.post(activity(PRIYA_MANAGER, connector.url, value=log["data"]))
    [rtw] = await connector.wait_for(1)
    save = next(
        a
        for a in rtw["attachments"][0]["content"]["actions"]
        if a["title"] == "Save return to work"
    )
    connector.clear()
    values = {
        **save["data"],
        "held_on": NOW.date().isoformat(),
        "reason_category": "Cold, cough or flu",
        "notes": "Feeling better",
        "outcome": "no_further_action",
    }
    await bot.post(activity(PRIYA_MANAGER, connector.url, value=values))
    await connector.wait_for(1)  # Priya's saved card; Rhys can't be reached yet
    connector.clear()


async def _an_apr_priya_recorded(database: Database) -> int:
    async with database.transaction() as session:
        return await aprs.add_apr(
            session,
            employee_pk=await _pk(database, "D013"),
            manager_pk=await _pk(database, "D003"),
            held_on=NOW.date() - timedelta(days=2),
            overall_comments="A strong year with the reading challenge.",
            leadership_themes=(),
            development_needs="Budget training",
            learning_needs="",
            reviews=(),
            source="chat",
            now=NOW,
        )


async def test_the_welcome_offers_a_waiting_rtw_and_apr_with_their_buttons(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_org: Database
) -> None:
    await _priya_logs_an_rtw_for_rhys(org_bot, connector)
    apr_id = await _an_apr_priya_recorded(demo_org)
    imported = await _an_apr_priya_recorded(demo_org)
    async with demo_org.transaction() as session:  # an imported APR asks nothing of Rhys
        await session.execute(update(Apr).where(Apr.id == imported).values(source="import"))

    await org_bot.post(install(RHYS_STAFF, connector.url))
    welcome, rtw_card, apr_card = await connector.wait_for(3)
    assert "Welcome to Charter, Rhys" in json.dumps(welcome)
    rtw_text, apr_text = json.dumps(rtw_card), json.dumps(apr_card)
    assert "Priya Shah recorded your return-to-work conversation" in rtw_text
    assert "Priya Shah recorded your Annual Performance Review" in apr_text
    assert "reading challenge" in apr_text
    # The same card as the APR's notice: nothing the notice never showed Rhys.
    assert "Budget training" not in apr_text
    [ack] = [
        a["data"]
        for a in rtw_card["attachments"][0]["content"]["actions"]
        if a["title"] == "Acknowledge"
    ]
    assert ack["form"] == "rtw_ack"
    [comment] = [
        a["data"]
        for a in apr_card["attachments"][0]["content"]["actions"]
        if a["title"] == "Send comment"
    ]
    assert comment["form"] == "apr_comment" and comment["apr_id"] == apr_id
    await asyncio.sleep(0.2)
    assert len(connector.received) == 3, "one card each, and nothing for the imported APR"

    # The buttons work: the RTW acknowledged, the APR commented on (Priya is told).
    connector.clear()
    await org_bot.post(activity(RHYS_STAFF, connector.url, value=ack))
    [thanks] = await connector.wait_for(1)
    assert "noted that you've seen" in json.dumps(thanks)
    connector.clear()
    await org_bot.post(
        activity(RHYS_STAFF, connector.url, value={**comment, "comment": "Thanks, agreed."})
    )
    received = await connector.wait_for(2)
    assert any("commented on their APR" in json.dumps(m) for m in received)
    async with demo_org.sessions() as session:
        rtw = await session.scalar(select(ReturnToWork))
        apr = await session.get(Apr, apr_id)
        assert rtw is not None and rtw.acknowledged_at is not None
        assert apr is not None and apr.employee_comment == "Thanks, agreed."


async def test_my_one_to_ones_offers_acknowledge_and_comment_on_unanswered_ones(
    org_bot: RunningBot, connector: ConnectorStandIn
) -> None:
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, value=FORM))
    await connector.wait_for(1)
    connector.clear()
    await org_bot.post(activity(RHYS_STAFF, connector.url, text="my one-to-ones"))
    [listed] = await connector.wait_for(1)
    text = json.dumps(listed)
    assert "Waiting for you to acknowledge it" in text
    assert '"title": "Acknowledge"' in text and '"form": "one_to_one_ack"' in text
    assert "Add a comment" in text
