"""Turn latency over HTTP: Charter against a minimal echo bot on the same SDK, in one run.

Each turn is timed from the POST to /api/messages until the reply reaches the local stand-in
for the Bot Connector service. Charter runs on a fresh SQLite database with the demo data.

    .venv/bin/python bench/turn_latency.py [--turns 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from bot.app import create_app
from bot.config import Settings
from domain.demo import seed_demo
from storage.database import Database
from storage.migrate import upgrade
from tests.support.people import PRIYA_MANAGER
from tests.support.teams import ConnectorStandIn, activity


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def echo_app() -> web.Application:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Settings()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/api/messages"


async def measure(url: str, text: str, turns: int, warmup: int) -> list[float]:
    connector = await ConnectorStandIn().start()
    samples: list[float] = []
    try:
        async with aiohttp.ClientSession() as session:
            for i in range(warmup + turns):
                connector.clear()
                body = activity(PRIYA_MANAGER, connector.url, text=text)
                started = time.perf_counter()
                async with session.post(url, json=body) as resp:
                    await resp.read()
                    if resp.status >= 300:
                        raise SystemExit(f"{url} answered {resp.status}")
                [reply] = await connector.wait_for(1)
                if i >= warmup:
                    samples.append((reply["_arrived"] - started) * 1000)
    finally:
        await connector.stop()
    return samples


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.database_url or f"sqlite:///{tmp}/bench.db"
        await asyncio.to_thread(upgrade, db_url)
        database = Database(db_url)
        await seed_demo(database, date.today())
        await database.dispose()

        charter_runner, charter_url = await serve(create_app(Settings(database_url=db_url)))
        echo_runner, echo_url = await serve(echo_app())
        try:
            rows = [
                ("echo bot (same SDK)", await measure(echo_url, "hello", args.turns, args.warmup)),
                ("Charter: help", await measure(charter_url, "help", args.turns, args.warmup)),
                (
                    "Charter: who am I",
                    await measure(charter_url, "who am I", args.turns, args.warmup),
                ),
            ]
        finally:
            await charter_runner.cleanup()
            await echo_runner.cleanup()

    echo_p50, echo_p99 = percentile(rows[0][1], 50), percentile(rows[0][1], 99)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"turn latency over HTTP, {args.turns} turns each after {args.warmup} warm-up ({backend})"
    )
    print(f"{'bot':<24}{'p50 ms':>9}{'p99 ms':>9}{'p50 vs echo':>13}{'p99 vs echo':>13}")
    for name, samples in rows:
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        print(f"{name:<24}{p50:>9.2f}{p99:>9.2f}{p50 / echo_p50:>12.2f}x{p99 / echo_p99:>12.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
