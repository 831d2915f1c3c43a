"""The manager is told when a member of staff has prepared for their APR (#15): over HTTP,
Rhys shares his preparation, his form becomes what he shared (in place), and a notice goes
through the durable notice outbox to Priya with a button that opens the APR card, which
shows his preparation first."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.models import Notice
from tests.dialogs.test_objectives_and_aprs import pk
from tests.e2e.test_card_lifecycle_http import org_bot
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot
from tests.support.teams import TeamsUser, activity
from tests.support.updating_connector import UpdatingConnectorStandIn

__all__ = ["org_bot"]  # the fixture, shared with the card lifecycle tests


async def to(connector: UpdatingConnectorStandIn, user: TeamsUser, count: int) -> list[Any]:
    for _ in range(200):
        found = [m for m in connector.received if m["_conversation"] == user.conversation_id]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{user.conversation_id} got fewer than {count} messages")


async def test_a_prepared_apr_reaches_the_manager_with_a_button_to_open_it(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_org: Database
) -> None:
    await org_bot.post(activity(PRIYA_MANAGER, updating.url, text="help"))  # Priya has a chat
    await to(updating, PRIYA_MANAGER, 1)
    await org_bot.post(activity(RHYS_STAFF, updating.url, text="prepare my APR"))
    [form_message] = await to(updating, RHYS_STAFF, 1)
    form_id = f"reply-{updating.received.index(form_message) + 1}"
    form = updating.card_of(form_message)
    share = form["actions"][0]["data"]
    before = len(updating.updates)
    await org_bot.post(
        activity(
            RHYS_STAFF,
            updating.url,
            value={**share, "obstacles": "Two weeks off sick", "support_wanted": "Mentoring"},
            replyToId=form_id,
        )
    )
    for _ in range(100):
        if len(updating.updates) > before:
            break
        await asyncio.sleep(0.05)
    [update] = updating.updates[before:]
    assert update["_activity"] == form_id
    assert "APR preparation saved" in json.dumps(update) and "Input." not in json.dumps(update)

    async with demo_org.sessions() as session:
        queued = (await session.scalars(select(Notice))).all()
    assert [n.recipient_id for n in queued] == [await pk(demo_org, "D003")]  # the durable outbox

    notice = (await to(updating, PRIYA_MANAGER, 2))[-1]
    card = updating.card_of(notice)
    assert "has prepared for their APR" in json.dumps(card)
    assert "Mentoring" in json.dumps(card)
    [button] = card["actions"]
    assert button["title"] == "Open Rhys's APR"

    await org_bot.post(activity(PRIYA_MANAGER, updating.url, value=button["data"]))
    apr_card = updating.card_of((await to(updating, PRIYA_MANAGER, 3))[-1])
    text = json.dumps(apr_card)
    assert "Record Rhys's APR" in text and "Rhys's preparation" in text
    assert text.index("Rhys's preparation") < text.index('"id": "held_on"')
    assert "Two weeks off sick" in text
