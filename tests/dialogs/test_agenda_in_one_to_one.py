"""The one-to-one form starts with the agenda (#18): Priya ticks what she and Rhys discussed;
the ticked point is settled with the one-to-one, the unticked one carries over, and an id from
someone else's agenda (a forged tick) changes nothing. The planned meeting is settled too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from domain.agenda import PlanStatus
from storage import agenda as agenda_storage
from storage.database import Database
from storage.models import AgendaPoint, OneToOne, PlannedOneToOne
from tests.support.chat import NOW, Chat
from tests.support.people import MARGARET_STAFF, PRIYA_MANAGER, RHYS_STAFF

YESTERDAY = NOW.date() - timedelta(days=1)


def form(**ticks: str) -> dict[str, Any]:
    return {
        "form": "one_to_one",
        "employee_id": "D013",
        "held_on": NOW.date().isoformat(),
        "managing": "Went through the rota.",
        "shared_notes": "Good chat.",
        "wellbeing_concern": "false",
        **ticks,
    }


def toggles(replies: list[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for card in Chat.cards_of(replies):
        for element in card.get("body", []):
            if element.get("type") == "Input.Toggle" and element["id"].startswith("agenda_"):
                found[element["id"]] = element["title"]
    return found


async def points(database: Database) -> dict[str, AgendaPoint]:
    async with database.sessions() as session:
        rows = (await session.scalars(select(AgendaPoint))).all()
    return {row.text: row for row in rows}


async def test_ticked_points_are_discussed_and_the_rest_carry_over(demo_org: Database) -> None:
    rhys, priya = Chat(demo_org, RHYS_STAFF), Chat(demo_org, PRIYA_MANAGER)
    await rhys.say("add to my 1:1 agenda: Training on the new catalogue")
    await rhys.say("add to my 1:1 agenda: Summer reading rota")
    await Chat(demo_org, MARGARET_STAFF).say("add to my 1:1 agenda: Margaret's own point")
    await priya.say("next 1:1 with Rhys Monday 3pm")
    before = await points(demo_org)
    training, rota = before["Training on the new catalogue"], before["Summer reading rota"]
    margaret = before["Margaret's own point"]

    shown = toggles(await priya.say("log 1:1 with Rhys"))
    assert set(shown) == {f"agenda_{training.id}", f"agenda_{rota.id}"}
    assert "added by employee, added today" in shown[f"agenda_{training.id}"]

    ticks = {f"agenda_{training.id}": "true", f"agenda_{rota.id}": "false"}
    replies = await priya.submit(form(**ticks, **{f"agenda_{margaret.id}": "true"}))
    assert "Saved: one-to-one with Rhys Evans" in Chat.text_of(replies)

    after = await points(demo_org)
    async with demo_org.sessions() as session:
        logged = await session.scalar(select(OneToOne))
        plan = await session.scalar(select(PlannedOneToOne))
    assert after["Training on the new catalogue"].discussed_on == NOW.date()
    assert after["Training on the new catalogue"].one_to_one_id == logged.id
    assert after["Summer reading rota"].discussed_on is None
    assert after["Margaret's own point"].discussed_on is None  # not Rhys's: a forged tick
    # Planned for Monday 30 November, held today instead: the plan was moved.
    assert plan.status == PlanStatus.MOVED.value and plan.one_to_one_id == logged.id

    said = Chat.text_of(await rhys.say("my agenda"))
    assert "Summer reading rota" in said and "Training on the new catalogue" not in said
    assert set(toggles(await priya.say("log 1:1 with Rhys"))) == {f"agenda_{rota.id}"}


async def test_a_form_back_with_problems_keeps_the_ticks(demo_org: Database) -> None:
    rhys, priya = Chat(demo_org, RHYS_STAFF), Chat(demo_org, PRIYA_MANAGER)
    await rhys.say("add to my 1:1 agenda: Training on the new catalogue")
    [point] = (await points(demo_org)).values()
    await priya.say("log 1:1 with Rhys")
    replies = await priya.submit(form(managing="", **{f"agenda_{point.id}": "true"}))
    [toggle] = [
        e
        for card in Chat.cards_of(replies)
        for e in card.get("body", [])
        if e.get("id") == f"agenda_{point.id}"
    ]
    assert toggle["value"] == "true"
    assert (await points(demo_org))["Training on the new catalogue"].discussed_on is None


async def test_the_save_and_the_ticks_commit_or_roll_back_together(
    demo_org: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the one-to-one is written and the point ticked (settling the plan, the
    last step) leaves nothing: no one-to-one, the point open, the plan still planned; the same
    form sent again then saves both."""
    rhys, priya = Chat(demo_org, RHYS_STAFF), Chat(demo_org, PRIYA_MANAGER)
    await rhys.say("add to my 1:1 agenda: Training on the new catalogue")
    await priya.say("next 1:1 with Rhys Monday 3pm")
    [point] = (await points(demo_org)).values()
    await priya.say("log 1:1 with Rhys")

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away between the save and the ticks")

    monkeypatch.setattr(agenda_storage, "resolve_plan", crash)
    sent = form(**{f"agenda_{point.id}": "true"}, form_token="agenda-save-rollback-1")
    with pytest.raises(RuntimeError):
        await priya.submit(sent)
    async with demo_org.sessions() as session:
        assert (await session.scalars(select(OneToOne))).all() == []
        plan = await session.scalar(select(PlannedOneToOne))
    assert plan.status == PlanStatus.PLANNED.value
    assert (await points(demo_org))["Training on the new catalogue"].discussed_on is None

    monkeypatch.undo()
    await priya.say("log 1:1 with Rhys")
    replies = await priya.submit(sent)
    assert "Saved: one-to-one with Rhys Evans" in Chat.text_of(replies)
    async with demo_org.sessions() as session:
        [logged] = (await session.scalars(select(OneToOne))).all()
        plan = await session.scalar(select(PlannedOneToOne))
    ticked = (await points(demo_org))["Training on the new catalogue"]
    assert ticked.discussed_on == NOW.date() and ticked.one_to_one_id == logged.id
    assert plan.status == PlanStatus.MOVED.value and plan.one_to_one_id == logged.id
