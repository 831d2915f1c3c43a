"""Delegation: who may set one up, and what an acting manager may do during it (and not after).

Runs on SQLite, and PostgreSQL when configured, over the demo organisation chart.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from domain.clock import FixedClock
from domain.nudge_rules import NudgeKind
from domain.people import Person
from services.authority import acting_for, people_in_charge
from services.delegation import (
    MAX_DELEGATION_DAYS,
    DelegationRefused,
    DelegationService,
    InvalidDelegation,
)
from services.nudge_planner import PlanSettings, plan_due_items
from services.one_to_ones import NotPermitted, OneToOneDraft, OneToOnePolicy, OneToOneService
from storage import employees
from storage.database import Database
from storage.models import Employee

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 23)


def clock_on(day: date) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON))


async def person(database: Database, name: str) -> Person:
    email = f"{name.lower().replace(' ', '.')}@demo-council.example"
    async with database.sessions() as session:
        found = await employees.get_person_by_email(session, email, as_of=TODAY)
    assert found is not None, name
    return found


def draft(day: date) -> OneToOneDraft:
    return OneToOneDraft(held_on=day, notes={"managing": "Covered the rota while Priya is away."})


async def test_a_manager_delegates_their_team_and_the_acting_manager_logs(
    demo_org: Database,
) -> None:
    priya, tom = await person(demo_org, "Priya Shah"), await person(demo_org, "Tom Griffiths")
    rhys = await person(demo_org, "Rhys Evans")
    service = DelegationService(demo_org, clock_on(TODAY))
    made = await service.create(priya, priya, tom, ends_on=TODAY + timedelta(days=14))
    assert (made.manager_id, made.delegate_id, made.starts_on) == (priya.id, tom.id, TODAY)
    # Tom is Priya's peer, outside her own chain of managers: HR confirms first.
    assert made.awaiting_confirmation
    async with demo_org.sessions() as session:
        assert await acting_for(session, tom.id, rhys, TODAY) is None
    with pytest.raises(DelegationRefused):
        await service.confirm(tom, made.id)
    made = await service.confirm(None, made.id)
    assert not made.awaiting_confirmation

    async with demo_org.sessions() as session:
        authority = await acting_for(session, tom.id, rhys, TODAY)
        still_line = await acting_for(session, priya.id, rhys, TODAY)
        nobody = await acting_for(session, (await person(demo_org, "Aisha Khan")).id, rhys, TODAY)
        team = await people_in_charge(session, tom.id, TODAY)
    assert authority is not None and authority.kind == "acting"
    assert authority.on_behalf_of_id == priya.id
    assert still_line is not None and still_line.kind == "line_manager"
    assert nobody is None
    assert {p.employee_id for p, _ in team} >= {"D011", "D013", "D016"}

    one_to_ones = OneToOneService(demo_org, clock_on(TODAY), OneToOnePolicy())
    logged = await one_to_ones.log(tom, "D013", draft(TODAY))
    assert logged.report.id == rhys.id
    # The last day is inclusive; the day after, the acting manager is refused.
    last_day = made.ends_on
    assert await OneToOneService(demo_org, clock_on(last_day), OneToOnePolicy()).log(
        tom, "D013", draft(last_day)
    )
    with pytest.raises(NotPermitted):
        await OneToOneService(
            demo_org, clock_on(last_day + timedelta(days=1)), OneToOnePolicy()
        ).log(tom, "D013", draft(last_day + timedelta(days=1)))


async def test_only_hr_or_the_manager_may_delegate_a_team(demo_org: Database) -> None:
    priya, tom = await person(demo_org, "Priya Shah"), await person(demo_org, "Tom Griffiths")
    aisha, helen = await person(demo_org, "Aisha Khan"), await person(demo_org, "Helen Okafor")
    service = DelegationService(demo_org, clock_on(TODAY))
    with pytest.raises(DelegationRefused):
        await service.create(tom, priya, aisha, ends_on=TODAY + timedelta(days=5))
    made = await service.create(helen, priya, aisha, ends_on=TODAY + timedelta(days=5))
    assert made.created_by_id == helen.id


@pytest.mark.parametrize(
    ("delegate", "starts", "ends", "message"),
    [
        ("Margaret Hughes", 0, 5, "can't be one of the people"),
        ("Priya Shah", 0, 5, "someone other than the team's manager"),
        ("Tom Griffiths", -1, 5, "can't start in the past"),
        ("Tom Griffiths", 3, 2, "can't be before the start"),
        ("Tom Griffiths", 0, MAX_DELEGATION_DAYS + 1, "at most"),
    ],
)
async def test_bad_delegations_are_refused_and_change_nothing(
    demo_org: Database, delegate: str, starts: int, ends: int, message: str
) -> None:
    priya = await person(demo_org, "Priya Shah")
    service = DelegationService(demo_org, clock_on(TODAY))
    with pytest.raises(InvalidDelegation) as refused:
        await service.create(
            priya,
            priya,
            await person(demo_org, delegate),
            starts_on=TODAY + timedelta(days=starts),
            ends_on=TODAY + timedelta(days=ends),
        )
    assert message in str(refused.value)
    assert await service.of_team(priya) == []


async def test_a_team_has_one_acting_manager_at_a_time(demo_org: Database) -> None:
    priya, tom = await person(demo_org, "Priya Shah"), await person(demo_org, "Tom Griffiths")
    aisha = await person(demo_org, "Aisha Khan")
    service = DelegationService(demo_org, clock_on(TODAY))
    first = await service.create(priya, priya, tom, ends_on=TODAY + timedelta(days=10))
    with pytest.raises(InvalidDelegation, match="already acting"):
        await service.create(
            priya,
            priya,
            aisha,
            starts_on=TODAY + timedelta(days=10),
            ends_on=TODAY + timedelta(days=20),
        )
    # Back to back is fine.
    await service.create(
        priya,
        priya,
        aisha,
        starts_on=TODAY + timedelta(days=11),
        ends_on=TODAY + timedelta(days=20),
    )
    ended = await service.end(priya, first.id)
    assert ended.revoked_at is not None
    with pytest.raises(InvalidDelegation, match="already ended"):
        await service.end(priya, first.id)
    async with demo_org.sessions() as session:
        rhys = await person(demo_org, "Rhys Evans")
        assert await acting_for(session, tom.id, rhys, TODAY) is None


async def test_someone_else_cannot_end_a_delegation(demo_org: Database) -> None:
    priya, tom = await person(demo_org, "Priya Shah"), await person(demo_org, "Tom Griffiths")
    service = DelegationService(demo_org, clock_on(TODAY))
    made = await service.create(priya, priya, tom, ends_on=TODAY + timedelta(days=10))
    with pytest.raises(DelegationRefused):
        await service.end(await person(demo_org, "Aisha Khan"), made.id)
    assert (
        await service.end(tom, made.id)
    ).revoked_at is not None  # the acting manager stands down


async def test_the_teams_nudges_go_to_the_acting_manager_during_the_period(
    demo_org: Database,
) -> None:
    priya, tom = await person(demo_org, "Priya Shah"), await person(demo_org, "Tom Griffiths")
    rhys = await person(demo_org, "Rhys Evans")
    service = DelegationService(demo_org, clock_on(TODAY))
    made = await service.create(priya, priya, tom, ends_on=TODAY + timedelta(days=7))
    await service.confirm(None, made.id)  # Tom is outside Priya's chain: HR confirms

    def recipients(items: list, subject: Person) -> set[int]:  # type: ignore[type-arg]
        return {
            i.recipient_id
            for i in items
            if i.subject_id == subject.id and i.kind is NudgeKind.ONE_TO_ONE_DUE
        }

    during = await plan_due_items(demo_org, TODAY, PlanSettings())
    after = await plan_due_items(demo_org, TODAY + timedelta(days=8), PlanSettings())
    assert recipients(during, rhys) == {tom.id}
    assert recipients(after, rhys) == {priya.id}


async def test_setting_up_and_ending_a_delegation_is_in_each_team_members_audit(
    demo_org: Database,
) -> None:
    from sqlalchemy import select

    from services.audit import AuditTrail, Channel
    from storage.models import AuditEvent

    priya, daniel = await person(demo_org, "Priya Shah"), await person(demo_org, "Daniel Kowalski")
    async with demo_org.sessions() as session:
        team = {p.id for p in await employees.active_direct_reports(session, priya.id, TODAY)}
    trail = AuditTrail(demo_org, clock_on(TODAY), Channel.CHAT)
    service = DelegationService(demo_org, clock_on(TODAY), trail)
    made = await service.create(priya, priya, daniel, ends_on=TODAY + timedelta(days=14))
    await service.end(priya, made.id)
    async with demo_org.sessions() as session:
        rows = (
            await session.scalars(select(AuditEvent).where(AuditEvent.record_type == "delegation"))
        ).all()
    for action in ("create", "update"):
        about = {e.subject_id: e for e in rows if e.action == action}
        assert set(about) == team | {priya.id}, action
        assert all(e.record_id == str(made.id) for e in about.values())
        assert all(daniel.email in e.detail for e in about.values())
        assert all(TODAY.isoformat() in e.detail for e in about.values())


async def test_a_delegate_moved_below_the_team_afterwards_no_longer_acts(
    demo_org: Database,
) -> None:
    """Set up properly (Tom acts for Priya's team, HR confirmed), then a reorganisation puts
    Tom under Rhys, one of that team: the delegation grants nothing from then on."""
    from sqlalchemy import update

    from storage.models import Employee

    priya, tom = await person(demo_org, "Priya Shah"), await person(demo_org, "Tom Griffiths")
    rhys, margaret = await person(demo_org, "Rhys Evans"), await person(demo_org, "Margaret Hughes")
    service = DelegationService(demo_org, clock_on(TODAY))
    made = await service.create(priya, priya, tom, ends_on=TODAY + timedelta(days=14))
    await service.confirm(None, made.id)
    async with demo_org.sessions() as session:
        assert await acting_for(session, tom.id, margaret, TODAY) is not None
    async with demo_org.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.id == tom.id).values(manager_id=rhys.id)
        )
    async with demo_org.sessions() as session:
        assert await acting_for(session, tom.id, margaret, TODAY) is None
        in_charge = await people_in_charge(session, tom.id, TODAY)
    assert "D011" not in {p.employee_id for p, _ in in_charge}


async def test_hr_can_confirm_a_delegation_a_reorganisation_moved_out_of_the_chain(
    demo_org: Database,
) -> None:
    """Priya hands her team to David, her own manager (at once); a reorganisation then puts
    Priya under Helen. David no longer acts, the delegation shows as waiting for HR again,
    and an HR admin's confirmation lets him act once more."""
    priya, david = await person(demo_org, "Priya Shah"), await person(demo_org, "David Marsh")
    helen, rhys = await person(demo_org, "Helen Okafor"), await person(demo_org, "Rhys Evans")
    service = DelegationService(demo_org, clock_on(TODAY))
    made = await service.create(priya, priya, david, ends_on=TODAY + timedelta(days=14))
    assert [d.id for d in await service.awaiting_confirmation()] == []
    async with demo_org.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.id == priya.id).values(manager_id=helen.id)
        )
    assert [d.id for d in await service.awaiting_confirmation()] == [made.id]
    assert not await service.is_acting_manager(david)
    confirmed = await service.confirm(None, made.id)
    assert not confirmed.awaiting_confirmation and confirmed.covers(TODAY)
    async with demo_org.sessions() as session:
        assert await acting_for(session, david.id, rhys, TODAY) is not None
