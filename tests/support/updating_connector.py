"""The Bot Connector stand-in, also answering ``PUT /v3/conversations/{id}/activities/{id}``
(update an activity: how a bot changes a card in place) and recording each update."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.teams import ConnectorStandIn


@dataclass
class UpdatingConnectorStandIn(ConnectorStandIn):
    updates: list[dict[str, Any]] = field(default_factory=list)

    async def start(self) -> UpdatingConnectorStandIn:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def _update(self, request: web.Request) -> web.Response:
        body = await request.json()
        body["_conversation"] = request.match_info["conversation"]
        body["_activity"] = request.match_info["activity"]
        body["_arrived"] = time.perf_counter()
        self.updates.append(body)
        self._event.set()
        return web.json_response({"id": request.match_info["activity"]})

    def card_of(self, message: dict[str, Any]) -> dict[str, Any]:
        [attachment] = message["attachments"]
        content = attachment["content"]
        assert isinstance(content, dict)
        return content
