"""Run the real Charter aiohttp app on a local port for end-to-end tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import create_app
from bot.config import Settings
from domain.clock import Clock


@dataclass
class RunningBot:
    url: str
    runner: web.AppRunner
    session: aiohttp.ClientSession

    @property
    def messages_url(self) -> str:
        return f"{self.url}/api/messages"

    async def post(self, activity: dict[str, Any], **headers: str) -> aiohttp.ClientResponse:
        async with self.session.post(self.messages_url, json=activity, headers=headers) as resp:
            await resp.read()
            return resp

    async def post_raw(self, body: bytes, content_type: str = "application/json") -> int:
        async with self.session.post(
            self.messages_url, data=body, headers={"Content-Type": content_type}
        ) as resp:
            await resp.read()
            return resp.status

    async def stop(self) -> None:
        await self.session.close()
        await self.runner.cleanup()


async def start_bot(settings: Settings, clock: Clock | None = None) -> RunningBot:
    app = create_app(settings, clock=clock)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return RunningBot(f"http://127.0.0.1:{port}", runner, aiohttp.ClientSession())
