"""Logging one-to-ones through the SDK's TestAdapter: shortcuts, the form, validation,
carry-over, permissions, and what staff see."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.config import Settings
from storage.database import Database
from storage.models import Employee, OneToOne, OneToOneAction, OneToOneRevision
from tests.support.chat import NOW, Chat, RecordingNotifier
from tests.support.people import MARGARET_STAFF, PRIYA_MANAGER, RHYS_STAFF, TOM_MANAGER

TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)  # a Sunday: asked about before it's saved
LAST_FRIDAY = TODAY - timedelta(days=3)  # the forms' working day


def form_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "form": "one_to_one",
        "employee_id": "D013",
        "held_on": LAST_FRIDAY.isoformat(),
        "managing": "Reviewed the reading challenge figures: 40 children signed up.",
        "developing": "",
        "supporting": "Agreed cover for Saturday shifts.",
        "wellbeing": "",
        "wellbeing_concern": "false",
        "shared_notes": "Great progress on the reading challenge.",
        "private_note": "PRIVATE: watch for signs of burnout",
        "action_1_text": "Draft the spring events plan",
        "action_1_owner": "employee",
        "action_1_due": (TODAY + timedelta(days=14)).isoformat(),
        "action_2_text": "Book the first aid course",
        "action_2_owner": "manager",
        "action_2_due": "",
        "action_3_text": "",
        "action_3_owner": "employee",
        "action_3_due": "",
    }
    values.update(overrides)
    return values


async def count(database: Database, model: type) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def employee_pk(database: Database, employee_id: str) -> int:
    async with database.sessions() as session:
        return int(
            await session.scalar(select(Employee.id).where(Employee.employee_id == employee_id))
        )


def form_card(replies: list[Any]) -> dict[str, Any]:
    [card] = [
        c
        for c in Chat.cards_of(replies)
        if any(a["data"].get("form") == "one_to_one" for a in c.get("actions", []))
    ]
    return card


def input_value(card: dict[str, Any], input_id: str) -> Any:
    def walk(elements: list[dict[str, Any]]) -> Any:
        for element in elements:
            if element.get("id") == input_id:
                return element.get("value")
            for key in ("items", "columns"):
                found = walk(element.get(key, []))
                if found is not None:
                    return found
        return None

    return walk(card["body"])


async def test_shortcut_preselects_the_report_and_the_date(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    card = form_card(await chat.say("supervision with Rhys yesterday"))
    assert input_value(card, "employee_id") == "D013"
    assert input_value(card, "held_on") == YESTERDAY.isoformat()
    hints = json.dumps(card)
    for area in ("Managing", "Developing", "Supporting", "Health, Safety and Wellbeing"):
        assert area in hints


async def test_plain_log_command_offers_only_the_managers_own_reports(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    card = form_card(await chat.say("log 1:1"))
    # "Who with" sits beside "Date held" (#15: the form fits a laptop screen).
    [picker] = [
        e
        for row in card["body"]
        for e in [row, *(i for c in row.get("columns", []) for i in c["items"])]
        if e.get("id") == "employee_id"
    ]
    assert [c["value"] for c in picker["choices"]] == ["D015", "D011", "D014", "D012", "D013"]
    assert input_value(card, "held_on") == TODAY.isoformat()


async def test_full_name_in_lower_case_and_uk_dates(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    card = form_card(await chat.say("1-2-1 with margaret hughes on 3/11"))
    assert input_value(card, "employee_id") == "D011"
    assert input_value(card, "held_on") == "2026-11-03"


async def test_an_ambiguous_name_is_asked_about(demo_org: Database) -> None:
    async with demo_org.transaction() as session:
        priya = await session.scalar(select(Employee).where(Employee.employee_id == "D003"))
        session.add(
            Employee(
                employee_id="D099",
                name="Rhys Morgan",
                email="rhys.morgan@demo-council.example",
                manager_id=priya.id,
                department="Community Services",
                job_title="Library Assistant",
                start_date=date(2021, 1, 4),
                roles="",
            )
        )
    chat = Chat(demo_org, PRIYA_MANAGER)
    replies = await chat.say("log one-to-one with Rhys")
    [picker] = Chat.cards_of(replies)
    names = [a["title"] for a in picker["actions"] if a["data"].get("form") == "pick_report"]
    assert names == ["Rhys Evans", "Rhys Morgan"]
    forged = await chat.submit({"form": "pick_report", "employee_id": "D021"})
    assert "choose one of the people listed" in Chat.text_of(forged)
    card = form_card(await chat.submit({"form": "pick_report", "employee_id": "D099"}))
    assert input_value(card, "employee_id") == "D099"


async def test_happy_path_saves_summarises_and_tells_the_employee(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    await chat.say("log 1:1 with Rhys yesterday")
    replies = await chat.submit(form_values())
    summary = Chat.text_of(replies)
    assert "Saved: one-to-one with Rhys Evans" in summary
    assert "Draft the spring events plan" in summary
    assert "PRIVATE: watch for signs of burnout" in summary  # the manager sees their own note
    async with demo_org.sessions() as session:
        record = await session.scalar(select(OneToOne))
        assert record.held_on == LAST_FRIDAY
        assert record.private_note == "PRIVATE: watch for signs of burnout"
        actions = (await session.scalars(select(OneToOneAction).order_by(OneToOneAction.id))).all()
        revisions = (await session.scalars(select(OneToOneRevision.change))).all()
    assert [(a.text, a.owner) for a in actions] == [
        ("Draft the spring events plan", "employee"),
        ("Book the first aid course", "manager"),
    ]
    assert revisions == ["created"]
    [(to, card, _summary)] = chat.notifier.sent
    assert to == await employee_pk(demo_org, "D013")
    sent = json.dumps(card)
    assert "Great progress on the reading challenge." in sent
    assert "Draft the spring events plan" in sent
    assert "PRIVATE" not in sent and "40 children" not in sent  # private and area notes stay
    assert {a["title"] for a in card["actions"]} == {"Acknowledge", "Send comment"}


async def test_wellbeing_concern_signposts_support(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    await chat.say("log 1:1 with Rhys")
    summary = Chat.text_of(
        await chat.submit(form_values(wellbeing_concern="true", wellbeing="Struggling with sleep"))
    )
    assert "Occupational Health" in summary
    assert "Employee Assistance Programme" in summary
    assert "Mental Health First Aiders" in summary


async def test_unreachable_employee_is_mentioned_not_an_error(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER, notifier=RecordingNotifier(reachable=False))
    await chat.say("log 1:1 with Rhys")
    replies = Chat.text_of(await chat.submit(form_values()))
    assert "Saved: one-to-one" in replies
    assert "hasn't started a chat with Charter yet" in replies


async def test_employee_message_and_summary_can_be_switched_off(demo_org: Database) -> None:
    settings = Settings(one_to_one_notify_employee=False, one_to_one_manager_summary=False)
    chat = Chat(demo_org, PRIYA_MANAGER, settings=settings)
    await chat.say("log 1:1 with Rhys")
    replies = await chat.submit(form_values())
    assert Chat.cards_of(replies) == []
    assert "Saved your one-to-one with Rhys Evans" in Chat.text_of(replies)
    assert chat.notifier.sent == []


async def assert_refused_and_kept(
    chat: Chat, database: Database, values: dict[str, Any], message: str
) -> None:
    replies = await chat.submit(values)
    card = form_card(replies)
    text = json.dumps(card)
    assert message in text
    for key in ("managing", "shared_notes", "private_note"):
        if values.get(key):
            assert input_value(card, key) == values[key], key
    assert await count(database, OneToOne) == 0


async def test_each_validation_keeps_what_was_typed_and_writes_nothing(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    await chat.say("log 1:1 with Rhys")
    await assert_refused_and_kept(
        chat,
        demo_org,
        form_values(held_on=(TODAY + timedelta(days=1)).isoformat()),
        "can't be in the future",
    )
    await assert_refused_and_kept(
        chat, demo_org, form_values(managing="", supporting=""), "at least one of the four areas"
    )
    await assert_refused_and_kept(
        chat, demo_org, form_values(developing="x" * 4001), "4,001 characters"
    )
    await assert_refused_and_kept(
        chat, demo_org, form_values(held_on="not-a-date"), "isn't a date I recognise"
    )
    await assert_refused_and_kept(
        chat, demo_org, form_values(action_3_due="2026-12-01"), "Action 3 has a date but no text"
    )
    await chat.say("cancel")
    await chat.say("log 1:1 with Callum")
    await assert_refused_and_kept(
        chat,
        demo_org,
        form_values(employee_id="D015", held_on="2026-09-01"),
        "started on 7 September 2026",
    )
    # After all that, a valid submit still saves exactly one record.
    assert "Saved" in Chat.text_of(await chat.submit(form_values(employee_id="D015")))
    assert await count(demo_org, OneToOne) == 1


async def test_carry_over_ticks_off_and_carries_forward(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    await chat.say("log 1:1 with Rhys")
    await chat.submit(form_values(held_on=(TODAY - timedelta(days=31)).isoformat()))
    replies = await chat.say("log 1:1 with Rhys")
    [carry] = Chat.cards_of(replies)
    toggles = {e["title"]: e["id"] for e in carry["body"] if e.get("type") == "Input.Toggle"}
    assert set(toggles) == {
        next(t for t in toggles if t.startswith("Draft the spring events plan")),
        next(t for t in toggles if t.startswith("Book the first aid course")),
    }
    done_id = next(v for t, v in toggles.items() if t.startswith("Book the first aid"))
    other_id = next(v for t, v in toggles.items() if t.startswith("Draft the spring"))
    replies = await chat.submit(
        {"form": "carry_over", done_id: "true", other_id: "false", "done_99999": "true"}
    )
    card = form_card(replies)
    shown = json.dumps(card)
    assert "Carried forward" in shown and "Draft the spring events plan" in shown
    assert "Marked done when you save" in shown and "Book the first aid course" in shown
    # The carry-over step writes nothing: its ticks are saved with the one-to-one.
    assert await _action_states(demo_org) == {
        "Book the first aid course": ("open", 0),
        "Draft the spring events plan": ("open", 0),
    }
    await chat.submit(form_values(action_1_text="", action_1_due="", action_2_text=""))
    assert await _action_states(demo_org) == {
        "Book the first aid course": ("done", 0),
        "Draft the spring events plan": ("open", 1),
    }


async def _action_states(database: Database) -> dict[str, tuple[str, int]]:
    async with database.sessions() as session:
        actions = (await session.scalars(select(OneToOneAction))).all()
    return {a.text: (a.status, a.carried_forward) for a in actions}


async def _to_the_form_after_carry_over(chat: Chat) -> dict[str, Any]:
    """Log one with Rhys a month ago, start another, tick the first-aid action at the
    carry-over step: the form that step became."""
    await chat.say("log 1:1 with Rhys")
    await chat.submit(form_values(held_on=(TODAY - timedelta(days=31)).isoformat()))
    [carry] = Chat.cards_of(await chat.say("log 1:1 with Rhys"))
    toggles = {e["title"]: e["id"] for e in carry["body"] if e.get("type") == "Input.Toggle"}
    done_id = next(v for t, v in toggles.items() if t.startswith("Book the first aid"))
    return form_card(await chat.submit({"form": "carry_over", done_id: "true"}))


async def test_cancel_after_the_carry_over_step_changes_nothing(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    await _to_the_form_after_carry_over(chat)
    before = await _action_states(demo_org)
    replies = Chat.text_of(await chat.submit({"command": "cancel"}))
    assert "Nothing was saved" in replies
    assert await _action_states(demo_org) == before
    assert all(state == ("open", 0) for state in before.values())
    assert await count(demo_org, OneToOne) == 1


async def test_the_carry_over_ticks_are_applied_once_even_if_save_is_pressed_twice(
    demo_org: Database,
) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    form = await _to_the_form_after_carry_over(chat)
    save = next(a for a in form["actions"] if a["title"] == "Save one-to-one")
    assert save["data"]["actions_done"]  # the ticks travel with the form too
    values = {
        **form_values(action_1_text="", action_1_due="", action_2_text=""),
        **save["data"],
    }
    await chat.submit(values)
    after_save = await _action_states(demo_org)
    assert after_save == {
        "Book the first aid course": ("done", 0),
        "Draft the spring events plan": ("open", 1),
    }
    await chat.submit({**values, "managing": "edited after saving"})
    assert await _action_states(demo_org) == after_save
    assert await count(demo_org, OneToOne) == 2


async def test_carry_over_ticks_for_rhys_are_not_applied_to_a_form_saved_for_someone_else(
    demo_org: Database,
) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    month_ago = (TODAY - timedelta(days=31)).isoformat()
    await chat.submit(
        form_values(employee_id="D015", held_on=month_ago, action_1_text="Update the rota")
    )
    await _to_the_form_after_carry_over(chat)
    before = await _action_states(demo_org)
    assert before["Update the rota"] == ("open", 0)
    # "Who with" changed to another report after Rhys's carry-over step: his ticks are not
    # applied, and the other report's open actions were never reviewed, so they don't move.
    await chat.submit(
        form_values(employee_id="D015", action_1_text="", action_1_due="", action_2_text="")
    )
    assert await _action_states(demo_org) == before
    assert await count(demo_org, OneToOne) == 3


async def test_forged_submits_for_someone_elses_report_write_nothing(demo_org: Database) -> None:
    tom = Chat(demo_org, TOM_MANAGER)
    replies = Chat.text_of(await tom.submit(form_values(employee_id="D013")))
    assert "only log and see one-to-ones for people who report to you" in replies
    assert "Nothing was saved" in replies
    margaret = Chat(demo_org, MARGARET_STAFF)
    replies = Chat.text_of(await margaret.submit(form_values(employee_id="D013")))
    assert "Nothing was saved" in replies
    priya = Chat(demo_org, PRIYA_MANAGER)
    replies = Chat.text_of(await priya.submit(form_values(employee_id="D002")))  # her own manager
    assert "Nothing was saved" in replies
    for bad in (None, 13, ["D013"], {"id": "D013"}, "D013' OR 1=1"):
        Chat.text_of(await priya.submit(form_values(employee_id=bad)))
    assert await count(demo_org, OneToOne) == 0
    assert tom.notifier.sent == [] and margaret.notifier.sent == []


async def test_staff_cannot_start_logging_and_are_told_why(demo_org: Database) -> None:
    chat = Chat(demo_org, MARGARET_STAFF)
    assert "for line managers" in Chat.text_of(await chat.say("log 1:1 with Rhys"))
    assert "for line managers" in Chat.text_of(await chat.say("one-to-ones with Rhys"))


async def test_staff_see_only_the_shared_part_and_can_respond(demo_org: Database) -> None:
    priya = Chat(demo_org, PRIYA_MANAGER)
    await priya.say("log 1:1 with Rhys")
    await priya.submit(form_values())
    rhys = Chat(demo_org, RHYS_STAFF, notifier=priya.notifier)
    mine = Chat.text_of(await rhys.say("my one-to-ones"))
    assert "Great progress on the reading challenge." in mine
    assert "PRIVATE" not in mine and "40 children" not in mine
    margaret = Chat(demo_org, MARGARET_STAFF)
    assert "Great progress" not in Chat.text_of(await margaret.say("my one-to-ones"))

    async with demo_org.sessions() as session:
        record_id = await session.scalar(select(OneToOne.id))
    assert "noted that you've seen it" in Chat.text_of(
        await rhys.submit({"form": "one_to_one_ack", "record_id": record_id})
    )
    stranger = Chat.text_of(
        await margaret.submit(
            {"form": "one_to_one_comment", "record_id": record_id, "comment": "Not mine"}
        )
    )
    assert "isn't yours" in stranger
    replies = await rhys.submit(
        {"form": "one_to_one_comment", "record_id": record_id, "comment": "Thanks, sounds right"}
    )
    assert "your manager will see it" in Chat.text_of(replies)
    async with demo_org.sessions() as session:
        record = await session.get(OneToOne, record_id)
        assert record.acknowledged_at is not None
        assert record.employee_comment == "Thanks, sounds right"
    notice = priya.notifier.sent[-1]
    assert notice[0] == await employee_pk(demo_org, "D003")
    assert "Thanks, sounds right" in json.dumps(notice[1])


async def test_my_actions_and_done(demo_org: Database) -> None:
    priya = Chat(demo_org, PRIYA_MANAGER)
    await priya.say("log 1:1 with Rhys")
    await priya.submit(form_values())
    rhys = Chat(demo_org, RHYS_STAFF)
    [card] = Chat.cards_of(await rhys.say("my actions"))
    text = json.dumps(card)
    assert "Draft the spring events plan" in text and "Book the first aid course" not in text
    [priya_card] = Chat.cards_of(await priya.say("my actions"))
    assert "Book the first aid course" in json.dumps(priya_card)
    action_id = next(
        a["data"]["action_id"]
        for e in card["body"]
        for col in e.get("columns", [])
        for item in col["items"]
        if item["type"] == "ActionSet"
        for a in item["actions"]
    )
    assert "isn't one of yours" in Chat.text_of(
        await priya.submit({"form": "action_done", "action_id": action_id})
    )
    assert "Done: Draft the spring events plan" in Chat.text_of(
        await rhys.submit({"form": "action_done", "action_id": action_id})
    )
    assert "Nothing open" in Chat.text_of(await rhys.say("my actions"))


async def test_history_and_editing_within_the_window_with_an_audit_trail(
    demo_org: Database,
) -> None:
    priya = Chat(demo_org, PRIYA_MANAGER)
    await priya.say("log 1:1 with Rhys")
    await priya.submit(form_values())
    [history] = Chat.cards_of(await priya.say("one-to-ones with rhys"))
    text = json.dumps(history)
    assert "One-to-ones with Rhys Evans" in text and "Managing" in text
    edit = next(
        a["data"]
        for e in history["body"]
        for item in e.get("items", [])
        if item["type"] == "ActionSet"
        for a in item["actions"]
    )
    card = form_card(await priya.submit(edit))
    assert input_value(card, "private_note") == "PRIVATE: watch for signs of burnout"
    replies = await priya.submit(
        form_values(managing="Updated after reflection", record_id=edit["record_id"])
    )
    assert "Updated: one-to-one with Rhys Evans" in Chat.text_of(replies)
    async with demo_org.sessions() as session:
        record = await session.scalar(select(OneToOne))
        changes = (
            await session.scalars(select(OneToOneRevision).order_by(OneToOneRevision.id))
        ).all()
    assert record.managing == "Updated after reflection"
    assert [c.change for c in changes] == ["created", "edited"]
    assert "40 children" in (changes[1].before_json or "")

    later = Chat(demo_org, PRIYA_MANAGER, now=NOW + timedelta(days=8))
    replies = Chat.text_of(
        await later.submit({"form": "one_to_one_edit", "record_id": edit["record_id"]})
    )
    assert "can't be changed any more" in replies
    tom = Chat(demo_org, TOM_MANAGER)
    assert "only edit one-to-ones you logged" in Chat.text_of(
        await tom.submit({"form": "one_to_one_edit", "record_id": edit["record_id"]})
    )
    forged = Chat.text_of(await tom.submit(form_values(record_id=edit["record_id"])))
    assert "Nothing was saved" in forged
    async with demo_org.sessions() as session:
        assert (await session.scalar(select(OneToOne.managing))) == "Updated after reflection"


async def test_a_command_interrupts_the_form_and_typing_is_redirected(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    await chat.say("log 1:1 with Rhys")
    assert "use the card above" in Chat.text_of(await chat.say("blah"))
    assert "How Charter sees you" in Chat.text_of(await chat.say("who am I"))
    assert "finished" in Chat.text_of(await chat.submit({"form": "carry_over"}))
