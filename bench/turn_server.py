"""One bot for bench/turn_latency.py, in a process of its own (so its CPU time is its own).

    python bench/turn_server.py KIND DATABASE_URL

KIND is ``echo-samples`` (the SDK's echo bot as its samples run it: new clients every turn),
``echo-sdk-reuse`` (the same echo bot keeping one connector client per service URL, as the
issue measured "the SDK echo bot with its connector clients reused": the SDK's own transport
and serialisation), ``echo-reuse`` (the same echo bot with Charter's shared clients, transport
and activity bodies: the strictest baseline) or ``charter``. Prints the port, then serves
until killed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import ConnectorFactory

from bot.app import WARMING, create_app
from bot.config import Settings
from bot.teams.outbound import CharterBotFrameworkAuthentication


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def echo_app(adapter: CloudAdapter) -> web.Application:
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


class ReusedConnectorFactory(ConnectorFactory):  # type: ignore[misc]  # untyped SDK
    """The SDK's connector factory, keeping the client it made for each service URL."""

    def __init__(self, inner: ConnectorFactory, clients: dict[tuple[str, str], ConnectorClient]):
        self._inner = inner
        self._clients = clients

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience or "")
        if key not in self._clients:
            self._clients[key] = await self._inner.create(service_url, audience)
        return self._clients[key]


class SdkClientsReused(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """The SDK's authentication whose connector clients outlive the turn; nothing else of
    Charter's (no shared transport, no fast activity bodies)."""

    def __init__(self, configuration: Settings) -> None:
        super().__init__(configuration)
        self._clients: dict[tuple[str, str], ConnectorClient] = {}

    async def authenticate_request(self, activity: object, auth_header: str) -> object:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = ReusedConnectorFactory(
                result.connector_factory, self._clients
            )
        return result


def build(kind: str, database_url: str) -> web.Application:
    settings = Settings(database_url=database_url)
    if kind == "echo-samples":
        return echo_app(CloudAdapter(ConfigurationBotFrameworkAuthentication(settings)))
    if kind == "echo-sdk-reuse":
        return echo_app(CloudAdapter(SdkClientsReused(settings)))
    if kind == "echo-reuse":
        authentication = CharterBotFrameworkAuthentication(settings, timeout_seconds=15)
        return echo_app(CloudAdapter(authentication))
    if kind == "charter":
        return create_app(settings, start_jobs=False)
    raise SystemExit(f"unknown kind {kind!r}")


async def main() -> None:
    kind, database_url = sys.argv[1], sys.argv[2]
    app = build(kind, database_url)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    if WARMING in app:
        # The content pack is read and indexed in the background at start-up (~0.7 s of
        # CPU): timed turns start after it, or its CPU would count as theirs.
        await app[WARMING]
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(port, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
