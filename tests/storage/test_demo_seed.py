"""What the demo seeds at a fixed date, pinned: rows per table and a few key records (SQLite, and
PostgreSQL when configured). The demo's data is files an admin may edit; these numbers change only
when the data does, never when the loader is refactored."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from sqlalchemy import func, select

from services.demo import seed_demo
from storage.database import Database
from storage.models import (
    Absence,
    Apr,
    Base,
    Employee,
    Objective,
    OneToOne,
    OneToOneAction,
    ReturnToWork,
    ServicePlan,
)

AS_OF = date(2026, 11, 23)
Row = TypeVar("Row", bound=Base)

# Every table the demo writes to, and how many rows it holds afterwards (the five council
# priorities are reference data, there before the demo). Every other table stays empty.
ROWS = {
    "employee": 48,
    "council_priority": 5,
    "service_plan": 7,
    "one_to_one": 107,
    "one_to_one_revision": 107,
    "one_to_one_action": 77,
    "objective": 61,
    "objective_update": 200,
    "apr": 36,
    "apr_objective_review": 15,
    "absence": 8,
    "return_to_work": 5,
    "agenda_point": 6,
    "agenda_prep_note": 2,
    "planned_one_to_one": 2,
}


async def _counts(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def _by_employee_id(database: Database, model: type[Row]) -> dict[str, list[Row]]:
    """The rows of ``model`` (which has an ``employee_id`` key) by demo employee id, in id order."""
    column = model.__table__.c.employee_id
    async with database.sessions() as session:
        rows = await session.execute(
            select(Employee.employee_id, model)
            .join(Employee, Employee.id == column)
            .order_by(model.__table__.c.id)
        )
        found: dict[str, list[Row]] = {}
        for employee_id, row in rows:
            found.setdefault(employee_id, []).append(row)
        return found


async def test_rows_per_table(database: Database) -> None:
    result = await seed_demo(database, AS_OF)
    assert (result.created, result.updated, result.unchanged, result.problems) == (48, 0, 0, [])
    counts = await _counts(database)
    assert {name: n for name, n in counts.items() if n} == ROWS
    await seed_demo(database, AS_OF)  # again: nothing more
    assert await _counts(database) == counts


async def test_key_people_and_plans(database: Database) -> None:
    await seed_demo(database, AS_OF)
    async with database.sessions() as session:
        people = {e.employee_id: e for e in (await session.scalars(select(Employee))).all()}
        plans = (await session.scalars(select(ServicePlan.title).order_by(ServicePlan.id))).all()
    priya, helen = people["D003"], people["D001"]
    assert (priya.name, priya.email) == ("Priya Shah", "priya.shah@demo-council.example")
    assert priya.aad_object_id == "00000000-0000-4000-8000-000000000003"
    assert people["D025"].email == "niamh.obrien@demo-council.example"
    assert people["D014"].email == "meiling.chen@demo-council.example"
    assert people["D011"].manager_id == priya.id
    assert helen.manager_id is None and "hr_admin" in helen.roles
    assert people["D015"].start_date == date(2026, 9, 7)
    assert list(plans) == [
        "Libraries Service Plan 2026/27",
        "Waste Strategy 2025-2030",
        "Customer Services Improvement Plan",
        "Medium Term Financial Strategy 2026/27",
        "Adult Social Care Reablement Plan 2026/27",
        "Early Help Strategy 2025-2028",
        "Local Plan Delivery Programme 2026/27",
    ]


async def test_key_one_to_ones(database: Database) -> None:
    await seed_demo(database, AS_OF)
    meetings = await _by_employee_id(database, OneToOne)
    actions = await _by_employee_id(database, OneToOneAction)
    margaret = meetings["D011"]
    assert [m.held_on for m in margaret] == [
        date(2026, 8, 7),
        date(2026, 9, 4),
        date(2026, 10, 2),
        date(2026, 10, 29),
    ]
    assert margaret[-1].shared_notes.startswith("Stock review on track.")
    assert max(m.held_on for m in meetings["D013"]) == date(2026, 9, 14)
    assert [m.held_on for m in meetings["D015"]] == [date(2026, 11, 2)]
    emma = {m.held_on: m for m in meetings["D023"]}
    assert emma[date(2026, 9, 24)].wellbeing_concern
    statuses = [a.status for rows in actions.values() for a in rows]
    assert (statuses.count("done"), statuses.count("open")) == (51, 26)


async def test_key_objectives_and_aprs(database: Database) -> None:
    await seed_demo(database, AS_OF)
    aprs = await _by_employee_id(database, Apr)
    objectives = await _by_employee_id(database, Objective)
    overdue_elsewhere = {"D036", "D045", "D055"}  # one in each of three other departments
    assert len(aprs) == 36 and not {"D013", "D015", "D022", *overdue_elsewhere} & aprs.keys()
    priya = aprs["D003"][0]
    assert priya.held_on == date(2026, 4, 21)
    margaret = aprs["D011"][0]
    assert margaret.employee_comment == "Thank you, a fair summary of a busy year."
    assert aprs["D020"][0].acknowledged_at is None
    statuses = sorted(o.status for rows in objectives.values() for o in rows)
    assert {s: statuses.count(s) for s in set(statuses)} == {
        "in_progress": 18 + 24,  # the other four departments: one live objective each
        "achieved": 10,
        "draft": 4,
        "partly_achieved": 3,
        "not_achieved": 1,
        "agreed": 1,
    }


async def test_key_absences(database: Database) -> None:
    await seed_demo(database, AS_OF)
    absences = await _by_employee_id(database, Absence)
    spells = {
        employee_id: [(a.start_date, a.end_date, a.absence_type) for a in rows]
        for employee_id, rows in absences.items()
    }
    assert spells["D012"] == [(date(2026, 11, 19), date(2026, 11, 20), "sickness")]
    assert spells["D023"] == [(date(2026, 10, 14), None, "sickness")]
    assert spells["D021"] == [(date(2026, 9, 24), date(2026, 9, 24), "other")]
    assert len(spells["D017"]) == 3
    async with database.sessions() as session:
        rtws = (await session.scalars(select(ReturnToWork).order_by(ReturnToWork.held_on))).all()
    assert [(r.held_on, r.outcome, r.trigger_reached) for r in rtws] == [
        (date(2026, 3, 20), "no_further_action", False),
        (date(2026, 5, 11), "no_further_action", False),
        (date(2026, 7, 22), "keep_under_review", False),
        (date(2026, 8, 27), "keep_under_review", False),
        (date(2026, 10, 28), "attendance_review_meeting", True),
    ]
