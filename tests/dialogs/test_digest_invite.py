"""The employee's day-before item in the digest (#18), through the TestAdapter: "anything you
want to talk about?" with a one-line box and "Add to my agenda" on the card itself; the point
goes to the presser's own agenda (never to an id the card sends) and the item changes in place;
empty text is answered on the item and changes nothing. An invitation is not overdue: no
Snooze, no Done elsewhere, no "due since". A digest only about its reader says "for you"; the
manager's overdue one-to-one with someone already planned for tomorrow says when."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from botbuilder.schema import Activity, ActivityTypes
from sqlalchemy import select

from storage.database import Database
from storage.models import AgendaPoint, Employee, PlannedOneToOne
from tests.dialogs.test_digest_in_place import buttons, digest_card, items
from tests.dialogs.test_nudge_buttons import TODAY, cycle
from tests.support.card_chat import CardChat
from tests.support.chat import NOW, Chat
from tests.support.people import MARGARET_STAFF, PRIYA_MANAGER, RHYS_STAFF

INVITE = "Your one-to-one with Priya is tomorrow"


async def ids(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        return dict((await session.execute(select(Employee.employee_id, Employee.id))).all())


async def plan_tomorrow(database: Database) -> dict[str, int]:
    """Priya plans her one-to-one with Rhys for tomorrow at 10:00; today's cycle runs."""
    found = await ids(database)
    async with database.transaction() as session:
        session.add(
            PlannedOneToOne(
                employee_id=found["D013"],
                manager_id=found["D003"],
                starts_at=NOW + timedelta(days=1),
                status="planned",
                proposed=False,
                created_at=NOW - timedelta(days=3),
            )
        )
    await cycle(database).run_cycle(TODAY)
    return found


async def points_of(database: Database, employee: int) -> list[tuple[str, int | None]]:
    async with database.sessions() as session:
        rows = await session.scalars(
            select(AgendaPoint).where(AgendaPoint.employee_id == employee).order_by(AgendaPoint.id)
        )
        return [(p.text, p.added_by_id) for p in rows]


def message(card: dict[str, Any]) -> Activity:
    return Activity(type=ActivityTypes.message, id="rhys-digest", attachments=[card])


def inputs(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in item["items"] if e.get("type", "").startswith("Input.")]


def updated(chat: CardChat) -> dict[str, Any]:
    update = chat.updates[-1]
    assert update.id == "rhys-digest"
    return CardChat.card_in(update)


async def test_the_invitation_has_a_box_and_no_overdue_buttons(demo_org: Database) -> None:
    await plan_tomorrow(demo_org)
    card = await digest_card(demo_org, "D013")
    shown = json.dumps(card)
    assert "What Charter found due for you." in shown and "your team" not in shown
    invite = items(card)[INVITE]
    assert "Anything you want to talk about?" in json.dumps(invite)
    [box] = inputs(invite)
    assert box["type"] == "Input.Text" and box["isMultiline"] is False
    assert set(buttons(invite)) == {"Add to my agenda"}
    assert "due since" not in json.dumps(invite)
    assert "Snooze" not in shown and "Done elsewhere" not in shown


async def test_adding_a_point_goes_to_his_own_agenda_and_the_item_changes_in_place(
    demo_org: Database,
) -> None:
    found = await plan_tomorrow(demo_org)
    card = await digest_card(demo_org, "D013")
    add = buttons(items(card)[INVITE])["Add to my agenda"]["data"]
    rhys = CardChat(demo_org, RHYS_STAFF)

    # Ids sent with the press are not believed: the point is his, with his manager.
    forged = {**add, "employee_id": "D011", "agenda_point": "Training on the new catalogue"}
    assert await rhys.press(message(card), forged) == []  # the card itself says so
    now = items(updated(rhys))[INVITE]
    assert "Added:** Training on the new catalogue" in json.dumps(now)
    assert [b["type"] for b in inputs(now)] == ["Input.Text"]  # the box again, for another
    assert set(buttons(now)) == {"Add to my agenda"}
    assert await points_of(demo_org, found["D013"]) == [
        ("Training on the new catalogue", found["D013"])
    ]
    assert await points_of(demo_org, found["D011"]) == []

    await rhys.press(message(card), {**add, "agenda_point": "Summer reading rota"})
    shown = json.dumps(items(updated(rhys))[INVITE])
    assert "Added:** Training on the new catalogue" in shown
    assert "Added:** Summer reading rota" in shown
    said = Chat.text_of(await Chat(demo_org, PRIYA_MANAGER).say("agenda for Rhys"))
    assert "Training on the new catalogue" in said and "Summer reading rota" in said


async def test_empty_text_is_answered_on_the_item_and_changes_nothing(demo_org: Database) -> None:
    found = await plan_tomorrow(demo_org)
    card = await digest_card(demo_org, "D013")
    add = buttons(items(card)[INVITE])["Add to my agenda"]["data"]
    rhys = CardChat(demo_org, RHYS_STAFF)
    assert await rhys.press(message(card), {**add, "agenda_point": "   "}) == []
    now = items(updated(rhys))[INVITE]
    assert "Please type what you'd like to talk about" in json.dumps(now)
    assert "Added:" not in json.dumps(now)
    assert set(buttons(now)) == {"Add to my agenda"}
    assert await points_of(demo_org, found["D013"]) == []


async def test_someone_else_pressing_his_invitation_adds_nothing(demo_org: Database) -> None:
    found = await plan_tomorrow(demo_org)
    card = await digest_card(demo_org, "D013")
    add = buttons(items(card)[INVITE])["Add to my agenda"]["data"]
    margaret = CardChat(demo_org, MARGARET_STAFF)
    replies = await margaret.press(message(card), {**add, "agenda_point": "Intruder point"})
    assert "isn't one of yours" in Chat.text_of(replies)
    assert margaret.updates == []
    assert await points_of(demo_org, found["D013"]) == []
    assert await points_of(demo_org, found["D011"]) == []
    # Nor can the press be pointed at another of her digest's items.
    priya = CardChat(demo_org, PRIYA_MANAGER)
    priya_card = await digest_card(demo_org, "D003")
    snooze = next(
        b["data"]
        for item in items(priya_card).values()
        for title, b in buttons(item).items()
        if title == "Snooze"
    )
    replies = await priya.press(message(priya_card), {**snooze, "form": "nudge_agenda_add"})
    assert "isn't an invitation" in Chat.text_of(replies)
    assert await points_of(demo_org, found["D003"]) == []
    # A press naming no digest is no copy of an invitation: nothing is added, even for Rhys.
    rhys = CardChat(demo_org, RHYS_STAFF)
    bare = {k: v for k, v in add.items() if k != "digest_id"} | {"agenda_point": "Bare"}
    assert "isn't one of yours" in Chat.text_of(await rhys.press(message(card), bare))
    assert await points_of(demo_org, found["D013"]) == []


async def test_the_managers_digest_says_the_overdue_one_to_one_is_planned(
    demo_org: Database,
) -> None:
    await plan_tomorrow(demo_org)
    card = await digest_card(demo_org, "D003")
    shown = json.dumps(card)
    assert "What Charter found due for you and your team." in shown
    overdue = json.dumps(items(card)["One-to-one with Rhys Evans"])
    assert "planned for tomorrow, Tue 24 Nov 10:00" in overdue
    assert "Log one-to-one" in overdue
    # Margaret's, with nothing planned, nags as before.
    assert "planned for" not in json.dumps(items(card)["One-to-one with Margaret Hughes"])
    # The prep card's item comes just after the overdue ones, and is not "due since".
    headings = [e["text"] for e in card["body"] if e.get("type") == "TextBlock"]
    assert headings[headings.index("One-to-ones") + 1] == "Coming one-to-ones"
    prep = json.dumps(items(card)["One-to-one with Rhys Evans on Tuesday 24 November"])
    assert "Open prep card" in prep and "due since" not in prep
