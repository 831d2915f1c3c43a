"""A Sunday-only absence is asked about before it is saved, and once recorded anyway it is no
occasion and raises no return to work; a return to work dated on a Saturday is asked about
too (#15). Over HTTP, each answer changing the card in place."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from domain.clock import FixedClock
from storage.database import Database
from storage.models import Absence, Employee
from tests.e2e.conftest import NOW
from tests.support.card_presses import ask_card
from tests.support.card_presses import press as press_as
from tests.support.people import PRIYA_MANAGER
from tests.support.server import RunningBot, start_bot
from tests.support.teams import activity
from tests.support.updating_connector import UpdatingConnectorStandIn

SUNDAY = NOW.date() - timedelta(days=1)  # NOW is Monday 23 November 2026
SATURDAY = SUNDAY - timedelta(days=1)


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def press(
    bot: RunningBot, connector: UpdatingConnectorStandIn, card_id: str, value: dict[str, Any]
) -> dict[str, Any]:
    return await press_as(bot, connector, PRIYA_MANAGER, card_id, value)


def action(card: dict[str, Any], title: str) -> dict[str, Any]:
    [found] = [a["data"] for a in card["actions"] if a["title"] == title]
    assert isinstance(found, dict)
    return found


async def rhys_absences(database: Database) -> list[Absence]:
    async with database.sessions() as session:
        rhys = await session.scalar(select(Employee.id).where(Employee.employee_id == "D013"))
        found = await session.scalars(select(Absence).where(Absence.employee_id == rhys))
        return list(found)


async def test_a_sunday_only_absence_is_asked_about_and_raises_no_rtw(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_org: Database
) -> None:
    card_id, form = await ask_card(org_bot, updating, PRIYA_MANAGER, "Rhys is off sick")
    save = action(form, "Save")
    asked = await press(org_bot, updating, card_id, {**save, "start_date": SUNDAY.isoformat()})
    said = json.dumps(asked)
    assert "Sunday 22 November 2026 is a Sunday, not a working day for Rhys" in said
    assert "Record the absence from that day anyway?" in said
    assert await rhys_absences(demo_org) == [], "nothing is saved before the answer"

    # Change dates: the form comes back in place with what was typed.
    again = await press(org_bot, updating, card_id, action(asked, "Change dates"))
    assert SUNDAY.isoformat() in json.dumps(again) and "Save" in json.dumps(again)
    asked = await press(org_bot, updating, card_id, {**save, "start_date": SUNDAY.isoformat()})
    saved = json.dumps(await press(org_bot, updating, card_id, action(asked, "Record anyway")))
    assert "off sick from Sunday 22 November 2026" in saved
    assert len(await rhys_absences(demo_org)) == 1

    # Back the same Sunday: asked again, as the absence would lose no working days.
    card_id, back = await ask_card(org_bot, updating, PRIYA_MANAGER, "Rhys is back")
    end = {**action(back, "Save"), "end_date": SUNDAY.isoformat()}
    asked = await press(org_bot, updating, card_id, end)
    assert "loses no working days" in json.dumps(asked)
    [open_absence] = await rhys_absences(demo_org)
    assert open_absence.end_date is None
    ended = json.dumps(await press(org_bot, updating, card_id, action(asked, "Record anyway")))
    assert "no return-to-work conversation is needed" in ended
    assert "Log return to work" not in ended
    [absence] = await rhys_absences(demo_org)
    assert absence.end_date == SUNDAY and absence.working_days_lost == 0

    updating.clear()
    await org_bot.post(activity(PRIYA_MANAGER, updating.url, text="log return to work for Rhys"))
    [nothing] = await updating.wait_for(1)
    assert "No return-to-work conversation is waiting for Rhys" in json.dumps(nothing)
    updating.clear()
    await org_bot.post(activity(PRIYA_MANAGER, updating.url, text="absences for Rhys"))
    [summary] = await updating.wait_for(1)
    # Listed, but no occasion: every day of it was a day off.
    assert "No sickness absence counted in 12 months" in json.dumps(summary)
    assert "22 Nov 2026 to 22 Nov 2026" in json.dumps(summary)


async def test_a_return_to_work_on_a_saturday_is_asked_about(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_org: Database
) -> None:
    # Off Tuesday to Thursday last week, back on Friday.
    card_id, form = await ask_card(org_bot, updating, PRIYA_MANAGER, "Rhys is off sick")
    start = (NOW.date() - timedelta(days=6)).isoformat()
    await press(org_bot, updating, card_id, {**action(form, "Save"), "start_date": start})
    card_id, back = await ask_card(org_bot, updating, PRIYA_MANAGER, "Rhys is back")
    end = (NOW.date() - timedelta(days=4)).isoformat()
    ended = await press(org_bot, updating, card_id, {**action(back, "Save"), "end_date": end})
    card_id, rtw = await ask_card(org_bot, updating, PRIYA_MANAGER, "log return to work for Rhys")
    values = {
        **action(rtw, "Save return to work"),
        "held_on": SATURDAY.isoformat(),
        "reason_category": "Cold, cough or flu",
        "notes": "Feeling better",
        "outcome": "no_further_action",
    }
    asked = await press(org_bot, updating, card_id, values)
    said = json.dumps(asked)
    assert "Saturday 21 November 2026 is a Saturday, not a working day for Rhys" in said
    assert "Log return to work" in json.dumps(ended)
    back_again = json.dumps(await press(org_bot, updating, card_id, action(asked, "Change date")))
    assert "Feeling better" in back_again and SATURDAY.isoformat() in back_again
    saved = json.dumps(
        await press(org_bot, updating, card_id, {**values, "held_on": NOW.date().isoformat()})
    )
    assert "Saved by Priya" in saved
