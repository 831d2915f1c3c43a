"""A Bot Connector stand-in that holds every request before answering it, as a slow Teams
does: it records when each request arrived (so a test can see when the bot SENT it), then
answers ``hold`` seconds later."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Held:
    conversation: str
    body: dict[str, Any]
    arrived: float  # time.monotonic() when the request reached the stand-in
    answered: float | None = None


@dataclass
class HoldingConnector:
    hold: float = 10.0
    received: list[Held] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None
    _arrival: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def start(self) -> HoldingConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._send)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _send(self, request: web.Request) -> web.Response:
        held = Held(request.match_info["conversation"], await request.json(), time.monotonic())
        async with self._arrival:
            self.received.append(held)
            self._arrival.notify_all()
        await asyncio.sleep(self.hold)
        held.answered = time.monotonic()
        return web.json_response({"id": f"reply-{len(self.received)}"})

    def to(self, conversation: str) -> list[Held]:
        return [held for held in self.received if held.conversation == conversation]

    async def first_to(self, conversation: str, timeout: float) -> Held:
        """The first request to ``conversation``, waiting up to ``timeout`` seconds for it."""
        async with self._arrival:
            await asyncio.wait_for(
                self._arrival.wait_for(lambda: bool(self.to(conversation))), timeout
            )
        return self.to(conversation)[0]
