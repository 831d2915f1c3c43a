"""Absence over HTTP, as the issue's acceptance describes: HR imports an absence that ended
yesterday, the manager logs the return to work through the card, and the export shows it
held on time with the trigger status."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from cli.main import main
from domain.clock import FixedClock
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, activity

YESTERDAY = NOW.date() - timedelta(days=1)  # Sunday 22 November 2026


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def cli(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    capsys.readouterr()
    code = await asyncio.to_thread(main, list(args))
    return code, capsys.readouterr().out


async def test_imported_absence_rtw_logged_by_card_and_exported_on_time(
    org_bot: RunningBot,
    connector: ConnectorStandIn,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    absences = tmp_path / "absences.csv"
    absences.write_text(
        "employee_email,start_date,end_date,absence_type,reason_category\n"
        f"{RHYS_STAFF.email},{(YESTERDAY - timedelta(days=4)).isoformat()},{YESTERDAY.isoformat()},"
        "sickness,Cold, cough or flu\n".replace("Cold, cough or flu", '"Cold, cough or flu"')
    )
    code, _ = await cli(db_url, monkeypatch, capsys, "import", "absences", str(absences))
    assert code == 0

    for user in (RHYS_STAFF, PRIYA_MANAGER):
        await org_bot.post(activity(user, connector.url, text="hello"))
    await connector.wait_for(2)
    connector.clear()

    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="log return to work for Rhys"))
    [card_message] = await connector.wait_for(1)
    card = card_message["attachments"][0]["content"]
    save = next(a for a in card["actions"] if a["title"] == "Save return to work")
    assert "Monday 23 November 2026" in json.dumps(card)  # due on the first working day back
    connector.clear()

    values = save["data"] | {
        "held_on": NOW.date().isoformat(),
        "reason_category": "Cold, cough or flu",
        "notes": "Feeling much better",
        "reported_correctly": "true",
        "outcome": "no_further_action",
        "support_offered": "",
        "work_related": "false",
        "accident_at_work": "false",
        "underlying_condition": "false",
        "adjustments_needed": "false",
        "employee_comments": "",
    }
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, value=values))
    received = await connector.wait_for(2)
    by_conversation = {m["_conversation"]: m for m in received}
    assert "Saved: return to work for Rhys Evans" in json.dumps(
        by_conversation[PRIYA_MANAGER.conversation_id]
    )
    assert "Your return to work" in json.dumps(by_conversation[RHYS_STAFF.conversation_id])

    code, out = await cli(db_url, monkeypatch, capsys, "export", "return-to-work")
    assert code == 0
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["employee_id"] == "D013"
    assert row["absence_end"] == YESTERDAY.isoformat()
    assert row["rtw_due_on"] == NOW.date().isoformat()
    assert row["rtw_held_on"] == NOW.date().isoformat()
    assert row["on_time"] == "true"
    assert row["trigger_reached"] == "false"
    assert "Feeling much better" not in out
