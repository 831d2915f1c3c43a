"""The card lifecycle through the SDK's TestAdapter: the card a person pressed changes in
place (saved -> read-only, problems -> the same form with messages by the fields, Cancel ->
"Cancelled"), Cancel never validates, and one form instance saves at most once."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from botbuilder.schema import Activity

from dialogs import kit
from domain.form_tokens import FORM_ISSUED, FORM_TOKEN
from storage.database import Database
from storage.models import Apr, OneToOne
from tests.dialogs.test_one_to_one_dialog import count, form_values
from tests.support.card_chat import CardChat
from tests.support.chat import NOW
from tests.support.people import PRIYA_MANAGER

TODAY = NOW.date()


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return list(card.get("actions", []))


def inputs(card: dict[str, Any]) -> list[str]:
    return [m for m in json.dumps(card).split('"type": "') if m.startswith("Input.")]


async def open_form(chat: CardChat, text: str) -> tuple[Activity, dict[str, Any]]:
    """Ask for a form; the message it came in and its Save button's data."""
    [message] = [r for r in await chat.say(text) if r.attachments]
    save = actions(CardChat.card_in(message))[0]
    return message, dict(save["data"])


async def test_a_saved_form_becomes_read_only_and_a_second_press_saves_nothing(
    demo_org: Database,
) -> None:
    chat = CardChat(demo_org, PRIYA_MANAGER)
    form, save = await open_form(chat, "log 1:1 with Rhys")
    assert FORM_TOKEN in save and FORM_ISSUED in save
    await chat.press(form, {**form_values(), **save})

    [update] = chat.updates
    assert update.id == form.id
    summary = CardChat.card_in(update)
    text = json.dumps(summary)
    assert "Saved by Priya at 10:00" in text and "Rhys Evans" in text
    assert inputs(summary) == []
    assert [a["title"] for a in actions(summary)] == ["Edit"]

    # The same form pressed again with edited notes: nothing saved, told on the card.
    edited = {**form_values(shared_notes="Edited afterwards"), **save}
    replies = await chat.press(form, edited)
    assert replies == []
    assert chat.updates[-1].id == form.id
    again = CardChat.card_in(chat.updates[-1])
    assert "already saved" in json.dumps(again)
    assert "Edited afterwards" not in json.dumps(again)
    assert [a["title"] for a in actions(again)] == ["Edit"]
    assert await count(demo_org, OneToOne) == 1


async def test_without_a_summary_to_draw_a_second_press_leaves_the_card_and_replies(
    demo_org: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form whose feature can't draw its record again (or whose record the person may no
    longer edit): the saved summary on screen is left alone, and a short reply says why."""
    chat = CardChat(demo_org, PRIYA_MANAGER)
    form, save = await open_form(chat, "log 1:1 with Rhys")
    await chat.press(form, {**form_values(), **save})
    monkeypatch.setattr(kit, "_SAVED_SUMMARIES", {})
    updates = len(chat.updates)
    replies = await chat.press(form, {**form_values(shared_notes="Edited afterwards"), **save})
    assert len(chat.updates) == updates  # the summary stays as it is
    said = CardChat.text_of(replies)
    assert "already saved" in said and "Nothing was changed" in said
    assert "Edit" not in said  # no Edit button to point to where the record isn't redrawn
    assert await count(demo_org, OneToOne) == 1


async def test_cancel_on_an_empty_form_never_validates_and_cancels_it(demo_org: Database) -> None:
    chat = CardChat(demo_org, PRIYA_MANAGER)
    form, _ = await open_form(chat, "log 1:1")
    cancel = actions(CardChat.card_in(form))[-1]
    assert cancel["title"] == "Cancel" and cancel["associatedInputs"] == "none"

    assert await chat.press(form, dict(cancel["data"])) == []
    [update] = chat.updates
    assert update.id == form.id
    assert "Cancelled" in json.dumps(CardChat.card_in(update))
    # The conversation ended with it.
    assert "nothing to cancel" in CardChat.text_of(await chat.say("cancel"))


async def test_typing_cancel_closes_a_form_that_has_no_conversation(demo_org: Database) -> None:
    """Record APR is answered in one turn (no conversation waits for it)."""
    chat = CardChat(demo_org, PRIYA_MANAGER)
    form, _ = await open_form(chat, "record APR for Rhys")
    replies = CardChat.text_of(await chat.say("cancel"))
    assert "nothing to cancel" not in replies and "cancelled that form" in replies
    [update] = chat.updates
    assert update.id == form.id and "Cancelled" in json.dumps(CardChat.card_in(update))
    assert await count(demo_org, Apr) == 0


async def test_a_form_with_problems_comes_back_in_place_with_messages_by_its_fields(
    demo_org: Database,
) -> None:
    chat = CardChat(demo_org, PRIYA_MANAGER)
    form, save = await open_form(chat, "log 1:1 with Rhys")
    future = (TODAY + timedelta(days=1)).isoformat()
    typed = {**form_values(held_on=future, managing="", supporting=""), **save}
    assert await chat.press(form, typed) == []

    [update] = chat.updates
    assert update.id == form.id
    card = CardChat.card_in(update)
    assert card["body"][1]["style"] == "attention"
    assert "2 problems" in json.dumps(card["body"][1])
    body = json.dumps(card["body"])
    held_on = body.index('"id": "held_on"')
    assert held_on < body.index("can't be in the future") < body.index('"id": "managing"')
    assert body.index('"id": "managing"') < body.index("at least one of the four areas")
    assert typed["shared_notes"] in body  # what was typed is kept
    assert actions(card)[0]["data"][FORM_TOKEN] == save[FORM_TOKEN]  # still the same form

    # Fixed, it saves once and becomes read-only in the same place.
    await chat.press(form, {**form_values(), **save})
    assert chat.updates[-1].id == form.id
    assert "Saved by Priya" in json.dumps(CardChat.card_in(chat.updates[-1]))
    assert await count(demo_org, OneToOne) == 1


async def test_a_form_left_open_for_over_a_week_is_expired_not_saved(demo_org: Database) -> None:
    chat = CardChat(demo_org, PRIYA_MANAGER)
    form, save = await open_form(chat, "log 1:1 with Rhys")
    stale = {**save, FORM_ISSUED: (NOW - timedelta(days=8)).isoformat()}
    assert await chat.press(form, {**form_values(), **stale}) == []
    assert "expired" in json.dumps(CardChat.card_in(chat.updates[-1]))
    assert await count(demo_org, OneToOne) == 0
