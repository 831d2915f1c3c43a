"""Follow-up red-team pass on #13's fixes, over HTTP: what still fails after the merge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.config import Settings
from domain.clock import FixedClock
from domain.form_tokens import FORM_TOKEN
from storage.database import Database
from storage.models import Apr, Objective
from tests.e2e.conftest import NOW
from tests.e2e.test_double_submits import (
    card_from,
    count,
    input_ids,
    introduce,
    priority,
    rhys_pk,
    save_button,
    three_at_once,
)
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn


@pytest.fixture
async def org_bot(db_url: str, demo_db: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def test_a_record_apr_card_without_a_form_token_still_saves_once(
    org_bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    """A Record APR card sent before form tokens existed (it stays in the chat for months)
    has no token, and takes 'the old path': pressed three times at once it still makes three
    APRs, three sets of next year's objectives and three acknowledgement requests (#13
    Medium 12). The one-to-one has a fallback for tokenless cards; the APR has none."""
    await introduce(org_bot, connector, RHYS_STAFF, PRIYA_MANAGER)
    rhys = await rhys_pk(demo_db)
    aprs = await count(demo_db, Apr)
    objectives = await count(demo_db, Objective, Objective.employee_id == rhys)
    card = await card_from(
        org_bot, connector, PRIYA_MANAGER, value={"command": "record_apr", "employee_id": "D013"}
    )
    values = {
        **save_button(card),
        **{i: "continuing" for i in input_ids(card["body"]) if i.startswith("outcome_")},
        "held_on": (NOW.date() - timedelta(days=2)).isoformat(),
        "overall_comments": "A strong year with the reading challenge.",
        "next_1_title": "Run the summer reading challenge in all four branches",
        "next_1_measure": "Four branches, 300 children signed up",
        "next_1_target_date": (NOW.date() + timedelta(days=250)).isoformat(),
        "next_1_priority_id": await priority(demo_db),
    }
    del values[FORM_TOKEN]  # a card from before the upgrade
    received = await three_at_once(org_bot, PRIYA_MANAGER, connector, values)

    to_rhys = [m for m in received if m["_conversation"] == RHYS_STAFF.conversation_id]
    # Saved once, or (a card from before the upgrade) refused politely: never more than once.
    assert await count(demo_db, Apr) <= aprs + 1
    assert await count(demo_db, Objective, Objective.employee_id == rhys) <= objectives + 1
    assert len(to_rhys) <= 1, "at most one acknowledgement request"
