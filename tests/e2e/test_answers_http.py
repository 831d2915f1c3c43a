""" "What good looks like" over HTTP, as issue #7's acceptance describes: a question typed in
chat gets the answer card with its source; a 👎 on it shows in `charter report questions`;
a question the guidance doesn't cover gets the "not sure" card, and only the asker can rate
their answer."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bot.cli import main
from tests.support.people import MARGARET_STAFF, PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot
from tests.support.teams import ConnectorStandIn, activity


def card_of(message: dict[str, Any]) -> dict[str, Any]:
    return message["attachments"][0]["content"]


def texts_of(card: dict[str, Any]) -> str:
    return "\n".join(e.get("text", "") for e in card["body"] if e.get("type") == "TextBlock")


def actions_of(card: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(card.get("actions", []))
    for element in card["body"]:
        if element.get("type") == "ActionSet":
            found += element["actions"]
    return found


async def ask(bot: RunningBot, connector: ConnectorStandIn, user: Any, text: str) -> dict:
    connector.clear()
    await bot.post(activity(user, connector.url, text=text))
    [reply] = await connector.wait_for(1)
    return reply


async def press(bot: RunningBot, connector: ConnectorStandIn, user: Any, data: dict) -> list:
    connector.clear()
    await bot.post(activity(user, connector.url, value=data))
    return await connector.wait_for(1)


async def questions_report(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> list:
    monkeypatch.setenv("DATABASE_URL", db_url)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["report", "questions", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


async def test_a_question_gets_the_answer_card_and_a_thumbs_down_reaches_hr(
    bot: RunningBot,
    connector: ConnectorStandIn,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reply = await ask(bot, connector, PRIYA_MANAGER, "What should I cover in a 121?")
    card = card_of(reply)
    text = texts_of(card)
    assert "Source:" in text
    assert "Performance Management Framework" in text
    assert "Managing" in text and "Developing" in text
    related = [a for a in actions_of(card) if a["data"].get("form") == "answer_section"]
    assert 1 <= len(related) <= 3
    down = next(a for a in actions_of(card) if a["title"].startswith("👎"))

    # Someone else can't rate Priya's answer, and their attempt changes nothing.
    refused = await press(bot, connector, RHYS_STAFF, down["data"])
    assert "Nothing was changed" in json.dumps(refused)
    assert await questions_report(db_url, monkeypatch, capsys) == []

    after = await press(bot, connector, PRIYA_MANAGER, down["data"])
    assert "noted it for HR" in json.dumps(after)
    rows = await questions_report(db_url, monkeypatch, capsys)
    assert len(rows) == 1
    assert rows[0]["question"] == "what should i cover in a 121?"
    assert rows[0]["down_votes"] == 1
    assert "Priya" not in json.dumps(rows)

    # "More on this" opens the related topic as its own answer card.
    shown = await press(bot, connector, PRIYA_MANAGER, related[0]["data"])
    assert related[0]["title"].rstrip("…") in texts_of(card_of(shown[0]))


async def test_out_of_scope_gets_not_sure_with_nearest_topics_and_ask_hr(
    bot: RunningBot,
    connector: ConnectorStandIn,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reply = await ask(bot, connector, MARGARET_STAFF, "Will it rain in Cardiff tomorrow?")
    card = card_of(reply)
    assert "not sure" in texts_of(card)
    assert "Source:" not in texts_of(card)
    refer = next(a for a in actions_of(card) if a["title"] == "Ask HR")
    done = await press(bot, connector, MARGARET_STAFF, refer["data"])
    assert "HR will see your question" in json.dumps(done)
    rows = await questions_report(db_url, monkeypatch, capsys)
    assert [(r["question"], r["unanswered"], r["referred"]) for r in rows] == [
        ("will it rain in cardiff tomorrow?", 1, 1)
    ]


async def test_ask_forces_a_question_and_audience_picks_the_version(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    manager = card_of(await ask(bot, connector, PRIYA_MANAGER, "ask what happens at my APR"))
    staff = card_of(await ask(bot, connector, MARGARET_STAFF, "what happens at my APR?"))
    # The source line names the topic: each asker got the version written for them.
    assert "The Annual Performance Review (for managers)" in texts_of(manager)
    assert "Your Annual Performance Review" in texts_of(staff)
    assert "(for managers)" not in texts_of(staff)
