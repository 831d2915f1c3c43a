"""Delegation asks first (#15): "delegate my team to …" shows who will act, when, and what they
will see (health data included) with Confirm and Cancel; only Confirm hands the team over, the
card changes in place to the outcome, and Confirm acts on what the server holds for the card's
token, never on ids the submit carries."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from domain.clock import FixedClock
from storage.database import Database
from storage.models import Delegation
from tests.e2e.conftest import NOW
from tests.support.card_presses import ask_card, press
from tests.support.people import DAVID_HEAD, PRIYA_MANAGER, RHYS_STAFF, TOM_MANAGER
from tests.support.server import RunningBot, start_bot
from tests.support.teams import activity
from tests.support.updating_connector import UpdatingConnectorStandIn

ASK = "delegate my team to David Marsh until Friday"


@pytest.fixture
async def org_bot(db_url: str, demo_db: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def delegations(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Delegation)) or 0)


def button(card: dict[str, Any], title: str) -> dict[str, Any]:
    [found] = [a for a in card["actions"] if a["title"] == title]
    return found


async def test_delegation_is_asked_first_and_confirm_creates_it_in_place(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_db: Database
) -> None:
    await org_bot.post(activity(DAVID_HEAD, updating.url, text="hello"))
    await updating.wait_for(1)
    card_id, card = await ask_card(org_bot, updating, PRIYA_MANAGER, ASK)
    shown = json.dumps(card)
    assert "Make David Marsh acting manager?" in shown
    assert "Friday 27 November" in shown or "27 Nov" in shown, shown
    assert "Rhys Evans" in shown  # who is handed over
    assert "health data" in shown and "one-to-ones" in shown and "APR" in shown
    assert "objectives" in shown
    assert await delegations(demo_db) == 0, "nothing is handed over before Confirm"
    assert button(card, "Cancel")["associatedInputs"] == "none"
    # Nobody else has been told anything yet.
    assert all(m["_conversation"] == PRIYA_MANAGER.conversation_id for m in updating.received)

    updating.clear()
    confirm = button(card, "Confirm")["data"]
    done = json.dumps(await press(org_bot, updating, PRIYA_MANAGER, card_id, confirm))
    assert "Delegation set up" in done and "Confirmed by Priya at 10:00" in done
    assert '"actions"' not in done, "the outcome has no buttons left"
    assert await delegations(demo_db) == 1
    told = await updating.wait_for(1)
    assert any(
        m["_conversation"] == DAVID_HEAD.conversation_id
        and "acting manager for Priya Shah" in json.dumps(m)
        for m in told
    )

    # Pressed again (a copy of the card): the outcome on screen is left as it is, a reply
    # says it was already saved, and there is still one delegation.
    updating.clear()
    updates = len(updating.updates)
    await org_bot.post(activity(PRIYA_MANAGER, updating.url, value=confirm, replyToId=card_id))
    [reply] = await updating.wait_for(1)
    assert "already saved" in json.dumps(reply) and "Nothing was changed" in json.dumps(reply)
    assert len(updating.updates) == updates
    assert await delegations(demo_db) == 1


async def test_cancel_hands_nothing_over(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_db: Database
) -> None:
    card_id, card = await ask_card(org_bot, updating, PRIYA_MANAGER, ASK)
    cancel = button(card, "Cancel")["data"]
    closed = json.dumps(await press(org_bot, updating, PRIYA_MANAGER, card_id, cancel))
    assert "Cancelled" in closed and "Nothing was handed over" in closed
    assert await delegations(demo_db) == 0
    # Confirm pressed afterwards (a stale copy of the card): the request is gone.
    confirm = button(card, "Confirm")["data"]
    late = json.dumps(await press(org_bot, updating, PRIYA_MANAGER, card_id, confirm))
    assert "Nothing was changed" in late
    assert await delegations(demo_db) == 0

    # Typed cancel closes the open confirm card too.
    card_id, card = await ask_card(org_bot, updating, PRIYA_MANAGER, ASK)
    updating.clear()
    before = len(updating.updates)
    await org_bot.post(activity(PRIYA_MANAGER, updating.url, text="cancel"))
    await updating.wait_for(1)
    [closed_in_place] = updating.updates[before:]
    assert closed_in_place["_activity"] == card_id
    assert "Cancelled" in json.dumps(closed_in_place)
    assert await delegations(demo_db) == 0


async def test_confirm_trusts_only_what_the_server_holds(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_db: Database
) -> None:
    card_id, card = await ask_card(org_bot, updating, PRIYA_MANAGER, ASK)
    confirm = button(card, "Confirm")["data"]
    # Ids added to the submit change nothing: the held request is what is acted on.
    forged = {
        **confirm,
        "manager": 1,
        "delegate": 2,
        "delegate_id": "D013",
        "ends_on": "2027-05-01",
    }
    done = json.dumps(await press(org_bot, updating, PRIYA_MANAGER, card_id, forged))
    assert "Delegation set up" in done and "David Marsh" in done
    async with demo_db.sessions() as session:
        [row] = (await session.scalars(select(Delegation))).all()
    assert row.ends_on.isoformat() == "2026-11-27"

    # Someone else pressing a copy of Priya's card (in their own chat) holds nothing for it.
    refused = json.dumps(await press(org_bot, updating, TOM_MANAGER, "tom-1", confirm))
    assert "Nothing was changed" in refused
    # A made-up token is the same.
    fake = {**confirm, "form_token": "A" * 24}
    refused = json.dumps(await press(org_bot, updating, RHYS_STAFF, "rhys-1", fake))
    assert "Nothing was changed" in refused
    assert await delegations(demo_db) == 1


async def test_authority_is_checked_again_at_confirm(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_db: Database
) -> None:
    """Between the question and Confirm a delegation of the team was set up elsewhere (here
    a second confirm card): the second Confirm is refused, the card saying why."""
    first_id, first = await ask_card(org_bot, updating, PRIYA_MANAGER, ASK)
    second_id, second = await ask_card(
        org_bot, updating, PRIYA_MANAGER, "delegate my team to Tom Griffiths until Friday"
    )
    await press(org_bot, updating, PRIYA_MANAGER, first_id, button(first, "Confirm")["data"])
    refused = json.dumps(
        await press(org_bot, updating, PRIYA_MANAGER, second_id, button(second, "Confirm")["data"])
    )
    assert "already acting" in refused and "Nothing was changed" in refused
    assert await delegations(demo_db) == 1
