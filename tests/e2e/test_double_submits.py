"""Issue 13, item 12, over HTTP: forms without a natural key, pressed three times at once.

Each form card carries a form-instance token; the service saves it with the record under a
unique key, so one card saves once whatever the concurrency, and the extra presses are told
politely. Two `delegate my team to …` at once leave one live delegation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from bot.config import Settings
from domain.clock import FixedClock
from storage.database import Database
from storage.models import (
    Apr,
    AprPreparation,
    CouncilPriority,
    Delegation,
    Employee,
    Objective,
    OneToOne,
)
from tests.e2e.conftest import NOW
from tests.support.people import DAVID_HEAD, PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, TeamsUser, activity

INTERNALS = ("Traceback", "Exception", "Error:", "sqlalchemy", "IntegrityError", ".py")


@pytest.fixture
async def org_bot(db_url: str, demo_db: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def introduce(bot: RunningBot, connector: ConnectorStandIn, *users: TeamsUser) -> None:
    for user in users:
        await bot.post(activity(user, connector.url, text="hello"))
    connector.clear()


async def card_from(
    bot: RunningBot, connector: ConnectorStandIn, user: TeamsUser, **kw: Any
) -> dict[str, Any]:
    connector.clear()
    await bot.post(activity(user, connector.url, **kw))
    [message] = await connector.wait_for(1)
    return message["attachments"][0]["content"]


def input_ids(elements: list[dict[str, Any]]) -> list[str]:
    found = []
    for element in elements:
        if element.get("type", "").startswith("Input.") and element.get("id"):
            found.append(element["id"])
        for key in ("items", "columns"):
            found += input_ids(element.get(key, []))
    return found


def save_button(card: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in card["actions"] if a["type"] == "Action.Submit")["data"]


async def three_at_once(  # type: ignore[no-untyped-def]
    bot: RunningBot,
    user: TeamsUser,
    connector: ConnectorStandIn,
    values,
    *,
    notified: TeamsUser | None = None,
):
    """The same card submit three times at once; what reached the stand-in. With ``notified``,
    first waits (up to 10 s) for the message the save queues for that person: it is sent by
    the notice sender after the turn, later than the replies on a busy machine."""
    connector.clear()
    responses = await asyncio.gather(
        *(bot.post(activity(user, connector.url, value=values)) for _ in range(3))
    )
    assert all(200 <= r.status < 300 for r in responses)
    deadline = asyncio.get_running_loop().time() + 10.0
    while notified is not None and asyncio.get_running_loop().time() < deadline:
        if any(m["_conversation"] == notified.conversation_id for m in connector.received):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # let the last replies (and any duplicate) arrive at the stand-in
    return connector.received


def to(received: list[dict[str, Any]], user: TeamsUser) -> str:
    return json.dumps([m for m in received if m["_conversation"] == user.conversation_id])


def assert_no_internals(received: list[dict[str, Any]]) -> None:
    sent = json.dumps(received)
    for marker in INTERNALS:
        assert marker not in sent, f"{marker!r} reached a user"


async def count(database: Database, model: Any, *where: Any) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def priority(database: Database) -> str:
    async with database.sessions() as session:
        return str(
            await session.scalar(
                select(CouncilPriority.id).where(
                    CouncilPriority.title == "Supporting children and families"
                )
            )
        )


async def rhys_pk(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(Employee.id).where(Employee.employee_id == "D013")))


async def test_record_apr_pressed_three_times_saves_one_apr(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    await introduce(org_bot, connector, RHYS_STAFF, PRIYA_MANAGER)
    rhys = await rhys_pk(demo_db)
    aprs, objectives = (
        await count(demo_db, Apr),
        await count(demo_db, Objective, Objective.employee_id == rhys),
    )
    card = await card_from(
        org_bot, connector, PRIYA_MANAGER, value={"command": "record_apr", "employee_id": "D013"}
    )
    values = {
        **save_button(card),
        # This year's objectives carry on: an outcome is required for each.
        **{i: "continuing" for i in input_ids(card["body"]) if i.startswith("outcome_")},
        "held_on": (NOW.date() - timedelta(days=2)).isoformat(),
        "overall_comments": "A strong year with the reading challenge.",
        "next_1_title": "Run the summer reading challenge in all four branches",
        "next_1_measure": "Four branches, 300 children signed up",
        "next_1_target_date": (NOW.date() + timedelta(days=250)).isoformat(),
        "next_1_priority_id": await priority(demo_db),
        "next_2_title": "Complete the library systems training",
        "next_2_measure": "Certificate by the end of March",
        "next_2_target_date": (NOW.date() + timedelta(days=120)).isoformat(),
        "next_2_priority_id": await priority(demo_db),
    }
    received = await three_at_once(org_bot, PRIYA_MANAGER, connector, values, notified=RHYS_STAFF)

    assert await count(demo_db, Apr) == aprs + 1
    assert await count(demo_db, Objective, Objective.employee_id == rhys) == objectives + 2
    to_rhys = [m for m in received if m["_conversation"] == RHYS_STAFF.conversation_id]
    assert len(to_rhys) == 1, "one acknowledgement request"
    to_priya = to(received, PRIYA_MANAGER)
    assert to_priya.count("APR saved: Rhys Evans") == 1
    assert to_priya.count("already saved") == 2
    assert_no_internals(received)


async def test_add_objective_pressed_three_times_saves_one(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    await introduce(org_bot, connector, RHYS_STAFF, PRIYA_MANAGER)
    rhys = await rhys_pk(demo_db)
    before = await count(demo_db, Objective, Objective.employee_id == rhys)
    card = await card_from(org_bot, connector, RHYS_STAFF, value={"command": "add_objective"})
    values = {
        **save_button(card),
        "title": "Run six digital skills sessions for older residents at Central Library",
        "measure": "Six sessions held with at least 40 attendees in total",
        "target_date": (NOW.date() + timedelta(days=120)).isoformat(),
        "priority_id": await priority(demo_db),
        "plan_id": "",
    }
    received = await three_at_once(org_bot, RHYS_STAFF, connector, values, notified=PRIYA_MANAGER)

    assert await count(demo_db, Objective, Objective.employee_id == rhys) == before + 1
    assert to(received, RHYS_STAFF).count("already saved") == 2
    to_priya = [m for m in received if m["_conversation"] == PRIYA_MANAGER.conversation_id]
    assert len(to_priya) == 1, "one request to agree"
    assert_no_internals(received)

    # A new card is a new form: the same words saved again from it are a second objective.
    card = await card_from(org_bot, connector, RHYS_STAFF, value={"command": "add_objective"})
    await three_at_once(org_bot, RHYS_STAFF, connector, {**values, **save_button(card)})
    assert await count(demo_db, Objective, Objective.employee_id == rhys) == before + 2


async def test_two_delegations_at_once_leave_one_live(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    """Two confirm cards for the team (asked twice), both confirmed at the same moment, and
    the first pressed a third time: one live delegation."""
    await introduce(org_bot, connector, DAVID_HEAD, PRIYA_MANAGER)
    asked = "delegate my team to David Marsh until Friday"
    confirms = [
        next(a["data"] for a in card["actions"] if a["title"] == "Confirm")
        for card in [await card_from(org_bot, connector, PRIYA_MANAGER, text=asked) for _ in "ab"]
    ]
    assert await count(demo_db, Delegation) == 0, "asking hands nothing over"
    connector.clear()
    responses = await asyncio.gather(
        *(
            org_bot.post(activity(PRIYA_MANAGER, connector.url, value=confirm))
            for confirm in [*confirms, confirms[0]]
        )
    )
    assert all(200 <= r.status < 300 for r in responses)
    await asyncio.sleep(0.3)
    assert await count(demo_db, Delegation, Delegation.revoked_at.is_(None)) == 1
    to_priya = to(connector.received, PRIYA_MANAGER)
    assert to_priya.count("Delegation set up") == 1
    assert "already acting" in to_priya
    assert_no_internals(connector.received)


async def test_apr_preparation_pressed_three_times_saves_once(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    """The first save inserts the cycle's row: three at once must not race to insert it."""
    await introduce(org_bot, connector, RHYS_STAFF, PRIYA_MANAGER)
    rhys = await rhys_pk(demo_db)
    async with demo_db.transaction() as session:  # no earlier preparation this cycle
        await session.execute(delete(AprPreparation).where(AprPreparation.employee_id == rhys))
    card = await card_from(org_bot, connector, RHYS_STAFF, value={"command": "prepare_apr"})
    values = {**save_button(card), "obstacles": "The roof leak closed the branch for a month."}
    received = await three_at_once(org_bot, RHYS_STAFF, connector, values, notified=PRIYA_MANAGER)

    assert await count(demo_db, AprPreparation, AprPreparation.employee_id == rhys) == 1
    to_rhys = to(received, RHYS_STAFF)
    assert to_rhys.count("already saved") == 2, to_rhys
    assert "Sorry, something went wrong" not in to_rhys
    to_priya = [m for m in received if m["_conversation"] == PRIYA_MANAGER.conversation_id]
    assert len(to_priya) == 1, "the manager is told once"
    assert_no_internals(received)


async def test_a_one_to_one_card_saves_once_even_when_its_words_are_changed(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    """The form token, not only the words: the same card sent again (a client retry with a
    note tidied) is still the one card."""
    await introduce(org_bot, connector, RHYS_STAFF, PRIYA_MANAGER)
    rhys = await rhys_pk(demo_db)
    before = await count(demo_db, OneToOne, OneToOne.employee_id == rhys)
    carry = await card_from(
        org_bot,
        connector,
        PRIYA_MANAGER,
        value={"command": "log_one_to_one", "employee_id": "D013"},
    )
    # Rhys has an action carried over: that card first, then the one-to-one form.
    card = await card_from(org_bot, connector, PRIYA_MANAGER, value=save_button(carry))
    values = {
        **save_button(card),
        "employee_id": "D013",
        "held_on": (NOW.date() - timedelta(days=3)).isoformat(),
        "managing": "Rota for December.",
        "shared_notes": "Thanks for covering Saturday.",
    }
    connector.clear()
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, value=values))
    await org_bot.post(
        activity(PRIYA_MANAGER, connector.url, value={**values, "shared_notes": "Thanks!"})
    )
    await asyncio.sleep(0.3)
    assert await count(demo_db, OneToOne, OneToOne.employee_id == rhys) == before + 1
    assert "already saved" in to(connector.received, PRIYA_MANAGER)
