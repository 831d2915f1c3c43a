"""Objectives and APRs over HTTP, as the issue's acceptance describes: a member of staff
adds an objective, the manager gets the Agree card at their stored conversation and agrees
it, and the export shows it agreed with its council priority; a manager records an APR,
the export shows it, and the employee is asked to acknowledge it."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from cli.main import main
from domain.clock import FixedClock
from storage.database import Database
from storage.models import CouncilPriority
from tests.e2e.conftest import NOW
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, activity


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def run_cli(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    capsys.readouterr()
    assert await asyncio.to_thread(main, list(args)) == 0
    return capsys.readouterr().out


def actions_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    card = message["attachments"][0]["content"]
    found = list(card.get("actions", []))
    for element in card["body"]:
        if element.get("type") == "ActionSet":
            found += element["actions"]
    return found


async def introduce(bot: RunningBot, connector: ConnectorStandIn, *users: Any) -> None:
    """Each person says hello first, so the bot holds their conversation reference."""
    for user in users:
        await bot.post(activity(user, connector.url, text="hello"))
    await connector.wait_for(len(users))
    connector.clear()


async def test_staff_objective_is_agreed_by_the_manager_and_exported(
    org_bot: RunningBot,
    connector: ConnectorStandIn,
    demo_org: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await introduce(org_bot, connector, RHYS_STAFF, PRIYA_MANAGER)
    async with demo_org.sessions() as session:
        priority = await session.scalar(
            select(CouncilPriority.id).where(
                CouncilPriority.title == "Supporting children and families"
            )
        )
    objective = {
        "form": "objective",
        "mode": "add",
        "title": "Run six digital skills sessions for older residents at Central Library",
        "measure": "Six sessions held with at least 40 attendees in total",
        "target_date": (NOW.date() + timedelta(days=120)).isoformat(),
        "priority_id": str(priority),
        "plan_id": "",
    }
    await org_bot.post(activity(RHYS_STAFF, connector.url, value=objective))
    received = await connector.wait_for(2)
    to_priya = next(m for m in received if m["_conversation"] == PRIYA_MANAGER.conversation_id)
    agree = next(a for a in actions_of(to_priya) if a["title"] == "Agree")
    connector.clear()

    await org_bot.post(activity(PRIYA_MANAGER, connector.url, value=agree["data"]))
    received = await connector.wait_for(2)
    assert any("Agreed" in (m.get("text") or "") for m in received)
    assert any(m["_conversation"] == RHYS_STAFF.conversation_id for m in received)

    [row] = list(
        csv.DictReader(
            io.StringIO(await run_cli(db_url, monkeypatch, capsys, "export", "objectives"))
        )
    )
    assert row["employee_id"] == "D013"
    assert row["status"] == "agreed"
    assert row["council_priority"] == "Supporting children and families"


async def test_manager_records_an_apr_exported_and_acknowledgement_requested(
    org_bot: RunningBot,
    connector: ConnectorStandIn,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await introduce(org_bot, connector, RHYS_STAFF, PRIYA_MANAGER)
    held_on = (NOW.date() - timedelta(days=2)).isoformat()
    apr = {
        "form": "apr_record",
        "employee_id": "D013",
        "held_on": held_on,
        "overall_comments": "A strong year with the reading challenge.",
        "learning_needs": "Project management",
    }
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, value=apr))
    received = await connector.wait_for(2)
    by_conversation = {m["_conversation"]: m for m in received}
    assert "APR saved: Rhys Evans" in json.dumps(by_conversation[PRIYA_MANAGER.conversation_id])
    ack_request = by_conversation[RHYS_STAFF.conversation_id]
    assert [a["title"] for a in actions_of(ack_request)] == ["Acknowledge", "Send comment"]

    [row] = json.loads(
        await run_cli(db_url, monkeypatch, capsys, "export", "aprs", "--format", "json")
    )
    assert (row["employee_id"], row["held_on"], row["manager_email"]) == (
        "D013",
        held_on,
        PRIYA_MANAGER.email,
    )
    assert row["acknowledged"] is False

    ack = next(a for a in actions_of(ack_request) if a["title"] == "Acknowledge")
    connector.clear()
    await org_bot.post(activity(RHYS_STAFF, connector.url, value=ack["data"]))
    await connector.wait_for(1)
    [row] = json.loads(
        await run_cli(db_url, monkeypatch, capsys, "export", "aprs", "--format", "json")
    )
    assert row["acknowledged"] is True
