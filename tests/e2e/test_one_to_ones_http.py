"""One-to-ones over HTTP: a card submit is saved, the employee is messaged proactively at
their stored conversation reference, and the export shows the record."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.config import Settings
from cli.main import main
from domain.clock import FixedClock
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF, TOM_MANAGER
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, activity

FORM = {
    "form": "one_to_one",
    "employee_id": "D013",
    "held_on": (NOW.date() - timedelta(days=3)).isoformat(),
    "managing": "Went through the summer reading challenge results.",
    "developing": "Interested in the digital champion course.",
    "supporting": "",
    "wellbeing": "",
    "wellbeing_concern": "false",
    "shared_notes": "Thanks for a great summer reading challenge.",
    "private_note": "TOP SECRET private note",
    "action_1_text": "Book the digital champion course",
    "action_1_owner": "employee",
    "action_1_due": (NOW.date() + timedelta(days=21)).isoformat(),
}


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def export(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> str:
    """Run `charter export one-to-ones` as HR would (in a thread: it has its own event loop)."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["export", "one-to-ones", *args]) == 0
    return capsys.readouterr().out


async def test_card_submit_is_saved_sent_to_the_employee_and_exported(
    org_bot: RunningBot,
    connector: ConnectorStandIn,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await org_bot.post(activity(RHYS_STAFF, connector.url, text="hello"))
    await connector.wait_for(1)
    connector.clear()

    resp = await org_bot.post(activity(PRIYA_MANAGER, connector.url, value=FORM))
    assert resp.status in (200, 201)
    received = await connector.wait_for(2)
    by_conversation = {m["_conversation"]: m for m in received}
    summary = json.dumps(by_conversation[PRIYA_MANAGER.conversation_id])
    assert "Saved: one-to-one with Rhys Evans" in summary
    to_rhys = by_conversation[RHYS_STAFF.conversation_id]
    sent = json.dumps(to_rhys)
    assert "Thanks for a great summer reading challenge." in sent
    assert "Book the digital champion course" in sent
    assert "TOP SECRET" not in sent and "reading challenge results" not in sent

    [row] = json.loads(await export(db_url, monkeypatch, capsys, "--format", "json"))
    assert row["employee_id"] == "D013"
    assert row["employee_email"] == RHYS_STAFF.email
    assert row["manager_email"] == PRIYA_MANAGER.email
    assert row["held_on"] == FORM["held_on"]
    assert (row["planned_for"], row["plan_status"]) == (None, "unplanned")
    assert (row["managing"], row["developing"], row["supporting"], row["wellbeing"]) == (
        True,
        True,
        False,
        False,
    )
    assert row["wellbeing_concern"] is False
    assert (row["actions_open"], row["actions_done"]) == (1, 0)
    csv_text = await export(db_url, monkeypatch, capsys, "--with-notes")
    assert csv_text.splitlines()[0].startswith(
        "employee_id,employee_email,manager_email,held_on,planned_for,plan_status,managing,"
        "developing,supporting,"
        "wellbeing,wellbeing_concern"
    )
    assert "Thanks for a great summer reading challenge." in csv_text
    assert "TOP SECRET" not in csv_text


async def test_a_forged_submit_over_http_writes_nothing(
    org_bot: RunningBot,
    connector: ConnectorStandIn,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await org_bot.post(activity(TOM_MANAGER, connector.url, value=FORM))
    [reply] = await connector.wait_for(1)
    assert "Nothing was saved" in reply["text"]
    assert json.loads(await export(db_url, monkeypatch, capsys, "--format", "json")) == []
