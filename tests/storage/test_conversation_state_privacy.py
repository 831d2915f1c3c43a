"""Conversation state is personal data too: subject access shows it, erasure removes it and
retention removes it once idle (on both databases)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from cli.main import main
from domain.clock import FixedClock
from domain.retention import DEFAULT_PERIODS, Kind, Period
from services.audit import AuditTrail, Channel
from services.demo import seed_demo
from services.retention_run import apply_retention
from services.subject_access import WITHHELD, pending_conversation
from storage.database import Database
from storage.models import AuditEvent, Employee, StateItem
from tests.support.chat import NOW, Chat
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF

HEALTH = "Kestrel-9: my back has been bad since the fall"


@pytest.fixture
async def demo(database: Database) -> Database:
    await seed_demo(database, NOW.date())
    return database


async def state_data(database: Database) -> list[str]:
    async with database.sessions() as session:
        return list((await session.scalars(select(StateItem.data))).all())


async def half_typed_feedback(database: Database) -> None:
    """Rhys starts feedback and types health details, then leaves it at "Shall I send?"."""
    chat = Chat(database, RHYS_STAFF)
    await chat.say("feedback")
    assert "send that to HR" in Chat.text_of(await chat.say(HEALTH))
    assert any(HEALTH in data for data in await state_data(database))


async def test_sar_shows_a_conversation_in_progress_and_erase_removes_it(
    demo: Database, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    await half_typed_feedback(demo)
    await Chat(demo, PRIYA_MANAGER).say("feedback")  # someone else's: kept
    monkeypatch.setenv("DATABASE_URL", db_url)

    out = tmp_path / "sar.json"
    assert await asyncio.to_thread(main, ["sar", RHYS_STAFF.email, "--out", str(out)]) == 0
    [pending] = json.loads(out.read_text())["records_about_them"]["conversation_state"]
    assert pending["dialogs_in_progress"] == ["FeedbackDialog"]
    assert HEALTH in json.dumps(pending["content"])

    async with demo.transaction() as session:
        await session.execute(
            update(Employee)
            .where(Employee.email == RHYS_STAFF.email)
            .values(left_on=NOW.date() - timedelta(days=30))
        )
    assert await asyncio.to_thread(main, ["erase", RHYS_STAFF.email, "--confirm"]) == 0
    remaining = await state_data(demo)
    assert not any(HEALTH in data for data in remaining)
    assert len(remaining) == 1  # Priya's conversation is not Rhys's to erase


async def test_idle_state_goes_after_its_retention_period_and_is_audited_as_a_count(
    demo: Database,
) -> None:
    assert DEFAULT_PERIODS[Kind.STATE] == Period(days=30)
    await half_typed_feedback(demo)
    await Chat(demo, PRIYA_MANAGER).say("feedback")
    async with demo.transaction() as session:
        await session.execute(
            update(StateItem)
            .where(StateItem.key.contains(RHYS_STAFF.user_id))
            .values(updated_at=datetime(2026, 10, 20, 9, 0, tzinfo=UTC))  # 34 days idle
        )
        await session.execute(
            update(StateItem)
            .where(StateItem.key.contains(PRIYA_MANAGER.user_id))
            .values(updated_at=datetime(2026, 10, 25, 9, 0, tzinfo=UTC))  # 29 days idle
        )
    clock = FixedClock(NOW)
    trail = AuditTrail(demo, clock, Channel.SCHEDULER)
    dry = await apply_retention(demo, trail, clock, DEFAULT_PERIODS, dry_run=True)
    assert dry.counts[Kind.STATE] == 1

    done = await apply_retention(demo, trail, clock, DEFAULT_PERIODS)
    assert done.counts[Kind.STATE] == 1
    [kept] = await state_data(demo)
    assert HEALTH not in kept
    async with demo.sessions() as session:
        [event] = (
            await session.scalars(select(AuditEvent).where(AuditEvent.record_type == "state"))
        ).all()
    assert event.action == "delete" and event.record_id is None
    assert event.detail.startswith("1 state record(s)")

    shorter = DEFAULT_PERIODS | {Kind.STATE: Period(days=7)}
    assert (await apply_retention(demo, trail, clock, shorter)).counts[Kind.STATE] == 1


def test_a_conversation_in_progress_about_someone_else_is_withheld() -> None:
    one_to_one = {
        "DialogState": {
            "_dialog_stack": [
                {"id": "OneToOneDialog", "state": {"submit": {"private_note": "about Rhys"}}}
            ]
        }
    }
    shown = pending_conversation(
        {"key": "msteams/conversations/a:1", "data": json.dumps(one_to_one), "updated_at": "x"}
    )
    assert shown["dialogs_in_progress"] == ["OneToOneDialog"]
    assert shown["content"] == WITHHELD
    assert "about Rhys" not in json.dumps(shown)
