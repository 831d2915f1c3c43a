"""One whole reminder run (plan, queue, send) in its own process, as the scheduler runs it,
at the tests' fixed moment (a Monday morning, within sending hours), so a test can SIGKILL
it while it is sending and start it again."""

from __future__ import annotations

import asyncio
import os

from bot.config import Settings
from bot.jobs.reminders import reminder_cycle
from bot.runtime import build_runtime
from domain.clock import FixedClock
from tests.support.chat import NOW


async def main() -> None:
    settings = Settings(database_url=os.environ["DATABASE_URL"])
    runtime = build_runtime(settings, FixedClock(NOW))
    try:
        outcome = await reminder_cycle(runtime, NOW.date())
        sent = outcome.sent.sent if outcome.sent else 0
        print(f"queued={outcome.planned.queued_digests} sent={sent}", flush=True)
    finally:
        await runtime.close()


if __name__ == "__main__":
    asyncio.run(main())
