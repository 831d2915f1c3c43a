"""Conversations through the SDK's TestAdapter: the handler, router and dialogs together,
with state in the test database."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botbuilder.core import ConversationState, UserState
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from sqlalchemy import select

from bot.handler import CharterBot
from bot.state_storage import DatabaseStorage
from domain.clock import FixedClock
from domain.demo import seed_demo
from domain.feedback import MAX_FEEDBACK_CHARS
from domain.services import Services
from storage.database import Database
from storage.models import Feedback
from storage.state_store import StateStore
from tests.support.people import PRIYA_MANAGER, STRANGER
from tests.support.teams import TeamsUser

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


class Chat:
    """One person's chat with the bot through the TestAdapter."""

    def __init__(self, database: Database, user: TeamsUser) -> None:
        services = Services.build(database, FixedClock(NOW))
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


@pytest.fixture
async def demo(database: Database) -> AsyncIterator[Database]:
    await seed_demo(database, NOW.date())
    yield database


async def saved_feedback(database: Database) -> list[str]:
    async with database.sessions() as session:
        return list((await session.scalars(select(Feedback.text))).all())


async def test_feedback_happy_path(demo: Database) -> None:
    chat = Chat(demo, PRIYA_MANAGER)
    assert "What would you like HR to know" in Chat.text_of(await chat.say("feedback"))
    assert "send that to HR" in Chat.text_of(await chat.say("More reminders please"))
    assert "passed that on to HR" in Chat.text_of(await chat.say("yes"))
    assert await saved_feedback(demo) == ["More reminders please"]


async def test_feedback_declined_sends_nothing(demo: Database) -> None:
    chat = Chat(demo, PRIYA_MANAGER)
    await chat.say("feedback")
    await chat.say("Not sure yet")
    assert "haven't sent anything" in Chat.text_of(await chat.say("no"))
    assert await saved_feedback(demo) == []


async def test_feedback_too_long_is_refused_and_asked_again(demo: Database) -> None:
    chat = Chat(demo, PRIYA_MANAGER)
    await chat.say("feedback")
    replies = Chat.text_of(await chat.say("x" * (MAX_FEEDBACK_CHARS + 1)))
    assert "please keep it under 4,000" in replies
    assert "Please try again" in replies
    assert "send that to HR" in Chat.text_of(await chat.say("Shorter now"))


async def test_cancel_stops_the_conversation_and_nothing_is_saved(demo: Database) -> None:
    chat = Chat(demo, PRIYA_MANAGER)
    await chat.say("feedback")
    assert "stopped" in Chat.text_of(await chat.say("cancel"))
    assert "didn't understand" in Chat.text_of(await chat.say("yes"))
    assert await saved_feedback(demo) == []
    assert "nothing to cancel" in Chat.text_of(await chat.say("cancel"))


async def test_a_button_interrupts_the_conversation_in_progress(demo: Database) -> None:
    chat = Chat(demo, PRIYA_MANAGER)
    await chat.say("feedback")
    replies = await chat.say(value={"command": "whoami"})
    assert "How Charter sees you" in Chat.text_of(replies)
    assert "didn't understand" in Chat.text_of(await chat.say("yes"))


async def test_help_lists_buttons_and_text_commands(demo: Database) -> None:
    chat = Chat(demo, PRIYA_MANAGER)
    [reply] = await chat.say("help")
    card = reply.attachments[0].content
    assert [a["data"]["command"] for a in card["actions"]] == [
        "log_one_to_one",
        "one_to_ones",
        "my_one_to_ones",
        "my_actions",
        "whoami",
        "feedback",
    ]
    assert "**who am I**" in json.dumps(card)


async def test_unknown_and_stale_buttons_are_answered_politely(demo: Database) -> None:
    chat = Chat(demo, PRIYA_MANAGER)
    assert "doesn't do anything any more" in Chat.text_of(await chat.say(value={"command": "nuke"}))
    assert "doesn't do anything any more" in Chat.text_of(await chat.say(value={"x": 1}))


async def test_someone_unknown_gets_how_to_be_added_and_no_dialog(demo: Database) -> None:
    chat = Chat(demo, STRANGER)
    assert "ask your HR team to add you" in Chat.text_of(await chat.say("feedback"))
    assert "ask your HR team to add you" in Chat.text_of(await chat.say("some text"))
    assert await saved_feedback(demo) == []
