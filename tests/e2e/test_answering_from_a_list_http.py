"""Acknowledging or commenting on one item of ``my one-to-ones`` over HTTP: the list the
button was on is drawn again in place from the server, that item marked and the others keeping
their buttons; the single-record notice card is closed instead."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from domain.clock import FixedClock
from services.one_to_ones import OneToOnePolicy, OneToOneService, draft_from_form
from storage.database import Database
from storage.models import OneToOne
from tests.e2e.conftest import NOW
from tests.e2e.test_one_to_ones_http import FORM
from tests.support.card_presses import ask_card, press
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import activity
from tests.support.updating_connector import UpdatingConnectorStandIn

ACK = "one_to_one_ack"
COMMENT = "one_to_one_comment"


@pytest.fixture
async def three_waiting(demo_org: Database) -> list[int]:
    """Three one-to-ones Priya logged with Rhys (3, 17 and 31 days ago), newest first."""
    service = OneToOneService(demo_org, FixedClock(NOW), OneToOnePolicy())
    manager = await _person(demo_org, PRIYA_MANAGER.email)
    ids = []
    for days in (31, 17, 3):
        values = {**FORM, "held_on": (NOW.date() - timedelta(days=days)).isoformat()}
        values.update(action_1_text="", action_1_due="")
        draft, problems = draft_from_form(values)
        assert not problems
        ids.append((await service.log(manager, "D013", draft)).record.id)
    return ids[::-1]


async def _person(database: Database, email: str) -> Any:
    from storage import employees

    async with database.sessions() as session:
        return await employees.get_person_by_email(session, email, as_of=NOW.date())


@pytest.fixture
async def org_bot(db_url: str, demo_org: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


def _submits(element: Any) -> Iterator[dict[str, Any]]:
    """Every Action.Submit on a card, inside containers and show-cards too."""
    if isinstance(element, dict):
        if element.get("type") == "Action.Submit":
            yield element
        for value in element.values():
            yield from _submits(value)
    elif isinstance(element, list):
        for item in element:
            yield from _submits(item)


def _button(card: dict[str, Any], title: str, record_id: int) -> dict[str, Any]:
    [found] = [
        b for b in _submits(card) if b["title"] == title and b["data"].get("record_id") == record_id
    ]
    return dict(found["data"])


def _acknowledge_ids(card: dict[str, Any]) -> list[int]:
    return [b["data"]["record_id"] for b in _submits(card) if b["title"] == "Acknowledge"]


async def _press(
    bot: RunningBot, connector: UpdatingConnectorStandIn, card_id: str, value: dict[str, Any]
) -> dict[str, Any]:
    """Rhys presses a button on that card; the update the bot made to it."""
    return await press(bot, connector, RHYS_STAFF, card_id, value)


async def _answered(database: Database) -> dict[int, tuple[bool, str | None]]:
    async with database.sessions() as session:
        rows = (await session.scalars(select(OneToOne))).all()
    return {r.id: (r.acknowledged_at is not None, r.employee_comment) for r in rows}


async def test_acknowledging_one_item_keeps_the_others_buttons(
    org_bot: RunningBot,
    updating: UpdatingConnectorStandIn,
    demo_org: Database,
    three_waiting: list[int],
) -> None:
    newest, middle, oldest = three_waiting
    card_id, listed = await ask_card(org_bot, updating, RHYS_STAFF, "my one-to-ones")
    assert sorted(_acknowledge_ids(listed)) == sorted(three_waiting)

    after = await _press(org_bot, updating, card_id, _button(listed, "Acknowledge", middle))
    shown = json.dumps(after)
    assert after["body"][0]["text"] == "Your one-to-ones"  # still the list
    assert "Acknowledged by you at 10:00" in shown
    assert sorted(_acknowledge_ids(after)) == sorted([newest, oldest])
    assert await _answered(demo_org) == {
        newest: (False, None),
        middle: (True, None),
        oldest: (False, None),
    }

    # A comment from the same (now redrawn) list: that item marked, the last keeps its button.
    comment = {**_button(after, "Send comment", oldest), "comment": "Thanks, agreed."}
    again = await _press(org_bot, updating, card_id, comment)
    assert "Comment sent by you at 10:00" in json.dumps(again)
    assert "Thanks, agreed." in json.dumps(again)
    assert _acknowledge_ids(again) == [newest]
    answered = await _answered(demo_org)
    assert answered[oldest][1] == "Thanks, agreed." and answered[newest] == (False, None)
    # Nothing new was posted below in Rhys's chat: the list itself says what happened.
    assert not [t for t in updating.texts() if "Thanks" in t]


async def test_a_forged_list_press_for_someone_elses_record_changes_nothing(
    org_bot: RunningBot,
    updating: UpdatingConnectorStandIn,
    demo_org: Database,
    three_waiting: list[int],
) -> None:
    card_id, listed = await ask_card(org_bot, updating, RHYS_STAFF, "my one-to-ones")
    before = await _answered(demo_org)
    forged = {**_button(listed, "Acknowledge", three_waiting[0]), "record_id": 999999}
    updating.clear()
    await org_bot.post(activity(RHYS_STAFF, updating.url, value=forged, replyToId=card_id))
    [reply] = await updating.wait_for(1)
    assert "isn't yours" in json.dumps(reply)
    assert await _answered(demo_org) == before
    assert updating.updates == []
