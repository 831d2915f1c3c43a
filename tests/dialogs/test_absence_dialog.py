"""Absence and return-to-work through the SDK's TestAdapter: recording, the RTW clock on
the card, the guided RTW card, trigger points, acknowledgement, and who may see what."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from storage import absences as repo
from storage.database import Database
from storage.models import Absence, Employee, ReturnToWork
from tests.support.chat import NOW, Chat, RecordingNotifier
from tests.support.people import (
    DAVID_HEAD,
    HELEN_HR,
    MARGARET_STAFF,
    PRIYA_MANAGER,
    RHYS_STAFF,
    TOM_MANAGER,
)

TODAY = NOW.date()
AFTER_EASTER = datetime(2026, 4, 7, 10, 0, tzinfo=ZoneInfo("Europe/London"))


async def pk(database: Database, employee_id: str) -> int:
    async with database.sessions() as session:
        return int(
            await session.scalar(select(Employee.id).where(Employee.employee_id == employee_id))
        )


async def add_absence(
    database: Database, employee_id: str, start: date, end: date | None, days: int | None = None
) -> int:
    async with database.transaction() as session:
        return await repo.add_absence(
            session,
            employee_pk=await pk(database, employee_id),
            start_date=start,
            end_date=end,
            absence_type="sickness",
            reason_category=None,
            working_days_lost=days,
            working_days_given=days is not None,
            disability_related=False,
            expected_return=None,
            source="import",
            recorded_by_pk=None,
            now=NOW,
        )


def card_buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return list(card.get("actions", []))


def rtw_values(absence_id: int, held_on: date, **overrides: Any) -> dict[str, Any]:
    values = {
        "form": "rtw",
        "absence_id": absence_id,
        "held_on": held_on.isoformat(),
        "reason_category": "Cold, cough or flu",
        "notes": "SECRET-HEALTH-NOTE: feeling better",
        "reported_correctly": "true",
        "work_related": "false",
        "accident_at_work": "false",
        "underlying_condition": "false",
        "adjustments_needed": "false",
        "support_offered": "eap",
        "outcome": "no_further_action",
        "employee_comments": "",
    }
    values.update(overrides)
    return values


async def count(database: Database, model: type) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_off_sick_then_back_works_out_when_the_rtw_is_due(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    [start_card] = Chat.cards_of(await chat.say("Rhys is off sick"))
    assert "Rhys is off sick" in json.dumps(start_card)
    submit = card_buttons(start_card)[0]["data"] | {
        "start_date": (TODAY - timedelta(days=7)).isoformat()
    }
    assert "Recorded: Rhys off sick from Monday 16 November 2026" in Chat.text_of(
        await chat.submit(submit)
    )
    again = Chat.text_of(
        await chat.submit(submit | {"start_date": (TODAY - timedelta(days=3)).isoformat()})
    )
    assert "already has an absence covering that date" in again
    assert await count(demo_org, Absence) == 1

    [end_card] = Chat.cards_of(await chat.say("rhys is back"))
    end = card_buttons(end_card)[0]["data"] | {"end_date": (TODAY - timedelta(days=3)).isoformat()}
    [ended] = Chat.cards_of(await chat.submit(end))
    text = json.dumps(ended)
    assert "Hold the return-to-work conversation on Monday 23 November 2026" in text
    assert "by Thursday 26 November 2026" in text
    async with demo_org.sessions() as session:
        absence = await session.scalar(select(Absence))
    assert (absence.end_date, absence.working_days_lost) == (TODAY - timedelta(days=3), 5)
    assert card_buttons(ended)[0]["title"] == "Log return to work"


async def test_the_rtw_clock_skips_the_easter_bank_holidays(demo_org: Database) -> None:
    absence_id = await add_absence(demo_org, "D013", date(2026, 3, 30), date(2026, 4, 2))
    chat = Chat(demo_org, PRIYA_MANAGER, now=AFTER_EASTER)
    [card] = Chat.cards_of(await chat.say("log return to work for Rhys"))
    text = json.dumps(card)
    assert "Tuesday 7 April 2026" in text and "Friday 10 April 2026" in text
    assert f'"absence_id": {absence_id}' in text


async def test_guided_rtw_card_validates_saves_and_asks_the_employee(demo_org: Database) -> None:
    absence_id = await add_absence(
        demo_org, "D013", TODAY - timedelta(days=10), TODAY - timedelta(days=1)
    )
    notifier = RecordingNotifier()
    chat = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    [card] = Chat.cards_of(await chat.say("log rtw for rhys"))
    ids = {e.get("id") for e in card["body"]}
    assert "fit_note_received" in ids  # over 7 calendar days
    assert {
        "reported_correctly",
        "work_related",
        "accident_at_work",
        "underlying_condition",
        "adjustments_needed",
        "support_offered",
        "outcome",
        "employee_comments",
    } <= ids
    bad = Chat.cards_of(
        await chat.submit(rtw_values(absence_id, TODAY, outcome="", support_offered="magic"))
    )
    assert "Choose the outcome" in json.dumps(bad) and "Choose support from the list" in json.dumps(
        bad
    )
    assert await count(demo_org, ReturnToWork) == 0
    tom = Chat(demo_org, TOM_MANAGER, notifier=notifier)
    assert "Nothing was changed" in Chat.text_of(await tom.submit(rtw_values(absence_id, TODAY)))
    assert await count(demo_org, ReturnToWork) == 0

    saved = Chat.text_of(await chat.submit(rtw_values(absence_id, TODAY, fit_note_received="true")))
    assert "Saved: return to work for Rhys Evans" in saved
    assert "below the trigger points" in saved
    async with demo_org.sessions() as session:
        rtw = await session.scalar(select(ReturnToWork))
        absence = await session.get(Absence, absence_id)
    assert (rtw.outcome, rtw.support_offered, rtw.fit_note_received) == (
        "no_further_action",
        "eap",
        True,
    )
    assert absence.reason_category == "Cold, cough or flu"
    to, ack_card, _ = notifier.sent[-1]
    assert to == await pk(demo_org, "D013")
    assert "SECRET-HEALTH-NOTE" not in json.dumps(ack_card)
    ack = card_buttons(ack_card)[0]["data"]
    margaret = Chat(demo_org, MARGARET_STAFF)
    assert "isn't yours" in Chat.text_of(await margaret.submit(ack))
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    assert "seen it" in Chat.text_of(await rhys.submit(ack))
    again = Chat.text_of(await chat.submit(rtw_values(absence_id, TODAY)))
    assert "for that absence is recorded" in again and "Nothing was changed" in again
    assert await count(demo_org, ReturnToWork) == 1


async def test_the_card_shows_a_trigger_point_without_deciding(demo_org: Database) -> None:
    await add_absence(demo_org, "D013", TODAY - timedelta(days=200), TODAY - timedelta(days=198), 3)
    await add_absence(demo_org, "D013", TODAY - timedelta(days=100), TODAY - timedelta(days=99), 2)
    await add_absence(demo_org, "D013", TODAY - timedelta(days=5), TODAY - timedelta(days=3), 3)
    chat = Chat(demo_org, PRIYA_MANAGER)
    replies = await chat.say("log return to work for Rhys")
    text = Chat.text_of(replies)
    assert "absences without a return-to-work record" in text  # three are waiting
    latest = max(a["data"]["absence_id"] for a in Chat.cards_of(replies)[0]["actions"])
    [card] = Chat.cards_of(await chat.submit({"form": "rtw_card", "absence_id": latest}))
    assert "3rd occasion in 12 months" in json.dumps(card)
    assert "trigger point reached" in json.dumps(card)
    assert "consider an attendance review meeting" in json.dumps(card)


async def test_who_may_see_absence(demo_org: Database) -> None:
    await add_absence(demo_org, "D013", TODAY - timedelta(days=20), TODAY - timedelta(days=18), 3)
    priya = Chat(demo_org, PRIYA_MANAGER)
    assert "Absence: Rhys Evans" in Chat.text_of(await priya.say("absences for rhys"))
    helen = Chat(demo_org, HELEN_HR)
    assert "Absence: Rhys Evans" in Chat.text_of(await helen.say("absences for rhys evans"))
    rhys = Chat(demo_org, RHYS_STAFF)
    assert "Your absence" in Chat.text_of(await rhys.say("my absence"))
    margaret = Chat(demo_org, MARGARET_STAFF)
    assert "Rhys" not in Chat.text_of(await margaret.say("absences for rhys"))
    assert "Rhys" not in Chat.text_of(await margaret.say("my absence"))
    for outsider in (TOM_MANAGER, DAVID_HEAD):
        reply = Chat.text_of(await Chat(demo_org, outsider).say("absences for rhys"))
        assert "Absence: Rhys" not in reply and "occasion" not in reply
    async with demo_org.sessions() as session:
        absence_id = await session.scalar(select(Absence.id))
    tom = Chat(demo_org, TOM_MANAGER)
    for form in ("rtw_card", "rtw", "absence_end"):
        reply = Chat.text_of(
            await tom.submit(
                {"form": form, "absence_id": absence_id, "end_date": TODAY.isoformat()}
            )
        )
        assert "isn't one of your team's" in reply or "Only someone's line manager" in reply


async def test_nothing_waiting_and_no_open_absence_are_explained(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    assert "No return-to-work conversation is waiting for Rhys" in Chat.text_of(
        await chat.say("log return to work for rhys")
    )
    assert "Rhys has no open absence" in Chat.text_of(await chat.say("Rhys is back"))
