"""A reminder digest changes in place over HTTP (#15): the digest is delivered by the sender
to the Bot Connector stand-in, the manager presses Agree objective and then Agree on it (with
``replyToId``, as Teams sends it), and each time the bot updates that very message through the
connector's update call, with the item showing what was recorded."""

from __future__ import annotations

import json
from typing import Any

from storage.database import Database
from storage.models import Objective
from tests.dialogs.test_digest_in_place import buttons, items
from tests.dialogs.test_nudge_buttons import cycle
from tests.dialogs.test_objectives_and_aprs import good_objective, objectives
from tests.e2e.conftest import NOW
from tests.e2e.test_card_lifecycle_http import org_bot, press
from tests.e2e.test_nudge_delivery import sender
from tests.support.chat import Chat
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot
from tests.support.teams import activity
from tests.support.updating_connector import UpdatingConnectorStandIn

__all__ = ["org_bot"]  # the fixture, shared with the card lifecycle tests


async def delivered_digest(
    bot: RunningBot, connector: UpdatingConnectorStandIn, database: Database
) -> tuple[str, dict[str, Any]]:
    """Priya opens a chat with Charter, the day's cycle runs and the sender delivers her
    digest to the stand-in: the id the connector gave that message, and its card."""
    await bot.post(activity(PRIYA_MANAGER, connector.url, text="help"))
    await connector.wait_for(1)
    await cycle(database).run_cycle(NOW.date())
    connector.clear()
    report = await sender(database, url=connector.url).send_pending()
    assert report.sent >= 1
    [message] = [
        m
        for m in await connector.wait_for(1)
        if m["_conversation"] == PRIYA_MANAGER.conversation_id
    ]
    return f"reply-{connector.received.index(message) + 1}", connector.card_of(message)


async def test_agreeing_an_objective_from_a_digest_updates_the_digest_in_place(
    org_bot: RunningBot, updating: UpdatingConnectorStandIn, demo_org: Database
) -> None:
    await Chat(demo_org, RHYS_STAFF).submit(await good_objective(demo_org))
    digest_id, card = await delivered_digest(org_bot, updating, demo_org)
    title = next(t for t in items(card) if t.startswith("Objective to agree"))
    others = [t for t in items(card) if t != title]
    assert others, "the digest has other items, which must keep their buttons"

    opened = await press(
        org_bot, updating, digest_id, buttons(items(card)[title])["Agree objective"]["data"]
    )
    assert "Six sessions held with at least 40 attendees in total" in json.dumps(opened)
    agree = buttons(items(opened)[title])["Agree"]["data"]
    [draft] = await objectives(demo_org)
    assert draft.status == "draft"

    updating.clear()
    agreed = await press(org_bot, updating, digest_id, agree)
    assert "Agreed by Priya at 10:00" in json.dumps(items(agreed)[title])
    assert buttons(items(agreed)[title]) == {}
    for other in others:
        assert "Snooze" in buttons(items(agreed)[other])
    assert not [m for m in updating.received if m["_conversation"] == PRIYA_MANAGER.conversation_id]
    [objective] = await objectives(demo_org)
    assert isinstance(objective, Objective) and objective.status == "agreed"
