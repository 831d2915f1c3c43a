"""The agenda end to end over HTTP (#18): Rhys adds two points in his chat; Priya plans their
one-to-one for tomorrow; the day-before digest reaches her through the connector and its
button opens the prep card showing Rhys's points; she logs the one-to-one ticking one; it is
gone from the next agenda, and the untouched one carries over. Another manager, a colleague
and the skip-level manager see nothing of it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.config import Settings
from bot.jobs.nudge_sender import NudgeSender, TeamsDelivery
from domain.clock import FixedClock
from domain.nudge_rules import NudgePolicy
from services.nudge_planner import PlanSettings
from services.nudges import NudgeService
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.support.people import (
    DAVID_HEAD,
    MARGARET_STAFF,
    PRIYA_MANAGER,
    RHYS_STAFF,
    TOM_MANAGER,
)
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, TeamsUser, activity

TODAY = NOW.date()  # Monday 23 November 2026: the working day before Tuesday's one-to-one


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def say(
    bot: RunningBot, connector: ConnectorStandIn, user: TeamsUser, **kw: Any
) -> list[dict[str, Any]]:
    """What the bot sent back for one activity (each turn replies at least once)."""
    connector.clear()
    resp = await bot.post(activity(user, connector.url, **kw))
    assert resp.status in (200, 201)
    return await connector.wait_for(1)


def sent_to(messages: list[dict[str, Any]], user: TeamsUser) -> str:
    return json.dumps([m for m in messages if m["_conversation"] == user.conversation_id])


def submits(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every Action.Submit's data in the messages' cards."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(messages)
    return found


def toggles(messages: list[dict[str, Any]]) -> dict[str, str]:
    """The agenda toggles of the one-to-one form: id -> label."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Input.Toggle" and str(node.get("id")).startswith("agenda_"):
                found[node["id"]] = node["title"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(messages)
    return found


async def deliver_digests(database: Database) -> None:
    """Today's reminder cycle: plan and queue the digests, then send them through Teams."""
    service = NudgeService(database, FixedClock(NOW), NudgePolicy(), PlanSettings())
    await service.run_cycle(TODAY)
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Settings()))
    delivery = TeamsDelivery(
        adapter, "", ConversationReferences(database), database, service_url="http://unused/"
    )

    async def no_wait(_seconds: float) -> None:
        return None

    sender = NudgeSender(
        database, delivery, now=lambda: NOW, sleep=no_wait, worker="test", rand=lambda: 0.0
    )
    report = await sender.send_pending()
    assert report.sent >= 1


FORM = {
    "form": "one_to_one",
    "employee_id": "D013",
    "held_on": TODAY.isoformat(),
    "managing": "Went through the new catalogue.",
    "developing": "",
    "supporting": "",
    "wellbeing": "",
    "wellbeing_concern": "false",
    "shared_notes": "Good to catch up.",
    "private_note": "",
}


async def test_a_point_added_in_chat_reaches_the_prep_card_and_is_ticked_off(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_org: Database
) -> None:
    await say(org_bot, connector, RHYS_STAFF, text="hello")
    await say(org_bot, connector, PRIYA_MANAGER, text="hello")
    said = await say(
        org_bot, connector, RHYS_STAFF, text="add to my 1:1 agenda: Training on the new catalogue"
    )
    assert "Training on the new catalogue" in sent_to(said, RHYS_STAFF)
    await say(org_bot, connector, RHYS_STAFF, text="add to my 1:1 agenda: Summer reading rota")
    said = await say(org_bot, connector, PRIYA_MANAGER, text="next 1:1 with Rhys Tuesday 10am")
    assert "Tuesday 24 November at 10:00" in sent_to(said, PRIYA_MANAGER)

    # The day before: Priya's digest carries the prep card's button; pressing it shows it.
    connector.clear()
    await deliver_digests(demo_org)
    digest = [m for m in connector.received if m["_conversation"] == PRIYA_MANAGER.conversation_id]
    [prep] = [d for d in submits(digest) if d.get("command") == "one_to_one_prep"]
    card = sent_to(await say(org_bot, connector, PRIYA_MANAGER, value=prep), PRIYA_MANAGER)
    assert "Prep: one-to-one with Rhys Evans" in card
    assert "Training on the new catalogue" in card and "Summer reading rota" in card

    # Nobody else sees any of it: another manager, a colleague, the skip-level manager; not
    # by asking, nor by pressing a copy of Priya's prep-card button.
    for intruder in (TOM_MANAGER, MARGARET_STAFF, DAVID_HEAD):
        for ask in ({"text": "agenda for Rhys"}, {"text": "1:1 prep for Rhys"}, {"value": prep}):
            seen = sent_to(await say(org_bot, connector, intruder, **ask), intruder)
            assert "Training on the new catalogue" not in seen, (intruder.name, ask)
            assert "Summer reading rota" not in seen and "Prep: one-to-one" not in seen

    # She logs it, ticking the first point only.
    shown = toggles(await say(org_bot, connector, PRIYA_MANAGER, text="log 1:1 with Rhys"))
    [training] = [k for k, label in shown.items() if "Training on the new catalogue" in label]
    [rota] = [k for k, label in shown.items() if "Summer reading rota" in label]
    saved = await say(
        org_bot, connector, PRIYA_MANAGER, value={**FORM, training: "true", rota: "false"}
    )
    assert "Saved: one-to-one with Rhys Evans" in sent_to(saved, PRIYA_MANAGER)

    # The next agenda, as each of them sees it: the ticked point gone, the other carried over.
    mine = sent_to(await say(org_bot, connector, RHYS_STAFF, text="my agenda"), RHYS_STAFF)
    assert "Summer reading rota" in mine and "Training on the new catalogue" not in mine
    theirs = sent_to(
        await say(org_bot, connector, PRIYA_MANAGER, text="agenda for Rhys"), PRIYA_MANAGER
    )
    assert "Summer reading rota" in theirs and "carried over" in theirs
    assert "Training on the new catalogue" not in theirs
    assert set(toggles(await say(org_bot, connector, PRIYA_MANAGER, text="log 1:1 with Rhys"))) == {
        rota
    }
