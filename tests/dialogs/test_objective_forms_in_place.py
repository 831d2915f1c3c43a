"""Objective and APR forms with problems come back in place (#15): the card pressed is
replaced by the same form, each message right under the input it is about, what was typed
kept, and nothing new below it. Also: a shared APR preparation becomes what was shared."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from botbuilder.schema import Activity

from storage.database import Database
from tests.dialogs.test_objectives_and_aprs import add_agreed_objective, good_objective
from tests.support.card_chat import CardChat
from tests.support.chat import NOW, RecordingNotifier
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF

TODAY = NOW.date()


async def open_card(chat: CardChat, text: str) -> tuple[Activity, dict[str, Any]]:
    [message] = [r for r in await chat.say(text) if r.attachments]
    return message, CardChat.card_in(message)


def save_data(card: dict[str, Any]) -> dict[str, Any]:
    return dict(card["actions"][0]["data"])


def beside(card: dict[str, Any], field: str, message: str) -> bool:
    """Whether ``message`` comes after the input ``field`` and before the next input."""
    text = json.dumps(card)
    at = text.find(f'"id": "{field}"')
    if at < 0:
        return False
    said = text.find(message, at)
    following = text.find('"id": "', at + 1)
    return said >= 0 and (following < 0 or said < following)


async def test_add_objective_with_problems_comes_back_in_place_beside_its_fields(
    demo_org: Database,
) -> None:
    rhys = CardChat(demo_org, RHYS_STAFF)
    message, form = await open_card(rhys, "add objective")
    values = await good_objective(demo_org, title="", target_date="soon", priority_id="")
    replies = await rhys.press(message, {**values, **save_data(form)})
    assert replies == []  # nothing new below the form
    [update] = rhys.updates
    assert update.id == message.id
    again = CardChat.card_in(update)
    assert beside(again, "title", "Give the objective a title.")
    assert beside(again, "target_date", "isn't a date I recognise")
    assert beside(again, "priority_id", "Choose the council priority it serves")
    assert "Please fix the 3 problems below" in json.dumps(again)
    assert values["measure"] in json.dumps(again)  # what was typed is kept
    # Still the same form: the same token, so it still saves once.
    assert save_data(again)["form_token"] == save_data(form)["form_token"]


async def test_record_apr_with_problems_comes_back_in_place(demo_org: Database) -> None:
    notifier = RecordingNotifier()
    await add_agreed_objective(demo_org, notifier)
    priya = CardChat(demo_org, PRIYA_MANAGER, notifier=notifier)
    message, form = await open_card(priya, "record APR for Rhys")
    typed = {
        "held_on": (TODAY + timedelta(days=3)).isoformat(),
        "overall_comments": "A strong year, kept as typed",
    }
    replies = await priya.press(message, {**save_data(form), **typed})
    assert replies == []
    again = CardChat.card_in(priya.updates[-1])
    assert priya.updates[-1].id == message.id
    assert beside(again, "held_on", "The date can't be in the future.")
    outcome = next(
        k for k in json.dumps(again).split('"id": "')[1:] if k.startswith("outcome_")
    ).split('"')[0]
    assert beside(again, outcome, "Choose an outcome for")
    assert "A strong year, kept as typed" in json.dumps(again)


async def test_apr_preparation_problems_in_place_and_shared_becomes_read_only(
    demo_org: Database,
) -> None:
    notifier = RecordingNotifier()
    await add_agreed_objective(demo_org, notifier)
    rhys = CardChat(demo_org, RHYS_STAFF, notifier=notifier)
    message, form = await open_card(rhys, "prepare my APR")
    too_long = "x" * 2001
    achievement = next(
        k for k in json.dumps(form).split('"id": "')[1:] if k.startswith("achievement_")
    ).split('"')[0]
    typed = {achievement: "Held five sessions", "obstacles": too_long}
    assert await rhys.press(message, {**save_data(form), **typed}) == []
    again = CardChat.card_in(rhys.updates[-1])
    assert beside(again, "obstacles", "Please keep each answer under")
    assert "Held five sessions" in json.dumps(again)  # the achievement typed is kept

    await rhys.press(message, {**save_data(again), achievement: "Held five sessions"})
    shared = json.dumps(CardChat.card_in(rhys.updates[-1]))
    assert "APR preparation saved" in shared and "Shared by Rhys at 10:00" in shared
    assert "Input." not in shared
    _, notice, _ = notifier.sent[-1]
    assert [a["title"] for a in notice["actions"]] == ["Open Rhys's APR"]
