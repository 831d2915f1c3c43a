"""The card lifecycle over HTTP: a press carries ``replyToId`` (as Teams sends it) and the bot
changes that card in place through the Bot Connector's update call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Settings
from domain.clock import FixedClock
from storage.database import Database
from storage.models import OneToOne
from tests.dialogs.test_one_to_one_dialog import count
from tests.e2e.conftest import NOW
from tests.e2e.test_one_to_ones_http import FORM
from tests.support.card_presses import ask_card
from tests.support.card_presses import press as press_as
from tests.support.people import PRIYA_MANAGER
from tests.support.server import RunningBot, start_bot
from tests.support.updating_connector import UpdatingConnectorStandIn


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def ask_for_form(
    bot: RunningBot, connector: UpdatingConnectorStandIn, text: str
) -> tuple[str, dict[str, Any]]:
    """The id Teams gave the form's message, and the form card."""
    return await ask_card(bot, connector, PRIYA_MANAGER, text)


async def press(
    bot: RunningBot, connector: UpdatingConnectorStandIn, card_id: str, value: dict[str, Any]
) -> dict[str, Any]:
    """Priya presses a button on that card; the update the bot made to it."""
    return await press_as(bot, connector, PRIYA_MANAGER, card_id, value)


async def test_a_one_to_one_card_lives_and_ends_in_place(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_org: Database
) -> None:
    card_id, form = await ask_for_form(org_bot, updating, "log 1:1 with Rhys")
    save = form["actions"][0]["data"]

    # Problems: the same card comes back with the message under its field, typed text kept.
    bad = {**FORM, "held_on": "2030-01-01", **save}
    again = json.dumps(await press(org_bot, updating, card_id, bad))
    assert again.index('"id": "held_on"') < again.index("can't be in the future")
    assert FORM["shared_notes"] in again

    # Saved: read-only, who and when, only Edit.
    saved = await press(org_bot, updating, card_id, {**FORM, **save})
    assert "Saved by Priya at 10:00" in json.dumps(saved)
    assert "Input." not in json.dumps(saved)
    assert [a["title"] for a in saved["actions"]] == ["Edit"]

    # The same form pressed again with edits: already saved, nothing written. The card stays
    # the saved summary (drawn again from the server, not from what was sent), with its Edit
    # button and a line saying why nothing changed.
    edited = {**FORM, "shared_notes": "Changed my mind", "managing": "Edited managing", **save}
    again = await press(org_bot, updating, card_id, edited)
    shown = json.dumps(again)
    assert "already saved" in shown and "use **Edit** below" in shown
    assert again["body"][0]["text"] == "Saved: one-to-one with Rhys Evans"
    assert FORM["shared_notes"] in shown and FORM["managing"] in shown
    assert "Changed my mind" not in shown and "Edited managing" not in shown
    assert [a["title"] for a in again["actions"]] == ["Edit"]
    assert again["actions"][0]["data"] == saved["actions"][0]["data"]
    assert "Pressed again by Priya at 10:00" in shown
    assert await count(demo_org, OneToOne) == 1
    assert not [t for t in updating.texts() if "Saved" in t]

    # A third press: the same again, still one record.
    third = await press(org_bot, updating, card_id, edited)
    assert third["body"][0]["text"] == "Saved: one-to-one with Rhys Evans"
    assert await count(demo_org, OneToOne) == 1


async def test_cancel_on_an_empty_form_cancels_it_in_place(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_org: Database
) -> None:
    card_id, form = await ask_for_form(org_bot, updating, "log 1:1")
    cancel = form["actions"][-1]
    assert cancel["associatedInputs"] == "none"
    updating.clear()
    cancelled = await press(org_bot, updating, card_id, cancel["data"])
    assert "Cancelled" in json.dumps(cancelled) and "actions" not in cancelled
    assert updating.received == []  # nothing new below: the card itself says so
    assert await count(demo_org, OneToOne) == 0
