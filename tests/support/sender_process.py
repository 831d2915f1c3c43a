"""Run one nudge sender in its own process (for the kill test): one digest at a time."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.config import Settings
from bot.nudge_sender import NudgeSender, TeamsDelivery
from storage.conversation_refs import ConversationReferences
from storage.database import Database


async def main() -> None:
    database = Database(os.environ["DATABASE_URL"])
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Settings()))
    delivery = TeamsDelivery(adapter, "", ConversationReferences(database), database)
    sender = NudgeSender(
        database, delivery, now=lambda: datetime.now(UTC), concurrency=1, worker="doomed"
    )
    await sender.send_pending(batch=100)
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
