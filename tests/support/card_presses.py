"""Asking for a card and pressing its buttons over HTTP, as Teams does: the press carries the
card's message id (``replyToId``), and the bot answers by updating that message in place
(the stand-in records each update with the message and conversation it was for)."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.support.server import RunningBot
from tests.support.teams import TeamsUser, activity
from tests.support.updating_connector import UpdatingConnectorStandIn


async def ask_card(
    bot: RunningBot, connector: UpdatingConnectorStandIn, user: TeamsUser, text: str
) -> tuple[str, dict[str, Any]]:
    """``user`` types ``text``: the id Teams gave the message the bot answered with, and its
    card."""
    connector.clear()
    await bot.post(activity(user, connector.url, text=text))
    [message] = await connector.wait_for(1)
    return f"reply-{len(connector.received)}", connector.card_of(message)


async def press(
    bot: RunningBot,
    connector: UpdatingConnectorStandIn,
    user: TeamsUser,
    card_id: str,
    value: dict[str, Any],
) -> dict[str, Any]:
    """``user`` presses a button on the card ``card_id``: the card the bot changed it into
    (exactly one update, of that message, in that user's chat)."""
    before = len(connector.updates)
    await bot.post(activity(user, connector.url, value=value, replyToId=card_id))
    for _ in range(100):
        if len(connector.updates) > before:
            break
        await asyncio.sleep(0.05)
    [update] = connector.updates[before:]
    assert update["_activity"] == card_id
    assert update["_conversation"] == user.conversation_id
    return connector.card_of(update)
