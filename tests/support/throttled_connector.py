"""A local stand-in for the Bot Connector that enforces Teams' limits like the real one:
about 50 messages a second per tenant and 7 a second per conversation, answering 429 with
Retry-After beyond them. It records every delivery, so tests can count duplicates."""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class ThrottledConnector:
    tenant_rate: int = 50
    conversation_rate: int = 7
    # Conversations that answer 403 (the user blocked the bot / app not installed).
    refuse: set[str] = field(default_factory=set)
    # Answer this many requests with a 503 first, to exercise retries.
    fail_first: int = 0
    # Seconds to hold each accepted message before answering (a slow Teams), after counting it.
    delay: float = 0.0
    # Once this many are delivered, hold further messages unanswered (and uncounted) until
    # ``release()``: a sender killed then has messages in flight that Teams never took.
    hold_after: int | None = None
    delivered: Counter[str] = field(default_factory=Counter)
    throttled: int = 0
    created: list[str] = field(default_factory=list)
    _tenant_window: deque[float] = field(default_factory=deque)
    _conversation_windows: dict[str, deque[float]] = field(
        default_factory=lambda: defaultdict(deque)
    )
    _runner: web.AppRunner | None = None
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    def release(self) -> None:
        """Stop holding messages: held ones and every later one are answered as usual."""
        self.hold_after = None
        self._released.set()

    async def start(self) -> ThrottledConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @staticmethod
    def _over(window: deque[float], limit: int, now: float) -> bool:
        while window and now - window[0] >= 1.0:
            window.popleft()
        return len(window) >= limit

    async def _create(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        member = body["members"][0]["id"]
        conversation = f"a:created-{member}"
        self.created.append(member)
        return web.json_response({"id": conversation, "activityId": None})

    async def _send(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        await request.read()
        if self.hold_after is not None and sum(self.delivered.values()) >= self.hold_after:
            await self._released.wait()
        if self.fail_first > 0:
            self.fail_first -= 1
            return web.json_response({"error": {"code": "ServiceUnavailable"}}, status=503)
        if conversation in self.refuse:
            return web.json_response({"error": {"code": "BotDisabledByAdmin"}}, status=403)
        now = time.monotonic()
        windows = (self._tenant_window, self._conversation_windows[conversation])
        if self._over(windows[0], self.tenant_rate, now) or self._over(
            windows[1], self.conversation_rate, now
        ):
            self.throttled += 1
            return web.json_response(
                {"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": "1"}
            )
        for window in windows:
            window.append(now)
        self.delivered[conversation] += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.json_response({"id": f"m-{sum(self.delivered.values())}"})
