"""The reminder digest changes in place (#15): the item acted on shows what was done and
loses its buttons, the other items keep theirs, what it shows is read from the server, and a
second press on an item already dealt with changes nothing."""

from __future__ import annotations

import json
from typing import Any

from botbuilder.schema import Activity, ActivityTypes
from sqlalchemy import select

from dialogs.nudges.views import digest_cards
from storage import nudges as outbox
from storage.database import Database
from storage.models import Employee, NudgeDigest, NudgeSnooze, ObjectiveUpdate
from tests.dialogs.test_nudge_buttons import TODAY, cycle
from tests.dialogs.test_objectives_and_aprs import good_objective, objectives, pk
from tests.support.card_chat import CardChat
from tests.support.chat import Chat, RecordingNotifier
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF, TOM_MANAGER

DIGEST_MESSAGE = "digest-message-1"


async def digest_card(database: Database, employee_id: str = "D003") -> dict[str, Any]:
    """The card the sender would deliver to this person for today's run."""
    async with database.sessions() as session:
        recipient = await session.scalar(
            select(Employee.id).where(Employee.employee_id == employee_id)
        )
        digest_id = await session.scalar(
            select(NudgeDigest.id).where(NudgeDigest.recipient_id == recipient)
        )
        assert digest_id is not None
        digest, refs = (await outbox.load_digests(session, [digest_id]))[digest_id]
    [card] = digest_cards(digest.nudges, refs)
    return card


def items(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each item container by its title (without the bold)."""
    found = {}
    for element in card["body"]:
        if element.get("type") == "Container" and element.get("separator"):
            found[element["items"][0]["text"].strip("*")] = element
    return found


def buttons(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    sets = [e for e in item["items"] if e.get("type") == "ActionSet"]
    return {a["title"]: a for s in sets for a in s["actions"]}


def digest_message(card: dict[str, Any]) -> Activity:
    return Activity(type=ActivityTypes.message, id=DIGEST_MESSAGE, attachments=[card])


async def setup(database: Database, notifier: RecordingNotifier) -> dict[str, Any]:
    rhys = Chat(database, RHYS_STAFF, notifier=notifier)
    await rhys.submit(await good_objective(database))
    await cycle(database).run_cycle(TODAY)
    return await digest_card(database)


def updated(chat: CardChat) -> dict[str, Any]:
    update = chat.updates[-1]
    assert update.id == DIGEST_MESSAGE
    return CardChat.card_in(update)


async def test_acting_on_an_item_changes_it_in_place_and_leaves_the_others(
    demo_org: Database,
) -> None:
    notifier = RecordingNotifier()
    card = await setup(demo_org, notifier)
    titles = list(items(card))
    objective_title = next(t for t in titles if t.startswith("Objective to agree"))
    other = next(t for t in titles if t != objective_title)
    priya = CardChat(demo_org, PRIYA_MANAGER, notifier=notifier)
    message = digest_message(card)

    snooze = buttons(items(card)[other])["Snooze"]["data"]
    assert await priya.press(message, snooze) == []  # the card itself says so
    now = items(updated(priya))
    assert "Snoozed by Priya until Monday 30 November" in json.dumps(now[other])
    assert buttons(now[other]) == {}
    assert "Agree objective" in buttons(now[objective_title])

    # Agree objective: the item opens in place with the measure and date, nothing agreed yet.
    review = buttons(items(card)[objective_title])["Agree objective"]["data"]
    await priya.press(message, review)
    opened = items(updated(priya))
    shown = json.dumps(opened[objective_title])
    assert "Six sessions held with at least 40 attendees in total" in shown
    assert "Target date" in shown
    assert set(buttons(opened[objective_title])) == {"Agree", "Ask for changes", "Snooze"}
    assert "Snoozed by Priya" in json.dumps(opened[other])  # still as recorded
    [objective] = await objectives(demo_org)
    assert objective.status == "draft"

    agree = buttons(opened[objective_title])["Agree"]["data"]
    await priya.press(message, agree)
    done = items(updated(priya))
    assert "Agreed by Priya at 10:00" in json.dumps(done[objective_title])
    assert buttons(done[objective_title]) == {}
    [objective] = await objectives(demo_org)
    assert objective.status == "agreed"
    to, notice, _ = notifier.sent[-1]
    assert to == await pk(demo_org, "D013")  # Rhys is told
    assert "agreed the objective" in json.dumps(notice)


async def test_a_second_press_on_an_item_dealt_with_changes_nothing(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    card = await setup(demo_org, notifier)
    objective_title = next(t for t in items(card) if t.startswith("Objective to agree"))
    other = next(t for t in items(card) if t != objective_title)
    priya = CardChat(demo_org, PRIYA_MANAGER, notifier=notifier)
    message = digest_message(card)
    agree = {**buttons(items(card)[objective_title])["Agree objective"]["data"]}
    agree["form"] = "nudge_agree"
    await priya.press(message, agree)
    async with demo_org.sessions() as session:
        changes = len((await session.scalars(select(ObjectiveUpdate))).all())

    # The same buttons pressed again, from the card as it first arrived.
    replies = await priya.press(message, agree)
    assert "already dealt with (Agreed by Priya at 10:00 on 23 Nov)" in Chat.text_of(replies)
    assert "Nothing was changed" in Chat.text_of(replies)
    assert "Agreed by Priya" in json.dumps(updated(priya))
    replies = await priya.press(message, buttons(items(card)[objective_title])["Snooze"]["data"])
    assert "already dealt with" in Chat.text_of(replies)
    async with demo_org.sessions() as session:
        assert len((await session.scalars(select(ObjectiveUpdate))).all()) == changes
        assert (await session.scalars(select(NudgeSnooze))).all() == []

    done = buttons(items(card)[other])["Done elsewhere"]["card"]["actions"][0]["data"]
    await priya.press(message, {**done, "reason": "On paper"})
    assert "Marked done elsewhere by Priya at 10:00" in json.dumps(items(updated(priya))[other])
    replies = await priya.press(message, {**done, "reason": "Changed my mind"})
    assert "already dealt with" in Chat.text_of(replies)
    async with demo_org.sessions() as session:
        [mark] = (await session.scalars(select(NudgeSnooze))).all()
    assert mark.done_reason == "On paper"


async def test_ask_for_changes_reaches_the_owner_and_closes_the_item(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    card = await setup(demo_org, notifier)
    objective_title = next(t for t in items(card) if t.startswith("Objective to agree"))
    priya = CardChat(demo_org, PRIYA_MANAGER, notifier=notifier)
    message = digest_message(card)
    about = buttons(items(card)[objective_title])["Agree objective"]["data"]
    replies = await priya.press(message, {**about, "form": "nudge_changes", "comment": " "})
    assert "say what should change" in Chat.text_of(replies)
    await priya.press(message, {**about, "form": "nudge_changes", "comment": "Name the venue"})
    assert "Changes asked for by Priya at 10:00" in json.dumps(updated(priya))
    to, notice, _ = notifier.sent[-1]
    assert to == await pk(demo_org, "D013")
    assert "Name the venue" in json.dumps(notice)
    assert [a["title"] for a in notice["actions"]] == ["Change it"]
    [objective] = await objectives(demo_org)
    assert objective.status == "draft"


async def test_a_digest_that_isnt_yours_or_an_item_not_on_it_is_refused(
    demo_org: Database,
) -> None:
    notifier = RecordingNotifier()
    card = await setup(demo_org, notifier)
    objective_title = next(t for t in items(card) if t.startswith("Objective to agree"))
    about = buttons(items(card)[objective_title])["Agree objective"]["data"]
    tom = CardChat(demo_org, TOM_MANAGER, notifier=notifier)
    replies = await tom.press(digest_message(card), {**about, "form": "nudge_agree"})
    assert "isn't one of yours" in Chat.text_of(replies)
    priya = CardChat(demo_org, PRIYA_MANAGER, notifier=notifier)
    forged = {**about, "form": "nudge_agree", "item_key": "objective:999"}
    assert "isn't one of yours" in Chat.text_of(await priya.press(digest_message(card), forged))
    assert tom.updates == [] and priya.updates == []
    [objective] = await objectives(demo_org)
    assert objective.status == "draft"
