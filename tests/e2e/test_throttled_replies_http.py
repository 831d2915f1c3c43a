"""A reply Teams throttles is not lost: at 09:00 the reminders use most of the tenant's rate,
and someone talking to the bot then still gets their answer, once, a second later."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.support.people import PRIYA_MANAGER
from tests.support.server import RunningBot
from tests.support.teams import activity
from tests.support.throttled_connector import ThrottledConnector


@pytest.fixture
async def strict_connector() -> AsyncIterator[ThrottledConnector]:
    # One message a second per conversation: a second reply within the second meets a 429.
    connector = await ThrottledConnector(conversation_rate=1).start()
    try:
        yield connector
    finally:
        await connector.stop()


async def test_a_throttled_reply_arrives_once_after_the_connectors_wait(
    bot: RunningBot, strict_connector: ThrottledConnector
) -> None:
    first = activity(PRIYA_MANAGER, strict_connector.url, text="who am I")
    second = activity(PRIYA_MANAGER, strict_connector.url, text="help")
    statuses = [(await bot.post(first)).status, (await bot.post(second)).status]
    assert all(status in (200, 201) for status in statuses)
    for _ in range(50):
        if sum(strict_connector.delivered.values()) >= 2:
            break
        await asyncio.sleep(0.1)
    assert strict_connector.throttled >= 1
    assert strict_connector.delivered[PRIYA_MANAGER.conversation_id] == 2
