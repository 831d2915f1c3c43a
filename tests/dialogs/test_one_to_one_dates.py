"""A one-to-one dated on a non-working day is asked about before it's saved; a day still to
come is noticed; the private note says honestly who may see it (#15)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from storage.database import Database
from storage.models import OneToOne
from tests.dialogs.test_one_to_one_dialog import TODAY, form_card, form_values, input_value
from tests.support.chat import Chat, RecordingNotifier
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF

SUNDAY = TODAY - timedelta(days=1)  # NOW is Monday 23 November 2026
BOXING_DAY_2025 = "2025-12-26"


async def saved(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(OneToOne)) or 0)


def buttons(replies: list) -> dict[str, dict]:
    return {a["title"]: a["data"] for c in Chat.cards_of(replies) for a in c.get("actions", [])}


async def test_a_sunday_is_asked_about_and_saved_only_on_save_anyway(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    replies = await chat.submit(form_values(held_on=SUNDAY.isoformat()))
    assert "Sunday 22 November 2026 is a Sunday. Save anyway?" in Chat.text_of(replies)
    assert await saved(demo_org) == 0
    replies = await chat.submit(buttons(replies)["Save anyway"])
    assert "Saved: one-to-one with Rhys Evans" in Chat.text_of(replies)
    assert await saved(demo_org) == 1
    async with demo_org.sessions() as session:
        assert (await session.scalar(select(OneToOne.held_on))) == SUNDAY


async def test_change_the_date_brings_back_the_form_as_typed(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    replies = await chat.submit(form_values(held_on=BOXING_DAY_2025))
    assert "Boxing Day, a bank holiday" in Chat.text_of(replies)
    replies = await chat.submit(buttons(replies)["Change the date"])
    card = form_card(replies)
    assert input_value(card, "held_on") == BOXING_DAY_2025
    assert input_value(card, "shared_notes") == "Great progress on the reading challenge."
    assert await saved(demo_org) == 0


async def test_a_working_day_saves_at_once(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    replies = await chat.submit(form_values())  # last Friday
    assert "Save anyway" not in Chat.text_of(replies)
    assert await saved(demo_org) == 1


async def test_log_with_a_name_and_tomorrow(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    replies = await chat.say("log 1:1 with Rhys tomorrow")
    text = Chat.text_of(replies)
    assert "couldn't find" not in text
    assert "Tuesday 24 November 2026 is still to come" in text
    card = form_card(replies)
    assert input_value(card, "employee_id") == "D013"
    assert input_value(card, "held_on") == TODAY.isoformat()


async def test_the_private_note_says_it_is_disclosed_on_request(demo_org: Database) -> None:
    chat = Chat(demo_org, PRIYA_MANAGER)
    card = json.dumps(form_card(await chat.say("log 1:1 with Rhys")))
    assert "only you see this" not in card
    assert "not shared with Rhys; included if they ask for their records" in card


def _find_actions(card: dict, title: str) -> list[dict]:
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("title") == title and node.get("type", "").startswith("Action."):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


async def test_staff_acknowledge_a_one_to_one_logged_before_they_opened_charter(
    demo_org: Database,
) -> None:
    unreachable = RecordingNotifier(reachable=False)
    priya = Chat(demo_org, PRIYA_MANAGER, notifier=unreachable)
    await priya.submit(form_values())
    rhys = Chat(demo_org, RHYS_STAFF)
    [card] = Chat.cards_of(await rhys.say("my one-to-ones"))
    assert "Waiting for you to acknowledge it." in json.dumps(card)
    [ack] = _find_actions(card, "Acknowledge")
    assert "noted that you've seen it" in Chat.text_of(await rhys.submit(ack["data"]))
    [show] = _find_actions(card, "Add a comment")
    [send] = _find_actions(show["card"], "Send comment")
    replies = await rhys.submit({**send["data"], "comment": "Can we move the first aid course?"})
    assert "your manager will see it" in Chat.text_of(replies)
    [card] = Chat.cards_of(await rhys.say("my one-to-ones"))
    text = json.dumps(card)
    assert "You commented: Can we move the first aid course?" in text
    assert not _find_actions(card, "Acknowledge")
