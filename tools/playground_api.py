"""The Microsoft 365 Agents Playground's HTTP API (version 0.2.28), as its own web page uses it:
send a message as the current user, press a card's button, install the app, and read the
conversation from its WebSocket stream, where the bot's new messages arrive as
``createMessage`` and its in-place card updates as ``updateMessage`` (same message id).

Shared by ``tools/playground_chat.py`` (chat from a shell) and
``tools/playground_walkthrough.py`` (the scripted walkthrough).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def describe_card(card: dict[str, Any]) -> list[str]:
    lines: list[str] = []

    def walk(elements: list[dict[str, Any]]) -> None:
        for element in elements:
            kind = element.get("type")
            if kind == "TextBlock":
                lines.append(f"  | {element.get('text', '')}")
            elif kind == "FactSet":
                lines.extend(f"  | {f['title']}: {f['value']}" for f in element.get("facts", []))
            elif kind in ("Container", "Column"):
                walk(element.get("items", []))
            elif kind == "ColumnSet":
                walk(element.get("columns", []))
            elif kind == "ActionSet":
                lines.append("  [" + "] [".join(a["title"] for a in element["actions"]) + "]")
            elif kind and kind.startswith("Input."):
                lines.append(f"  <{kind} {element.get('id')}: {element.get('label', '')}>")

    walk(card.get("body", []))
    if card.get("actions"):
        lines.append("  [" + "] [".join(a["title"] for a in card["actions"]) + "]")
    return lines


def card_text(card: dict[str, Any]) -> str:
    """Every text block and fact of the card, one per line (for checks on its wording)."""
    return "\n".join(line.removeprefix("  | ") for line in describe_card(card))


def _walk(node: Any, visit: Any) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def buttons(card: Any) -> list[dict[str, Any]]:
    """The card's submit buttons (``Action.Submit`` / ``Action.Execute``), in order."""
    found: list[dict[str, Any]] = []

    def visit(node: dict[str, Any]) -> None:
        if node.get("type") in ("Action.Submit", "Action.Execute") and "title" in node:
            found.append(node)

    _walk(card, visit)
    return found


def button_data(card: Any, title: str, match: dict[str, Any] | None = None) -> dict[str, Any]:
    """What Teams would send for the card's button called ``title`` (the first whose data
    holds every item of ``match``, if given): the inputs' current (default) values with the
    button's own data over them; only the button's data when it sends no inputs
    (``associatedInputs: none``, as Cancel does)."""
    if isinstance(card, str):
        card = json.loads(card)
    inputs: dict[str, Any] = {}

    def visit(node: dict[str, Any]) -> None:
        kind = str(node.get("type", ""))
        if kind.startswith("Input.") and node.get("id") and "value" in node:
            inputs[node["id"]] = node["value"]

    _walk(card, visit)
    for button in buttons(card):
        data = button.get("data")
        if button["title"] != title or not isinstance(data, dict):
            continue
        if match and any(data.get(k) != v for k, v in match.items()):
            continue
        if str(button.get("associatedInputs", "auto")).lower() == "none":
            return dict(data)
        return {**inputs, **data}
    raise SystemExit(f"the card has no button called {title!r}")


def card_of(message: dict[str, Any]) -> dict[str, Any] | None:
    for attachment in message.get("attachments") or []:
        if attachment.get("contentType") == ADAPTIVE_CARD:
            content = attachment.get("content")
            found = json.loads(content) if isinstance(content, str) else content
            return found if isinstance(found, dict) else None
    return None


def show(message: dict[str, Any]) -> None:
    if message.get("text"):
        print(f"Charter: {message['text']}")
    for attachment in message.get("attachments") or []:
        content = attachment.get("content")
        if isinstance(content, str):
            content = json.loads(content)
        if attachment.get("contentType") == ADAPTIVE_CARD:
            print("Charter: [Adaptive Card]")
            print("\n".join(describe_card(content)))
        else:
            print(f"Charter: [{attachment.get('contentType')}] {json.dumps(content)[:300]}")


@dataclass(frozen=True)
class Event:
    """One thing the Playground's conversation stream reported: a new message or an update
    of an earlier one (same ``message_id``)."""

    action: str  # "createMessage" or "updateMessage"
    message_id: str
    message: dict[str, Any]

    @property
    def card(self) -> dict[str, Any] | None:
        return card_of(self.message)

    @property
    def text(self) -> str:
        return str(self.message.get("text") or "")


@dataclass
class Conversation:
    """The conversation as the Playground shows it: every event in order, and each message's
    current content (an update replaces it, as on the page)."""

    events: list[Event] = field(default_factory=list)

    def add(self, raw: dict[str, Any]) -> Event | None:
        if raw.get("action") not in ("createMessage", "updateMessage"):
            return None
        message = raw.get("message") or {}
        event = Event(str(raw["action"]), str(message.get("messageId")), message)
        self.events.append(event)
        return event

    def mark(self) -> int:
        return len(self.events)

    def since(self, mark: int) -> list[Event]:
        return self.events[mark:]

    def current(self, message_id: str) -> Event | None:
        """The message as the page shows it now: its latest create or update."""
        for event in reversed(self.events):
            if event.message_id == message_id:
                return event
        return None

    def updates_of(self, message_id: str, since: int = 0) -> list[Event]:
        return [
            e
            for e in self.since(since)
            if e.action == "updateMessage" and e.message_id == message_id
        ]

    def new_cards(self, since: int) -> list[Event]:
        return [e for e in self.since(since) if e.action == "createMessage" and e.card]

    def last_card(self, since: int = 0) -> Event:
        cards = [e for e in self.since(since) if e.card]
        if not cards:
            raise LookupError("no card arrived")
        return cards[-1]


class Playground:
    """One user's personal chat with the bot in a running Playground, over its HTTP API."""

    def __init__(self, base: str, wait: float = 3.0) -> None:
        self.base = base.rstrip("/")
        self.wait = wait
        self.conversation = Conversation()
        self.config: dict[str, Any] = {}
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None

    async def __aenter__(self) -> Playground:
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"{self.base}/_internal/v1/config") as resp:
            self.config = (await resp.json())["config"]
        stream = self.base.replace("http", "ws", 1) + "/_ws_conversation/v1/conversations/stream"
        self._ws = await self._session.ws_connect(stream)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()

    @property
    def user(self) -> dict[str, Any]:
        return dict(self.config["currentUser"])

    @property
    def chat(self) -> str:
        return str(self.config["personalChat"]["id"])

    @property
    def http(self) -> aiohttp.ClientSession:
        assert self._session is not None, "use Playground in 'async with'"
        return self._session

    async def read(self, quiet_for: float | None = None) -> list[Event]:
        """The events until the bot has been quiet for ``quiet_for`` seconds (a turn done)."""
        assert self._ws is not None, "use Playground in 'async with'"
        got: list[Event] = []
        while True:
            try:
                msg = await asyncio.wait_for(self._ws.receive(), timeout=quiet_for or self.wait)
            except TimeoutError:
                return got
            if msg.type != aiohttp.WSMsgType.TEXT:
                return got
            event = self.conversation.add(json.loads(msg.data))
            if event is not None:
                got.append(event)

    async def wait_for(self, test: Any, timeout: float) -> list[Event]:
        """Read until an event passes ``test`` (or ``timeout`` seconds pass); what came."""
        got: list[Event] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            batch = await self.read(quiet_for=min(1.0, max(0.1, deadline - loop.time())))
            got.extend(batch)
            if any(test(e) for e in batch):
                return got + await self.read()
        return got

    async def install(self) -> list[Event]:
        await self.http.post(f"{self.base}/_debug/conversation/{self.chat}/installation")
        return await self.read()

    async def say(self, text: str) -> list[Event]:
        await self.http.post(
            f"{self.base}/_conversation/v1/conversations/{self.chat}/messages",
            json={"from": {"id": self.user["id"]}, "text": text, "textFormat": "plain"},
        )
        return await self.read()

    async def submit(self, message_id: str, value: dict[str, Any]) -> list[Event]:
        """Press a button on the card of ``message_id``, sending ``value`` as Teams would."""
        await self.http.post(
            f"{self.base}/_conversation/v1/submit",
            json={
                "conversation": {"id": self.chat},
                "from": {"id": self.user["id"]},
                "replyToId": message_id,
                "value": value,
            },
        )
        return await self.read()
