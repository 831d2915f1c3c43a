"""The demo organisation's sickness absence (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from domain.rtw import RtwState, absence_is_long_term, rtw_due
from domain.triggers import AbsenceSpell, find_overlaps, trigger_status
from services.absence import AbsencePolicy
from services.demo import seed_demo, seed_demo_absence
from storage.database import Database
from storage.models import Absence, Employee, ReturnToWork

MONDAY = date(2026, 11, 23)


async def _absences(database: Database) -> dict[str, list[Absence]]:
    """Each demo employee's absences by employee_id, oldest first."""
    async with database.sessions() as session:
        rows = await session.execute(
            select(Employee.employee_id, Absence)
            .join(Employee, Employee.id == Absence.employee_id)
            .order_by(Absence.start_date)
        )
        found: dict[str, list[Absence]] = {}
        for employee_id, absence in rows:
            found.setdefault(employee_id, []).append(absence)
        return found


async def _rtws(database: Database) -> dict[int, ReturnToWork]:
    async with database.sessions() as session:
        return {r.absence_id: r for r in (await session.scalars(select(ReturnToWork))).all()}


async def _count(database: Database) -> tuple[int, int]:
    async with database.sessions() as session:
        absences = await session.scalar(select(func.count()).select_from(Absence))
        rtws = await session.scalar(select(func.count()).select_from(ReturnToWork))
    return int(absences or 0), int(rtws or 0)


def _spells(absences: list[Absence], as_of: date) -> list[AbsenceSpell]:
    return [
        AbsenceSpell(
            start=a.start_date,
            end=a.end_date,
            working_days_lost=a.working_days_lost or 0,
            disability_related=a.disability_related,
            kind=a.absence_type,
        )
        for a in absences
        if a.start_date <= as_of
    ]


async def test_seeding_is_idempotent(database: Database) -> None:
    await seed_demo(database, MONDAY)
    counts = await _count(database)
    assert counts[0] >= 8 and counts[1] >= 5
    assert await seed_demo_absence(database, MONDAY) == 0
    await seed_demo(database, MONDAY)
    assert await _count(database) == counts


async def test_seeding_directly_counts(database: Database) -> None:
    await seed_demo(database, MONDAY)
    seeded = (await _count(database))[0]
    async with database.transaction() as session:
        await session.execute(Absence.__table__.delete())
    assert await seed_demo_absence(database, MONDAY) == seeded
    assert await seed_demo_absence(database, MONDAY) == 0


# A Monday, a Saturday, and a Tuesday just after the Christmas bank holidays.
@pytest.mark.parametrize("as_of", [MONDAY, date(2026, 11, 28), date(2026, 12, 29)])
async def test_each_scenario_holds_whatever_the_day(database: Database, as_of: date) -> None:
    await seed_demo(database, as_of, absence_policy=AbsencePolicy())
    absences = await _absences(database)
    rtws = await _rtws(database)

    # Priya Shah's report, back from a short sickness absence: the RTW is due now, not held.
    [back] = absences["D012"]
    assert back.absence_type == "sickness" and back.end_date is not None
    assert back.id not in rtws
    assert rtw_due(absence_end=back.end_date, as_of=as_of).state is RtwState.DUE
    assert (back.end_date - back.start_date).days < 7

    # Tom Griffiths's report: three short spells in 12 months, a conversation after each.
    tom = absences["D017"]
    assert len(tom) == 3 and all(a.id in rtws for a in tom)
    assert trigger_status(_spells(tom, as_of), as_of=as_of).reached
    assert [rtws[a.id].trigger_reached for a in tom] == [False, False, True]
    assert all(rtws[a.id].held_on > a.end_date for a in tom if a.end_date)  # type: ignore[operator]

    # Aisha Khan's report: off for about 40 days and still off.
    [long_term] = absences["D023"]
    assert long_term.end_date is None
    assert absence_is_long_term(long_term.start_date, None, as_of)
    assert trigger_status(_spells([long_term], as_of), as_of=as_of).long_term

    # The history: a cold, a musculoskeletal spell held on time, an 'other' absence.
    assert [a.reason_category for a in absences["D011"]] == ["Cold, cough or flu"]
    [back_strain] = absences["D019"]
    assert back_strain.reason_category == "Musculoskeletal" and back_strain.end_date
    held = rtw_due(
        absence_end=back_strain.end_date, as_of=as_of, held_on=rtws[back_strain.id].held_on
    )
    assert held.state is RtwState.HELD_ON_TIME
    assert [a.absence_type for a in absences["D021"]] == ["other"]

    for employee_id, spells in absences.items():
        for absence in spells:
            assert absence.start_date <= as_of, employee_id
            assert absence.end_date is None or absence.start_date <= absence.end_date < as_of
            if absence.end_date is not None:
                assert absence.working_days_lost and absence.working_days_lost > 0
        assert find_overlaps([(a.start_date, a.end_date) for a in spells]) == [], employee_id
    assert all(r.held_on <= as_of for r in rtws.values())
