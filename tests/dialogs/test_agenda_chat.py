"""The agenda in chat through the TestAdapter: Rhys adds a point, Priya sees it with her prep
note, plans the next one-to-one (asked first about a Saturday), opens the prep card and says
whether they met; Tom, Margaret and David see nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.database import Database
from storage.models import AgendaPoint, PlannedOneToOne
from tests.support.chat import Chat
from tests.support.people import DAVID_HEAD, MARGARET_STAFF, PRIYA_MANAGER, RHYS_STAFF, TOM_MANAGER

RHYS = "D013"


async def test_the_pair_share_an_agenda_and_plan_the_next_one_to_one(demo_org: Database) -> None:
    rhys, priya = Chat(demo_org, RHYS_STAFF), Chat(demo_org, PRIYA_MANAGER)
    said = Chat.text_of(await rhys.say("add to my 1:1 agenda: Training on the new catalogue"))
    assert "Added to your one-to-one agenda with Priya" in said
    assert "Training on the new catalogue" in Chat.text_of(await rhys.say("my agenda"))

    said = Chat.text_of(await priya.say("agenda for Rhys"))
    assert "Training on the new catalogue" in said and "added by employee" in said
    said = Chat.text_of(
        await priya.submit({"form": "agenda_prep_note", "employee_id": RHYS, "note": "Ask gently"})
    )
    assert "only you see it" in said
    assert "Ask gently" not in Chat.text_of(await rhys.say("my agenda"))

    said = Chat.text_of(await priya.say("next 1:1 with Rhys Saturday 10am"))
    assert "doesn't usually work on Saturdays" in said and "Plan it anyway" in said
    said = Chat.text_of(await priya.say("next 1:1 with Rhys Tuesday 10am"))
    assert "Tuesday 24 November at 10:00" in said
    said = Chat.text_of(await priya.submit({"command": "one_to_one_prep", "employee_id": RHYS}))
    assert "Prep: one-to-one with Rhys Evans" in said and "Training on the new catalogue" in said
    said = Chat.text_of(
        await priya.submit(
            {
                "form": "agenda_outcome",
                "employee_id": RHYS,
                "outcome": "moved",
                "day": "2026-11-26",
                "time": "14:00",
            }
        )
    )
    assert "Thursday 26 November at 14:00" in said


async def test_nobody_else_sees_or_changes_the_agenda(demo_org: Database) -> None:
    rhys = Chat(demo_org, RHYS_STAFF)
    await rhys.say("add to my 1:1 agenda: Something private to Rhys")
    forms = (
        {"command": "agenda_for", "employee_id": RHYS},
        {"command": "one_to_one_prep", "employee_id": RHYS},
        {"command": "did_you_meet", "employee_id": RHYS},
        {"command": "next_one_to_one", "employee_id": RHYS},
        {"form": "agenda_add", "employee_id": RHYS, "text": "Intruder point"},
        {"form": "agenda_prep_note", "employee_id": RHYS, "note": "Intruder note"},
        {"form": "agenda_plan", "employee_id": RHYS, "day": "2026-11-24", "time": "10:00"},
        {"form": "agenda_outcome", "employee_id": RHYS, "outcome": "missed"},
    )
    for user in (TOM_MANAGER, MARGARET_STAFF, DAVID_HEAD):
        chat = Chat(demo_org, user)
        for value in forms:
            said = Chat.text_of(await chat.submit(value))
            assert "Something private" not in said and "went wrong" not in said, (user, value)
        said = Chat.text_of(await chat.say("agenda for Rhys"))
        assert "Something private" not in said
    async with demo_org.sessions() as session:
        assert await session.scalar(select(func.count(PlannedOneToOne.id))) == 0
        texts = (await session.scalars(select(AgendaPoint.text))).all()
    assert list(texts) == ["Something private to Rhys"]
