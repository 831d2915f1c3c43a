"""Run one nudge sender in its own process, for the kill tests: one digest at a time, or
with SENDER_CONCURRENCY=default as `charter run` sends."""

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
    concurrency = os.environ.get("SENDER_CONCURRENCY", "1")
    options = {} if concurrency == "default" else {"concurrency": int(concurrency)}
    sender = NudgeSender(
        database, delivery, now=lambda: datetime.now(UTC), worker="doomed", **options
    )
    await sender.send_pending()
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
