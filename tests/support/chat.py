"""A person's chat with the bot through the SDK's TestAdapter, with state in the test database."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from botbuilder.core import ConversationState, UserState
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.config import Settings
from bot.runtime import build_services
from bot.teams.state_storage import DatabaseStorage
from bot.turn.handler import CharterBot
from domain.clock import FixedClock
from storage.database import Database
from storage.state_store import StateStore
from tests.support.teams import TeamsUser

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@dataclass
class RecordingNotifier:
    """Stands in for proactive messages: records what would be sent to whom."""

    reachable: bool = True
    sent: list[tuple[int, dict[str, Any], str]] = field(default_factory=list)

    async def send_card(self, employee_pk: int, card: dict[str, Any], summary: str) -> bool:
        if self.reachable:
            self.sent.append((employee_pk, card, summary))
        return self.reachable


class Chat:
    """One person's chat with the bot through the TestAdapter, with the services wired as the
    composition root wires them from ``settings`` (the defaults unless given). No web app
    serves report pages here, so the chat offers no link to them."""

    def __init__(
        self,
        database: Database,
        user: TeamsUser,
        *,
        notifier: RecordingNotifier | None = None,
        settings: Settings | None = None,
        now: datetime = NOW,
    ) -> None:
        self.notifier = notifier or RecordingNotifier()
        services = build_services(
            settings or Settings(), database, FixedClock(now), notifier=self.notifier
        )
        storage = DatabaseStorage(StateStore(database))
        bot = CharterBot(services, ConversationState(storage), UserState(storage))
        template = Activity(
            channel_id="msteams",
            service_url="https://smba.example/uk/",
            conversation=ConversationAccount(id=f"a:{user.user_id}", conversation_type="personal"),
            from_property=ChannelAccount(
                id=user.user_id, name=user.name, aad_object_id=user.aad_object_id
            ),
            recipient=ChannelAccount(id="28:charter-bot", name="Charter"),
            locale="en-GB",
        )
        self.adapter = TestAdapter(bot.on_turn, template)

    async def say(self, text: str | None = None, value: Any = None) -> list[Activity]:
        activity = Activity(type=ActivityTypes.message, text=text, value=value)
        await self.adapter.send(activity)
        replies = list(self.adapter.activity_buffer)
        self.adapter.activity_buffer.clear()
        return replies

    async def submit(self, value: dict[str, Any]) -> list[Activity]:
        return await self.say(value=value)

    @staticmethod
    def text_of(replies: list[Activity]) -> str:
        parts = []
        for reply in replies:
            parts.append(reply.text or "")
            for attachment in reply.attachments or []:
                content = attachment.content
                parts.append(
                    json.dumps(content if isinstance(content, dict) else content.serialize())
                )
        return "\n".join(parts)

    @staticmethod
    def cards_of(replies: list[Activity]) -> list[dict[str, Any]]:
        return [
            a.content
            for r in replies
            for a in (r.attachments or [])
            if a.content_type == "application/vnd.microsoft.card.adaptive"
        ]
