"""Production-auth probe: token acquisitions per 100 turns with MicrosoftAppId set.

Inbound requests carry channel tokens signed by a local OpenID/JWKS stand-in and are validated
by the SDK as in production; MSAL inside the SDK's credentials is replaced by a counter that,
like MSAL, caches per client application. Runs the SDK's echo bot as the samples run it (new
credentials per turn) and Charter, one after the other. Nothing contacts Microsoft.

    .venv/bin/python bench/auth_probe.py [--turns 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from bench.bench_database import demo_database
from bot.app import create_app
from bot.config import Settings
from tests.support.bot_framework_auth import (
    CountingTokenIssuer,
    OpenIdStandIn,
    settings_with_local_openid,
)
from tests.support.people import DAVID_HEAD, HELEN_HR, PRIYA_MANAGER
from tests.support.teams import TENANT_ID, ConnectorStandIn, activity


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def sample_echo_app(settings: Settings) -> web.Application:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
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


async def acquisitions_for(
    app: web.Application, openid: OpenIdStandIn, text: str, turns: int
) -> tuple[int, int]:
    """(token acquisitions, replies delivered) for ``turns`` authenticated turns."""
    connector = await ConnectorStandIn().start()
    runner, url = await serve(app)
    users = (PRIYA_MANAGER, HELEN_HR, DAVID_HEAD)
    try:
        CountingTokenIssuer.reset()
        async with aiohttp.ClientSession() as session:
            for i in range(turns):
                body = activity(users[i % len(users)], connector.url, text=text)
                headers = openid.authorization(connector.url)
                async with session.post(url, json=body, headers=headers) as response:
                    await response.read()
                    if response.status >= 300:
                        raise SystemExit(f"turn {i} answered {response.status}")
        return CountingTokenIssuer.acquisitions, len(connector.received)
    finally:
        await runner.cleanup()
        await connector.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    openid = OpenIdStandIn().start()
    with tempfile.TemporaryDirectory() as tmp, CountingTokenIssuer.installed():
        async with demo_database(args.database_url, Path(tmp)) as db_url:
            settings = settings_with_local_openid(
                openid.metadata_url, database_url=db_url, allowed_tenants=frozenset({TENANT_ID})
            )
            rows = [
                (
                    "SDK echo bot (samples)",
                    await acquisitions_for(sample_echo_app(settings), openid, "hello", args.turns),
                ),
                (
                    "Charter: help",
                    await acquisitions_for(
                        create_app(settings, start_jobs=False), openid, "help", args.turns
                    ),
                ),
            ]
    openid.stop()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"token acquisitions, {args.turns} authenticated turns ({backend})")
    print(f"{'bot':<26}{'replies':>9}{'acquisitions':>14}{'per 100 turns':>15}")
    for name, (acquired, replies) in rows:
        print(f"{name:<26}{replies:>9}{acquired:>14}{acquired * 100 / args.turns:>15.2f}")


if __name__ == "__main__":
    asyncio.run(main())
