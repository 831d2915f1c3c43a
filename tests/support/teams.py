"""Teams-shaped activities and a local stand-in for the Bot Connector service.

The bot answers by calling the activity's ``serviceUrl``; the stand-in records every call,
answers roster look-ups from a members table, and can be told to fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TENANT_ID = "00000000-0000-4000-8000-0000000000aa"
BOT_ID = "28:charter-bot"
_ids = itertools.count(1)


@dataclass
class TeamsUser:
    name: str
    aad_object_id: str | None
    email: str
    user_id: str = ""

    def __post_init__(self) -> None:
        if not self.user_id:
            self.user_id = f"29:{uuid.uuid5(uuid.NAMESPACE_URL, self.email).hex}"

    @property
    def conversation_id(self) -> str:
        return f"a:personal-{self.user_id[3:15]}"


def activity(
    user: TeamsUser,
    service_url: str,
    *,
    type: str = "message",
    text: str | None = None,
    value: Any = None,
    tenant_id: str = TENANT_ID,
    activity_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An activity as Teams sends it in a personal chat with the bot."""
    body: dict[str, Any] = {
        "type": type,
        "id": activity_id or f"1{next(_ids):012d}",
        "timestamp": "2026-11-23T10:00:00.000Z",
        "localTimestamp": "2026-11-23T10:00:00.000+00:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user.user_id, "name": user.name},
        "conversation": {
            "conversationType": "personal",
            "tenantId": tenant_id,
            "id": user.conversation_id,
        },
        "recipient": {"id": BOT_ID, "name": "Charter"},
        "entities": [{"locale": "en-GB", "country": "GB", "platform": "Web", "type": "clientInfo"}],
        "channelData": {"tenant": {"id": tenant_id}},
        "locale": "en-GB",
    }
    if user.aad_object_id:
        body["from"]["aadObjectId"] = user.aad_object_id
    if text is not None:
        body["text"] = text
        body["textFormat"] = "plain"
    if value is not None:
        body["value"] = value
    body.update(extra)
    return body


def install(user: TeamsUser, service_url: str, **kw: Any) -> dict[str, Any]:
    return activity(user, service_url, type="installationUpdate", action="add", **kw)


@dataclass
class ConnectorStandIn:
    """Records what the bot sends to Teams; serves the roster from ``members``."""

    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    fail_with: int | None = None
    _runner: web.AppRunner | None = None
    _event: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    def add_member(self, user: TeamsUser) -> None:
        self.members[user.user_id] = {
            "id": user.user_id,
            "name": user.name,
            "aadObjectId": user.aad_object_id,
            "email": user.email,
            "userPrincipalName": user.email,
            "tenantId": TENANT_ID,
            "userRole": "user",
        }

    async def start(self) -> ConnectorStandIn:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._send)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
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

    async def _send(self, request: web.Request) -> web.Response:
        if self.fail_with is not None:
            return web.json_response({"error": {"code": "Fail"}}, status=self.fail_with)
        body = await request.json()
        body["_conversation"] = request.match_info["conversation"]
        body["_reply_to"] = request.match_info.get("reply_to")
        body["_authorization"] = request.headers.get("Authorization")
        body["_arrived"] = time.perf_counter()
        self.received.append(body)
        self._event.set()
        return web.json_response({"id": f"reply-{len(self.received)}"})

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["member"])
        if member is None:
            return web.json_response(
                {"error": {"code": "MemberNotFoundInConversation"}}, status=404
            )
        return web.json_response(member)

    def texts(self) -> list[str]:
        return [m.get("text") or "" for m in self.received if m.get("type") == "message"]

    def cards(self) -> list[dict[str, Any]]:
        found = []
        for message in self.received:
            for attachment in message.get("attachments") or []:
                if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                    found.append(attachment["content"])
        return found

    def clear(self) -> None:
        self.received.clear()
        self._event.clear()

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until at least ``count`` messages arrived; return them all."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.received) < count:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(
                    f"expected {count} messages from the bot, got {len(self.received)}: "
                    f"{self.texts()}"
                )
            self._event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), remaining)
        return list(self.received)
