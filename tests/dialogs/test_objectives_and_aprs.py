"""Objectives and APRs through the SDK's TestAdapter: the SMART check, agree / discuss /
propose, progress, editing, APR preparation and recording, and forged submits."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from storage.database import Database
from storage.models import Apr, CouncilPriority, Employee, Objective, ObjectiveUpdate
from tests.support.chat import NOW, Chat, RecordingNotifier
from tests.support.people import (
    DAVID_HEAD,
    MARGARET_STAFF,
    PRIYA_MANAGER,
    RHYS_STAFF,
    TOM_MANAGER,
)

TODAY = NOW.date()


async def priority_id(database: Database, title: str = "Supporting children and families") -> str:
    async with database.sessions() as session:
        return str(
            await session.scalar(select(CouncilPriority.id).where(CouncilPriority.title == title))
        )


async def pk(database: Database, employee_id: str) -> int:
    async with database.sessions() as session:
        return int(
            await session.scalar(select(Employee.id).where(Employee.employee_id == employee_id))
        )


async def objectives(database: Database) -> list[Objective]:
    async with database.sessions() as session:
        return list((await session.scalars(select(Objective).order_by(Objective.id))).all())


async def good_objective(database: Database, **overrides: Any) -> dict[str, Any]:
    values = {
        "form": "objective",
        "mode": "add",
        "title": "Run six digital skills sessions for older residents at Central Library",
        "measure": "Six sessions held with at least 40 attendees in total",
        "target_date": (TODAY + timedelta(days=120)).isoformat(),
        "priority_id": await priority_id(database),
        "plan_id": "",
    }
    values.update(overrides)
    return values


def card_inputs(card: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def walk(elements: list[dict[str, Any]]) -> None:
        for element in elements:
            if element.get("id"):
                found[element["id"]] = element
            for key in ("items", "columns"):
                walk(element.get(key, []))

    walk(card["body"])
    return found


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(card.get("actions", []))

    def walk(elements: list[dict[str, Any]]) -> None:
        for element in elements:
            if element.get("type") == "ActionSet":
                found.extend(element["actions"])
            for key in ("items", "columns"):
                walk(element.get(key, []))

    walk(card["body"])
    return found


async def add_agreed_objective(database: Database, notifier: RecordingNotifier) -> int:
    rhys = Chat(database, RHYS_STAFF, notifier=notifier)
    await rhys.submit(await good_objective(database))
    [objective] = await objectives(database)
    priya = Chat(database, PRIYA_MANAGER, notifier=notifier)
    await priya.submit({"form": "objective_agree", "objective_id": objective.id})
    return objective.id


async def test_add_objective_form_offers_the_council_priorities(demo_org: Database) -> None:
    chat = Chat(demo_org, RHYS_STAFF)
    [card] = Chat.cards_of(await chat.say("add objective"))
    choices = [c["title"] for c in card_inputs(card)["priority_id"]["choices"]]
    assert choices == [
        "Transforming public services",
        "Enabling economic growth",
        "Better care, health and care integration",
        "Supporting children and families",
        "Safer communities and a better environment",
    ]


async def test_smart_check_lets_you_save_anyway_or_fix(demo_org: Database) -> None:
    chat = Chat(demo_org, RHYS_STAFF)
    vague = await good_objective(
        demo_org, title="Improve communication", measure="", target_date=""
    )
    [smart] = Chat.cards_of(await chat.submit(vague))
    text = json.dumps(smart)
    assert "SMART" in text and "success looks like" in text.lower()
    assert await objectives(demo_org) == []
    fix, save_anyway = (b["data"] for b in buttons(smart))
    [form] = Chat.cards_of(await chat.submit(fix))
    assert card_inputs(form)["title"]["value"] == "Improve communication"
    assert await objectives(demo_org) == []
    replies = await chat.submit(save_anyway)
    assert "Saved: Improve communication" in Chat.text_of(replies)
    [saved] = await objectives(demo_org)
    assert (saved.status, saved.smart_overridden, saved.proposed_by) == ("draft", True, "owner")


async def test_new_objective_goes_to_the_line_manager_to_agree(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    replies = await rhys.submit(await good_objective(demo_org))
    assert "sent it to your line manager to agree" in Chat.text_of(replies)
    [(to, card, _)] = notifier.sent
    assert to == await pk(demo_org, "D003")
    assert [b["title"] for b in buttons(card)] == ["Agree", "Discuss"]
    agree = buttons(card)[0]["data"]

    # Nobody but Priya can agree it: not Rhys himself, not another manager.
    assert "Nothing was changed" in Chat.text_of(await rhys.submit(agree))
    tom = Chat(demo_org, TOM_MANAGER, notifier=notifier)
    assert "isn't yours or your team's" in Chat.text_of(await tom.submit(agree))
    assert [o.status for o in await objectives(demo_org)] == ["draft"]

    priya = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    assert "Agreed: Run six digital skills" in Chat.text_of(await priya.submit(agree))
    [objective] = await objectives(demo_org)
    assert objective.status == "agreed" and objective.agreed_by_id == await pk(demo_org, "D003")
    assert notifier.sent[-1][0] == await pk(demo_org, "D013")
    assert "Nothing was changed" in Chat.text_of(await priya.submit(agree))  # already agreed


async def test_missing_priority_and_bad_date_come_back_with_what_was_typed(
    demo_org: Database,
) -> None:
    chat = Chat(demo_org, RHYS_STAFF)
    bad = await good_objective(demo_org, priority_id="", target_date="next year-ish")
    [form] = Chat.cards_of(await chat.submit(bad))
    text = json.dumps(form)
    assert "Choose the council priority" in text and "isn't a date I recognise" in text
    assert card_inputs(form)["title"]["value"].startswith("Run six digital skills")
    forged = await good_objective(demo_org, priority_id="99999")
    assert "Choose one of the council priorities listed" in json.dumps(
        Chat.cards_of(await chat.submit(forged))
    )
    assert await objectives(demo_org) == []


async def test_a_manager_proposes_and_the_employee_accepts(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    priya = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    [form] = Chat.cards_of(await priya.say("propose objective for rhys"))
    assert "Propose an objective for Rhys" in json.dumps(form)
    values = await good_objective(demo_org, mode="propose", employee_id="D013")
    assert "sent it to Rhys to agree" in Chat.text_of(await priya.submit(values))
    [objective] = await objectives(demo_org)
    assert (objective.employee_id, objective.proposed_by) == (await pk(demo_org, "D013"), "manager")
    to, card, _ = notifier.sent[-1]
    assert to == await pk(demo_org, "D013")
    accept = buttons(card)[0]
    assert accept["title"] == "Accept"
    assert "Nothing was changed" in Chat.text_of(await priya.submit(accept["data"]))
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    assert "Agreed" in Chat.text_of(await rhys.submit(accept["data"]))
    assert [o.status for o in await objectives(demo_org)] == ["agreed"]

    tom = Chat(demo_org, TOM_MANAGER, notifier=notifier)
    forged = await good_objective(demo_org, mode="propose", employee_id="D013")
    assert "Nothing was changed" in Chat.text_of(await tom.submit(forged))
    assert len(await objectives(demo_org)) == 1


async def test_progress_updates_keep_their_history(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    objective_id = await add_agreed_objective(demo_org, notifier)
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    [card] = Chat.cards_of(await rhys.say("update objective"))
    assert "Update progress" in json.dumps(card)
    bad = await rhys.submit(
        {
            "form": "objective_progress",
            "objective_id": objective_id,
            "percent": "120",
            "rag": "green",
        }
    )
    assert "0" in json.dumps(Chat.cards_of(bad)) and "100" in json.dumps(Chat.cards_of(bad))
    await rhys.submit(
        {
            "form": "objective_progress",
            "objective_id": objective_id,
            "percent": "25",
            "rag": "amber",
            "comment": "Two sessions booked",
        }
    )
    await rhys.submit(
        {
            "form": "objective_progress",
            "objective_id": objective_id,
            "percent": "50",
            "rag": "green",
            "comment": "Three held",
        }
    )
    margaret = Chat(demo_org, MARGARET_STAFF)
    assert "Nothing was changed" in Chat.text_of(
        await margaret.submit(
            {
                "form": "objective_progress",
                "objective_id": objective_id,
                "percent": "100",
                "rag": "green",
            }
        )
    )
    [objective] = await objectives(demo_org)
    assert (objective.status, objective.percent_complete, objective.rag) == (
        "in_progress",
        50,
        "green",
    )
    async with demo_org.sessions() as session:
        kinds = (
            await session.scalars(select(ObjectiveUpdate.kind).order_by(ObjectiveUpdate.id))
        ).all()
    assert kinds == ["created", "status", "progress", "progress"]


async def test_changing_an_agreed_objective_needs_agreeing_again(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    objective_id = await add_agreed_objective(demo_org, notifier)
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    [form] = Chat.cards_of(
        await rhys.submit({"form": "objective_edit", "objective_id": objective_id})
    )
    assert "agrees it again" in json.dumps(form)
    edited = await good_objective(
        demo_org,
        mode="edit",
        objective_id=objective_id,
        title="Run eight digital skills sessions for older residents at Central Library",
    )
    await rhys.submit(edited)
    [objective] = await objectives(demo_org)
    assert objective.status == "draft" and objective.title.startswith("Run eight")
    assert notifier.sent[-1][0] == await pk(demo_org, "D003")
    priya = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    forged = await good_objective(
        demo_org, mode="edit", objective_id=objective_id, title="Manager rewrites it"
    )
    assert "Nothing was changed" in Chat.text_of(await priya.submit(forged))


async def test_an_employee_cannot_edit_a_managers_proposal_and_then_agree_it(
    demo_org: Database,
) -> None:
    """The attack: the manager proposes, the employee rewrites it and presses Agree. The
    last change is the employee's, so only the manager may agree it now."""
    notifier = RecordingNotifier()
    priya = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    await priya.submit(await good_objective(demo_org, mode="propose", employee_id="D013"))
    [objective] = await objectives(demo_org)
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    await rhys.submit(
        await good_objective(
            demo_org,
            mode="edit",
            objective_id=objective.id,
            title="Run one session, maybe",
            smart_ok="true",
        )
    )
    agree = {"form": "objective_agree", "objective_id": objective.id}
    assert "Nothing was changed" in Chat.text_of(await rhys.submit(agree))
    [after] = await objectives(demo_org)
    assert (after.status, after.proposed_by, after.agreed_by_id) == ("draft", "owner", None)
    assert "Agreed" in Chat.text_of(await priya.submit(agree))
    [agreed] = await objectives(demo_org)
    assert (agreed.status, agreed.agreed_by_id) == ("agreed", await pk(demo_org, "D003"))

    # The same once agreed: an edit sends it back to the manager, not to the employee.
    await rhys.submit(
        await good_objective(
            demo_org,
            mode="edit",
            objective_id=objective.id,
            title="Run two sessions",
            smart_ok="true",
        )
    )
    assert "Nothing was changed" in Chat.text_of(await rhys.submit(agree))
    [edited_again] = await objectives(demo_org)
    assert (edited_again.status, edited_again.title) == ("draft", "Run two sessions")


async def test_a_progress_card_saves_once(demo_org: Database) -> None:
    """The card's form token: the same Save progress sent again is told, not saved twice."""
    notifier = RecordingNotifier()
    objective_id = await add_agreed_objective(demo_org, notifier)
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    [card] = Chat.cards_of(
        await rhys.submit({"form": "objective_progress_card", "objective_id": objective_id})
    )
    save = {**buttons(card)[0]["data"], "percent": "25", "rag": "amber", "comment": "Booked"}
    await rhys.submit(save)
    again = Chat.text_of(await rhys.submit(save))
    assert "already saved" in again and "Nothing was changed" in again
    async with demo_org.sessions() as session:
        kinds = (await session.scalars(select(ObjectiveUpdate.kind))).all()
    assert kinds.count("progress") == 1


async def test_lists_for_staff_and_managers_and_discussion(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    await add_agreed_objective(demo_org, notifier)
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    assert "Run six digital skills" in Chat.text_of(await rhys.say("my objectives"))
    priya = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    [card] = Chat.cards_of(await priya.say("objectives for Rhys"))
    assert "Rhys Evans's objectives" in json.dumps(card)
    assert "Supporting children and families" in json.dumps(card)
    margaret = Chat(demo_org, MARGARET_STAFF, notifier=notifier)
    assert "for line managers" in Chat.text_of(await margaret.say("objectives for Rhys"))
    assert "Run six" not in Chat.text_of(await margaret.say("my objectives"))
    [objective] = await objectives(demo_org)
    await priya.submit(
        {
            "form": "objective_discuss",
            "objective_id": objective.id,
            "comment": "Can we add a target for feedback?",
        }
    )
    assert notifier.sent[-1][0] == await pk(demo_org, "D013")
    assert "add a target for feedback" in json.dumps(notifier.sent[-1][1])


async def test_apr_prepared_by_the_employee_and_recorded_by_the_manager(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    objective_id = await add_agreed_objective(demo_org, notifier)
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    [prep] = Chat.cards_of(await rhys.say("prepare my APR"))
    assert f"achievement_{objective_id}" in card_inputs(prep)
    await rhys.submit(
        {
            "form": "apr_prepare",
            f"achievement_{objective_id}": "Held five sessions",
            "obstacles": "Room bookings",
            "development_wishes": "Lead a project",
            "support_wanted": "Time to plan",
        }
    )
    to, shared, _ = notifier.sent[-1]
    assert to == await pk(demo_org, "D003") and "Room bookings" in json.dumps(shared)

    priya = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    [record] = Chat.cards_of(await priya.say("record APR for Rhys"))
    assert "Held five sessions" in json.dumps(record)  # his preparation is shown
    assert "leadership_themes" not in card_inputs(record)  # Rhys manages nobody
    submit = {
        "form": "apr_record",
        "employee_id": "D013",
        "held_on": (TODAY - timedelta(days=1)).isoformat(),
        "overall_comments": "A strong year.",
    }
    missing = Chat.cards_of(await priya.submit(submit))
    assert "Choose an outcome" in json.dumps(missing)
    async with demo_org.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Apr)) == 0
    submit |= {
        f"outcome_{objective_id}": "partly_achieved",
        f"review_{objective_id}": "Five of six",
        "learning_needs": "Project management course",
        "next_1_title": "Lead the spring reading festival for 200 children",
        "next_1_measure": "200 children take part",
        "next_1_target_date": (TODAY + timedelta(days=150)).isoformat(),
        "next_1_priority_id": await priority_id(demo_org),
    }
    tom = Chat(demo_org, TOM_MANAGER, notifier=notifier)
    assert "Nothing was changed" in Chat.text_of(await tom.submit(submit))
    summary = Chat.text_of(await priya.submit(submit))
    assert "APR saved: Rhys Evans" in summary and "Partly achieved" in summary
    statuses = {o.title[:20]: o.status for o in await objectives(demo_org)}
    assert statuses == {"Run six digital skil": "partly_achieved", "Lead the spring read": "agreed"}
    to, ack_card, _ = notifier.sent[-1]
    assert to == await pk(demo_org, "D013")
    ack = next(b["data"] for b in buttons(ack_card) if b["title"] == "Acknowledge")
    margaret = Chat(demo_org, MARGARET_STAFF, notifier=notifier)
    assert "isn't yours" in Chat.text_of(await margaret.submit(ack))
    assert "seen your APR" in Chat.text_of(await rhys.submit(ack))
    await rhys.submit(
        {"form": "apr_comment", "apr_id": ack["apr_id"], "comment": "Fair summary, thank you"}
    )
    async with demo_org.sessions() as session:
        apr = await session.scalar(select(Apr))
    assert apr.acknowledged_at is not None and apr.employee_comment == "Fair summary, thank you"
    assert notifier.sent[-1][0] == await pk(demo_org, "D003")


async def test_leadership_themes_are_offered_for_managers(demo_org: Database) -> None:
    david = Chat(demo_org, DAVID_HEAD)
    [record] = Chat.cards_of(await david.say("record APR for Priya"))
    themes = card_inputs(record)["leadership_themes"]
    assert [c["value"] for c in themes["choices"]] == [
        "Drive",
        "Think",
        "Feel",
        "Connect",
        "Inspire",
    ]
