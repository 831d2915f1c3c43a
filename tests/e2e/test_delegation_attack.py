"""Issue 13, item 5, over HTTP: a head of service delegates "my team" to their report's
report, who would then be acting manager of their own boss. Refused; the junior records
nothing about their boss."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from storage.database import Database
from storage.models import Absence, Delegation, Employee, OneToOne
from tests.e2e.conftest import NOW
from tests.support.people import DAVID_HEAD, PRIYA_MANAGER, RHYS_STAFF
from tests.support.server import RunningBot
from tests.support.teams import ConnectorStandIn, TeamsUser, activity


async def ask(
    bot: RunningBot, connector: ConnectorStandIn, user: TeamsUser, **kw: Any
) -> list[dict[str, Any]]:
    """The replies in ``user``'s own chat (others may be messaged too)."""
    connector.clear()
    await bot.post(activity(user, connector.url, **kw))
    received = await connector.wait_for(1)
    return [m for m in received if m["_conversation"] == user.conversation_id]


async def about_priya(database: Database, model: Any) -> int:
    async with database.sessions() as session:
        priya = await session.scalar(select(Employee.id).where(Employee.employee_id == "D003"))
        return int(
            await session.scalar(
                select(func.count()).select_from(model).where(model.employee_id == priya)
            )
            or 0
        )


async def test_a_junior_cannot_become_acting_manager_of_their_own_boss(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    for user in (RHYS_STAFF, PRIYA_MANAGER):
        await ask(bot, connector, user, text="hello")
    [refused] = await ask(
        bot, connector, DAVID_HEAD, text="delegate my team to Rhys Evans until Friday"
    )
    said = json.dumps(refused)
    assert "Delegation set up" not in said
    assert "Nothing was changed" in said and "sits below the team" in said
    async with demo_db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Delegation)) == 0

    absences, one_to_ones = (
        await about_priya(demo_db, Absence),
        await about_priya(demo_db, OneToOne),
    )
    await ask(
        bot,
        connector,
        RHYS_STAFF,
        value={
            "form": "absence_start",
            "employee_id": "D003",
            "start_date": NOW.date().isoformat(),
            "reason_category": "Stress, depression or anxiety",
        },
    )
    await ask(
        bot,
        connector,
        RHYS_STAFF,
        value={
            "form": "one_to_one",
            "employee_id": "D003",
            "held_on": (NOW.date() - timedelta(days=1)).isoformat(),
            "managing": "Talked about her workload.",
            "shared_notes": "",
            "private_note": "Seems to be struggling.",
            "wellbeing_concern": "true",
        },
    )
    assert await about_priya(demo_db, Absence) == absences
    assert await about_priya(demo_db, OneToOne) == one_to_ones
    [menu] = await ask(bot, connector, RHYS_STAFF, value={"command": "log_one_to_one"})
    assert "Priya" not in json.dumps(menu)


async def test_the_managers_own_manager_may_act_at_once(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    """In the manager's own chain of managers: no HR confirmation needed."""
    await ask(bot, connector, DAVID_HEAD, text="hello")
    [asked] = await ask(
        bot, connector, PRIYA_MANAGER, text="delegate my team to David Marsh until Friday"
    )
    [confirm] = [
        a["data"] for a in asked["attachments"][0]["content"]["actions"] if a["title"] == "Confirm"
    ]
    connector.clear()
    await bot.post(activity(PRIYA_MANAGER, connector.url, value=confirm))
    received = await connector.wait_for(2)
    told = {m["_conversation"]: json.dumps(m) for m in received}
    assert "Delegation set up" in told[PRIYA_MANAGER.conversation_id]
    assert "acting manager for Priya Shah" in told[DAVID_HEAD.conversation_id]
