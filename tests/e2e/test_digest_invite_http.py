"""The day-before invitation over HTTP (#18): Priya has planned her one-to-one with Rhys for
tomorrow; the sender delivers Rhys's digest through the Bot Connector stand-in; he types a
point in the box on the card and presses Add to my agenda (with ``replyToId``, as Teams sends
it). The bot updates that very message ("Added: …", the box again), and Priya's agenda for
Rhys shows the point. Empty text is said on the card and adds nothing."""

from __future__ import annotations

import json
from typing import Any

from storage.database import Database
from tests.dialogs.test_digest_in_place import buttons, items
from tests.dialogs.test_digest_invite import INVITE, plan_tomorrow, points_of
from tests.e2e.test_card_lifecycle_http import org_bot
from tests.e2e.test_nudge_delivery import sender
from tests.support.card_presses import press
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot
from tests.support.teams import activity
from tests.support.updating_connector import UpdatingConnectorStandIn

__all__ = ["org_bot"]  # the fixture, shared with the card lifecycle tests


async def rhys_presses(
    bot: RunningBot, connector: UpdatingConnectorStandIn, card_id: str, value: dict[str, Any]
) -> dict[str, Any]:
    """Rhys presses a button on that card: the update the bot made to it."""
    return await press(bot, connector, RHYS_STAFF, card_id, value)


async def test_rhys_adds_a_point_from_the_card_and_it_changes_in_place(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_org: Database
) -> None:
    await org_bot.post(activity(RHYS_STAFF, updating.url, text="help"))
    await updating.wait_for(1)
    found = await plan_tomorrow(demo_org)
    updating.clear()
    assert (await sender(demo_org, url=updating.url).send_pending()).sent >= 1
    [message] = [
        m for m in await updating.wait_for(1) if m["_conversation"] == RHYS_STAFF.conversation_id
    ]
    card_id = f"reply-{updating.received.index(message) + 1}"
    card = updating.card_of(message)
    assert "What Charter found due for you." in json.dumps(card)
    add = buttons(items(card)[INVITE])["Add to my agenda"]["data"]

    shown = await rhys_presses(org_bot, updating, card_id, {**add, "agenda_point": ""})
    assert "Please type what you'd like to talk about" in json.dumps(items(shown)[INVITE])
    assert await points_of(demo_org, found["D013"]) == []

    point = {**add, "agenda_point": "Training on the new catalogue"}
    shown = await rhys_presses(org_bot, updating, card_id, point)
    invite = items(shown)[INVITE]
    assert "Added:** Training on the new catalogue" in json.dumps(invite)
    assert set(buttons(invite)) == {"Add to my agenda"}
    assert "Please type" not in json.dumps(invite)
    assert await points_of(demo_org, found["D013"]) == [
        ("Training on the new catalogue", found["D013"])
    ]

    updating.clear()
    await org_bot.post(activity(PRIYA_MANAGER, updating.url, text="agenda for Rhys"))
    assert "Training on the new catalogue" in json.dumps(await updating.wait_for(1))
