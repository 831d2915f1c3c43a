"""Run one nudge sender in its own process, for the kill tests: one digest at a time, or
with SENDER_CONCURRENCY=default as `charter run` sends."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.config import Settings
from bot.jobs.nudge_sender import NudgeSender, TeamsDelivery
from storage.conversation_refs import ConversationReferences
from storage.database import Database


async def main() -> None:
    # The SDK's HTTP calls run in the default thread pool, whose size follows the host's
    # cores (6 threads on 2): a bigger pool, so the sender's own bound on messages in flight
    # is what the kill test measures, as on a bigger host or with a native async transport.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=64))
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
