"""Follow-up red-team pass on #13's fixes: what still fails after the merge.

Runs on SQLite, and PostgreSQL when configured, over the demo organisation chart.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import update

from services import authority
from services.delegation import DelegationService
from services.nudge_planner import PlanSettings, plan_due_items
from storage.database import Database
from storage.models import Employee
from tests.storage.test_delegation import TODAY, clock_on, person


async def _tom_acts_for_priya_then_moves_under_rhys(demo_org: Database):  # type: ignore[no-untyped-def]
    """Tom acts for Priya's team (HR confirmed); a reorganisation then puts Tom under Rhys,
    one of that team. From then on the delegation must grant nothing (#13 Medium 5)."""
    priya, tom = await person(demo_org, "Priya Shah"), await person(demo_org, "Tom Griffiths")
    rhys = await person(demo_org, "Rhys Evans")
    service = DelegationService(demo_org, clock_on(TODAY))
    made = await service.create(priya, priya, tom, ends_on=TODAY + timedelta(days=14))
    await service.confirm(None, made.id)
    async with demo_org.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.id == tom.id).values(manager_id=rhys.id)
        )
    return priya, tom, rhys


async def test_a_delegate_moved_below_the_team_is_not_told_its_comments(
    demo_org: Database,
) -> None:
    """Comments (RTW, one-to-one, APR) go to authority.current_manager_pk: it must not name
    a junior who now sits below the team, i.e. below the commenter's own manager."""
    priya, tom, rhys = await _tom_acts_for_priya_then_moves_under_rhys(demo_org)
    async with demo_org.sessions() as session:
        assert await authority.acting_for(session, tom.id, rhys, TODAY) is None  # held
        told = await authority.current_manager_pk(session, rhys, TODAY)
    assert told == priya.id, "Rhys's comments about his own records go to his report Tom"


async def test_a_delegate_moved_below_the_team_gets_none_of_its_reminders(
    demo_org: Database,
) -> None:
    _priya, tom, rhys = await _tom_acts_for_priya_then_moves_under_rhys(demo_org)
    items = await plan_due_items(demo_org, TODAY, PlanSettings())
    about_team = [i for i in items if i.subject_id == rhys.id and i.recipient_id == tom.id]
    assert about_team == [], "Tom is reminded about his own boss Rhys"


async def test_a_delegate_moved_below_the_team_no_longer_sees_it_as_acting_manager(
    demo_org: Database,
) -> None:
    """'my team' lists each team acted for (TeamOverview.my_teams, teams_acted_for): a
    delegate now below the team must not see their own boss's team as its acting manager."""
    from tests.support.chat import Chat
    from tests.support.people import TOM_MANAGER

    await _tom_acts_for_priya_then_moves_under_rhys(demo_org)
    replies = await Chat(demo_org, TOM_MANAGER).say("my team")
    shown = Chat.text_of(replies) + json.dumps(Chat.cards_of(replies))
    assert "Priya Shah's team (you are acting manager)" not in shown


async def test_a_delegate_no_longer_in_the_managers_chain_needs_hr_to_confirm(
    demo_org: Database,
) -> None:
    """Priya delegates to David, her own manager: in her chain, so it acts at once. A
    reorganisation then puts Priya under Helen: David is now outside Priya's chain, where a
    delegation needs an HR admin to confirm it (#13 Medium 5), yet he still acts with no
    HR admin ever having confirmed anything."""
    priya, david = await person(demo_org, "Priya Shah"), await person(demo_org, "David Marsh")
    helen, rhys = await person(demo_org, "Helen Okafor"), await person(demo_org, "Rhys Evans")
    service = DelegationService(demo_org, clock_on(TODAY))
    made = await service.create(priya, priya, david, ends_on=TODAY + timedelta(days=14))
    assert not made.awaiting_confirmation  # in chain: at once (held)
    async with demo_org.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.id == priya.id).values(manager_id=helen.id)
        )
    async with demo_org.sessions() as session:
        assert await authority.acting_for(session, david.id, rhys, TODAY) is None, (
            "David, now outside Priya's chain, acts for her team without HR confirmation"
        )
