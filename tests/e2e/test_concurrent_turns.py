"""Two turns for one conversation at the same moment, over real HTTP (Teams does this when
someone double-clicks a card button: the same values arrive twice with different activity
ids). Nothing is lost, nothing is recorded twice, and a turn that lost the race for the
conversation state is told politely to try again, after which trying again works."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from domain.clock import FixedClock
from storage.database import Database
from storage.models import Absence, Feedback, OneToOne, ReturnToWork
from tests.e2e.conftest import NOW
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, activity

INTERNALS = ("Traceback", "Exception", "Error:", "sqlalchemy", "IntegrityError", ".py")
ONE_TO_ONE = {
    "form": "one_to_one",
    "employee_id": "D013",
    "held_on": (NOW.date() - timedelta(days=3)).isoformat(),
    "managing": "Rota for December.",
    "developing": "",
    "supporting": "",
    "wellbeing": "",
    "wellbeing_concern": "false",
    "shared_notes": "Thanks for covering Saturday.",
    "private_note": "",
}
RTW = {
    "form": "rtw",
    "absence_id": 8,  # Oluwaseun (D012, Priya's report): off 19-20 November, no RTW yet
    "held_on": NOW.date().isoformat(),
    "reason_category": "Cold, cough or flu",
    "notes": "Feeling better",
    "reported_correctly": "true",
    "outcome": "no_further_action",
    "support_offered": "",
    "work_related": "false",
    "accident_at_work": "false",
    "underlying_condition": "false",
    "adjustments_needed": "false",
    "employee_comments": "",
}
ABSENCE_START = {
    "form": "absence_start",
    "employee_id": "D013",
    "start_date": NOW.date().isoformat(),
    "reason_category": "",
}


@pytest.fixture
async def org_bot(db_url: str, demo_db: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def count(database: Database, model: Any) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def twice(bot: RunningBot, first: dict[str, Any], second: dict[str, Any]) -> list[int]:
    responses = await asyncio.gather(bot.post(first), bot.post(second))
    return [r.status for r in responses]


def replies_to(connector: ConnectorStandIn, user_conversation: str) -> str:
    return json.dumps([m for m in connector.received if m["_conversation"] == user_conversation])


def assert_no_internals(connector: ConnectorStandIn) -> None:
    sent = json.dumps(connector.received)
    for marker in INTERNALS:
        assert marker not in sent, f"{marker!r} reached a user: {sent[:500]}"


@pytest.mark.parametrize(
    ("values", "model", "saved"),
    [
        (ONE_TO_ONE, OneToOne, "Saved: one-to-one with Rhys Evans"),
        (RTW, ReturnToWork, "Saved: return to work"),
        (ABSENCE_START, Absence, "Recorded: Rhys off sick"),
    ],
    ids=["one-to-one", "return-to-work", "absence"],
)
async def test_a_double_clicked_form_is_recorded_once(
    org_bot: RunningBot,
    connector: ConnectorStandIn,
    demo_db: Database,
    values: dict[str, Any],
    model: Any,
    saved: str,
) -> None:
    for user in (PRIYA_MANAGER, RHYS_STAFF):  # both have a conversation with the bot
        await org_bot.post(activity(user, connector.url, text="hello"))
    connector.clear()
    before = await count(demo_db, model)

    statuses = await twice(
        org_bot,
        activity(PRIYA_MANAGER, connector.url, value=values),
        activity(PRIYA_MANAGER, connector.url, value=values),
    )
    assert all(200 <= s < 300 for s in statuses), statuses
    assert await count(demo_db, model) == before + 1, "recorded twice (or not at all)"
    to_priya = replies_to(connector, PRIYA_MANAGER.conversation_id)
    assert to_priya.count(saved) == 1, to_priya
    assert "Sorry, something went wrong" not in to_priya
    assert_no_internals(connector)


async def test_two_messages_at_once_lose_nothing_and_the_loser_is_asked_to_resend(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    """Both turns write the conversation's dialog state: one wins, the other is told."""
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="feedback"))
    connector.clear()
    statuses = await twice(
        org_bot,
        activity(PRIYA_MANAGER, connector.url, text="The team view is great"),
        activity(PRIYA_MANAGER, connector.url, text="Reminders on Fridays please"),
    )
    assert all(200 <= s < 300 for s in statuses), statuses
    texts = replies_to(connector, PRIYA_MANAGER.conversation_id)
    assert_no_internals(connector)
    assert "Sorry, something went wrong" not in texts
    assert texts.count("send that to HR") >= 1
    crossed = "crossed over" in texts
    # Whichever turn won, the conversation carries on from a consistent state.
    connector.clear()
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="yes"))
    assert "passed that on to HR" in json.dumps(connector.received)
    async with demo_db.sessions() as session:
        saved = (await session.scalars(select(Feedback.text))).all()
    assert len(saved) == 1 and saved[0] in (
        "The team view is great",
        "Reminders on Fridays please",
    )
    if crossed:  # the one asked to resend can, and it is then kept too
        connector.clear()
        await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="feedback"))
        await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="Second thought"))
        await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="yes"))
        assert await count(demo_db, Feedback) == 2


async def test_many_racing_submits_still_record_once(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="hello"))
    connector.clear()
    before = await count(demo_db, OneToOne)
    posts = [org_bot.post(activity(PRIYA_MANAGER, connector.url, value=ONE_TO_ONE))]
    posts += [org_bot.post(activity(PRIYA_MANAGER, connector.url, value=ONE_TO_ONE))]
    posts += [org_bot.post(activity(PRIYA_MANAGER, connector.url, value=ONE_TO_ONE))]
    posts += [org_bot.post(activity(PRIYA_MANAGER, connector.url, value=ONE_TO_ONE))]
    responses = await asyncio.gather(*posts)
    assert all(200 <= r.status < 300 for r in responses)
    assert await count(demo_db, OneToOne) == before + 1
    assert_no_internals(connector)


async def test_a_state_conflict_is_answered_politely_and_resending_works(
    org_bot: RunningBot,
    connector: ConnectorStandIn,
    demo_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Force the race: both turns read the conversation state before either writes it, so
    the second write has a stale eTag. Its sender is asked to resend; resending works."""
    from storage.state_store import StateStore

    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="feedback"))
    connector.clear()
    real_read = StateStore.read
    readers: list[asyncio.Event] = []
    both_read = asyncio.Event()

    async def read_together(self: StateStore, keys: Any) -> Any:
        found = await real_read(self, keys)
        if any("conversations" in key for key in keys) and not both_read.is_set():
            readers.append(asyncio.Event())
            if len(readers) == 2:
                both_read.set()
            await asyncio.wait_for(both_read.wait(), 5)
        return found

    monkeypatch.setattr(StateStore, "read", read_together)
    statuses = await twice(
        org_bot,
        activity(PRIYA_MANAGER, connector.url, text="First idea"),
        activity(PRIYA_MANAGER, connector.url, text="Second idea"),
    )
    monkeypatch.setattr(StateStore, "read", real_read)
    assert all(200 <= s < 300 for s in statuses), statuses
    texts = replies_to(connector, PRIYA_MANAGER.conversation_id)
    assert "crossed over" in texts and "Please send it again" in texts
    assert "Sorry, something went wrong" not in texts
    assert_no_internals(connector)

    connector.clear()
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="yes"))
    assert "passed that on to HR" in json.dumps(connector.received)
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="feedback"))
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="The one that crossed"))
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, text="yes"))
    async with demo_db.sessions() as session:
        saved = set((await session.scalars(select(Feedback.text))).all())
    assert "The one that crossed" in saved and len(saved) == 2
