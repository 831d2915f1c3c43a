"""A member of staff who opens Charter after their manager logged a one-to-one is told, on the
welcome, what is waiting for them, with the button that opens it (#15)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from domain.clock import FixedClock
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.e2e.test_one_to_ones_http import FORM
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, activity, install


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def test_the_welcome_says_a_one_to_one_is_waiting(
    org_bot: RunningBot, connector: ConnectorStandIn
) -> None:
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, value=FORM))
    await connector.wait_for(1)  # Priya's summary; Rhys has no chat with Charter yet
    connector.clear()
    await org_bot.post(install(RHYS_STAFF, connector.url))
    [welcome, waiting] = await connector.wait_for(2)
    assert "Welcome to Charter, Rhys" in json.dumps(welcome)
    text = json.dumps(waiting)
    assert "Waiting for you" in text and "Friday 20 November 2026" in text
    assert '"command": "my_one_to_ones"' in text
