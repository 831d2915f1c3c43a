from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from domain.clock import FixedClock
from services.demo import seed_demo
from storage.database import Database
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn
from tests.support.updating_connector import UpdatingConnectorStandIn

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorStandIn]:
    stand_in = await ConnectorStandIn().start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def updating() -> AsyncIterator[UpdatingConnectorStandIn]:
    """A Bot Connector stand-in that also takes message updates (cards changed in place)."""
    stand_in = await UpdatingConnectorStandIn().start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def demo_db(database: Database) -> Database:
    await seed_demo(database, NOW.date())
    return database


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
async def bot(settings: Settings, demo_db: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(settings, FixedClock(NOW))
    yield running
    await running.stop()
