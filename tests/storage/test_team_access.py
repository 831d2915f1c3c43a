"""Who sees health data in the team overview, on both databases: a head of service opening a
team below them sees no sickness, trigger status or RTW, and no absence read is audited for
it; the line manager and HR see them, and their reads are audited."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from domain.clock import FixedClock
from domain.errors import Invalid, Refused
from domain.people import Person
from services.demo import seed_demo
from services.registry import Services
from services.team_overview import TeamAccess
from storage import employees
from storage.database import Database
from storage.models import AuditEvent

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
async def demo(database: Database) -> Database:
    await seed_demo(database, NOW.date())
    return database


async def person(database: Database, employee_id: str) -> Person:
    async with database.sessions() as session:
        found = await employees.get_person_by_employee_id(session, employee_id, as_of=NOW.date())
    assert found is not None
    return found


async def absence_reads(database: Database, actor: Person) -> int:
    async with database.sessions() as session:
        found = await session.scalars(
            select(AuditEvent).where(
                AuditEvent.actor_id == actor.id,
                AuditEvent.action == "read",
                AuditEvent.record_type == "absence",
            )
        )
        return len(found.all())


async def test_david_sees_priyas_team_without_health_data(demo: Database) -> None:
    services = Services.build(demo, FixedClock(NOW))
    david = await person(demo, "D002")
    team = await services.team.team_of(david, "D003")
    assert team.access is TeamAccess.SKIP_LEVEL and team.health_note
    assert len(team.rows) == 5
    for row in team.rows:
        assert row.sickness is None and row.trigger_reached is None
        assert row.rtw is None and row.rtw_state is None and row.off_sick_since is None
        assert row.next_action is None
    oluwaseun = next(r for r in team.rows if r.employee_id == "D012")
    assert oluwaseun.next_reason != "Return-to-work conversation"  # it would give it away
    assert await absence_reads(demo, david) == 0


async def test_priya_and_hr_see_it_and_their_reads_are_audited(demo: Database) -> None:
    services = Services.build(demo, FixedClock(NOW))
    priya, helen = await person(demo, "D003"), await person(demo, "D001")
    for viewer, access in ((priya, TeamAccess.LINE_MANAGER), (helen, TeamAccess.HR)):
        team = await services.team.team_of(viewer, "D003")
        assert team.access is access and team.health_note is None
        oluwaseun = next(r for r in team.rows if r.employee_id == "D012")
        assert oluwaseun.sickness == "1 occasion, 2 working days in 12 months"
        assert oluwaseun.trigger_reached is False
        assert oluwaseun.rtw == "Due by 26 Nov 2026"
        assert await absence_reads(demo, viewer) == 5
    rows = {r.employee_id: r for r in (await services.team.team_of(priya, "D003")).rows}
    assert rows["D012"].next_action is not None and rows["D012"].next_action.command == "log_rtw"
    rows = {r.employee_id: r for r in (await services.team.team_of(helen, "D003")).rows}
    assert rows["D012"].next_action is not None
    assert rows["D012"].next_action.command == "absences_for"
    assert rows["D013"].next_action is None  # HR doesn't log one-to-ones


async def test_who_may_see_which_scorecard(demo: Database) -> None:
    services = Services.build(demo, FixedClock(NOW))
    david, priya = await person(demo, "D002"), await person(demo, "D003")
    helen = await person(demo, "D001")
    answer = await services.scorecards.for_viewer(david, "Corporate Resources")
    assert answer.scorecard.department == "Community Services"
    assert answer.note and "own department" in answer.note
    assert (await services.scorecards.for_viewer(helen, "community services")).note is None
    with pytest.raises(Refused, match="heads of service"):
        await services.scorecards.for_viewer(priya, None)
    with pytest.raises(Invalid, match=r"Departments: .*Community Services"):
        await services.scorecards.for_viewer(helen, "Nowhere")
