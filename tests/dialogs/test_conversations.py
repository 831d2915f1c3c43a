"""Conversations through the SDK's TestAdapter: the handler, router and dialogs together,
with state in the test database."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from domain.feedback import MAX_FEEDBACK_CHARS
from services.demo import seed_demo
from storage.database import Database
from storage.models import Feedback
from tests.support.chat import NOW, Chat
from tests.support.people import PRIYA_MANAGER, STRANGER


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
    """#15: help leads with what a manager does most, as buttons; "More" lists every command
    open to them by area; Priya, who is not a head of service, is not offered the scorecard."""
    chat = Chat(demo, PRIYA_MANAGER)
    [reply] = await chat.say("help")
    card = reply.attachments[0].content
    buttons = [
        a["data"]["command"]
        for element in card["body"]
        if element["type"] == "ActionSet"
        for a in element["actions"]
    ]
    assert buttons == [
        "log_one_to_one",
        "my_team",
        "record_absence",
        "log_rtw",
        "objectives_for",
        "ask",
    ]
    [more] = [a["card"] for a in card["actions"] if a["title"] == "More"]
    headings = [e["text"] for e in more["body"] if e.get("weight") == "Bolder"]
    assert headings == [
        "One-to-ones",
        "Objectives and APRs",
        "Absence",
        "Your team",
        "What good looks like",
        "Charter",
    ]
    assert "**who am I**" in json.dumps(more)
    assert "scorecard" not in json.dumps(card)


async def test_unknown_and_stale_buttons_are_answered_politely(demo: Database) -> None:
    chat = Chat(demo, PRIYA_MANAGER)
    assert "doesn't do anything any more" in Chat.text_of(await chat.say(value={"command": "nuke"}))
    assert "doesn't do anything any more" in Chat.text_of(await chat.say(value={"x": 1}))


async def test_someone_unknown_gets_how_to_be_added_and_no_dialog(demo: Database) -> None:
    chat = Chat(demo, STRANGER)
    assert "ask your HR team to add you" in Chat.text_of(await chat.say("feedback"))
    assert "ask your HR team to add you" in Chat.text_of(await chat.say("some text"))
    assert await saved_feedback(demo) == []
