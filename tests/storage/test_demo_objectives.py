"""The demo organisation's objectives and APR history (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import aliased

from domain.apr_cycle import AprCyclePolicy, AprState, apr_status
from services.demo import seed_demo, seed_demo_objectives
from storage.database import Database
from storage.models import (
    Apr,
    AprObjectiveReview,
    Employee,
    Objective,
    ObjectiveUpdate,
    ServicePlan,
)

AS_OF = date(2026, 11, 23)
TEAMS = ("D003", "D004", "D005", "D031", "D041", "D051", "D061")  # the team managers; their
# reports are the demo staff


async def _objectives(database: Database) -> list[tuple[Objective, Employee, str]]:
    """Every objective with its owner and the owner's manager's employee_id."""
    manager = aliased(Employee)
    async with database.sessions() as session:
        rows = await session.execute(
            select(Objective, Employee, manager.employee_id)
            .join(Employee, Employee.id == Objective.employee_id)
            .join(manager, manager.id == Employee.manager_id)
            .order_by(Objective.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _aprs(database: Database) -> list[tuple[Apr, Employee]]:
    async with database.sessions() as session:
        rows = await session.execute(
            select(Apr, Employee).join(Employee, Employee.id == Apr.employee_id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _staff(database: Database) -> list[Employee]:
    """The team managers and their reports."""
    async with database.sessions() as session:
        managers = (
            await session.scalars(select(Employee).where(Employee.employee_id.in_(TEAMS)))
        ).all()
        reports = (
            await session.scalars(
                select(Employee).where(Employee.manager_id.in_([m.id for m in managers]))
            )
        ).all()
    return [*managers, *reports]


async def test_seeding_is_idempotent(database: Database) -> None:
    await seed_demo(database, AS_OF)
    objectives, aprs = await _objectives(database), await _aprs(database)
    assert len(objectives) > 30 and len(aprs) > 10
    assert await seed_demo_objectives(database, AS_OF) == 0
    await seed_demo(database, AS_OF)
    assert len(await _objectives(database)) == len(objectives)
    assert len(await _aprs(database)) == len(aprs)
    async with database.transaction() as session:  # start again from no objectives or APRs
        await session.execute(delete(Objective))
        await session.execute(delete(Apr))
    assert await seed_demo_objectives(database, AS_OF) == len(objectives)
    assert await seed_demo_objectives(database, AS_OF) == 0
    async with database.sessions() as session:
        plans = (await session.scalars(select(ServicePlan.title))).all()
    assert sorted(plans) == [
        "Adult Social Care Reablement Plan 2026/27",
        "Customer Services Improvement Plan",
        "Early Help Strategy 2025-2028",
        "Libraries Service Plan 2026/27",
        "Local Plan Delivery Programme 2026/27",
        "Medium Term Financial Strategy 2026/27",
        "Waste Strategy 2025-2030",
    ]


async def test_everyone_has_one_to_three_objectives_in_mixed_states(database: Database) -> None:
    await seed_demo(database, AS_OF)
    objectives = await _objectives(database)
    per_person = Counter(employee.employee_id for _, employee, _ in objectives)
    assert {e.employee_id for e in await _staff(database)} == set(per_person)
    assert all(1 <= n <= 3 for n in per_person.values())
    statuses = Counter(objective.status for objective, _, _ in objectives)
    for status in ("draft", "agreed", "in_progress", "achieved", "partly_achieved"):
        assert statuses[status] >= 1, status
    assert statuses["in_progress"] >= 10
    assert all(objective.priority_id is not None for objective, _, _ in objectives)
    assert sum(objective.plan_id is not None for objective, _, _ in objectives) > 20


async def test_drafts_wait_for_priya_and_a_proposal_waits_for_its_employee(
    database: Database,
) -> None:
    await seed_demo(database, AS_OF)
    drafts = [(o, e, m) for o, e, m in await _objectives(database) if o.status == "draft"]
    for_priya = [e.name for o, e, m in drafts if m == "D003" and o.proposed_by == "owner"]
    assert for_priya  # Priya Shah, the emulator's demo manager, has drafts to agree
    waiting_for_employee = [o for o, e, _ in drafts if o.proposed_by == "manager"]
    assert waiting_for_employee
    assert all(o.created_by_id != o.employee_id for o in waiting_for_employee)


async def test_progress_updates_carry_percent_rag_and_comment_history(
    database: Database,
) -> None:
    await seed_demo(database, AS_OF)
    async with database.sessions() as session:
        updates = (
            await session.scalars(select(ObjectiveUpdate).where(ObjectiveUpdate.kind == "progress"))
        ).all()
    by_objective = Counter(update.objective_id for update in updates)
    assert sum(1 for n in by_objective.values() if n >= 2) >= 10
    assert all(u.percent is not None and u.rag and u.comment for u in updates)
    live = [o for o, _, _ in await _objectives(database) if o.status == "in_progress"]
    assert all(o.percent_complete > 0 and o.rag for o in live)


async def test_apr_statuses_completed_overdue_and_in_probation(database: Database) -> None:
    await seed_demo(database, AS_OF)
    aprs = await _aprs(database)
    held = {employee.employee_id: apr.held_on for apr, employee in aprs}
    policy = AprCyclePolicy()
    states = {
        person.employee_id: apr_status(
            policy,
            start_date=person.start_date,
            left_on=person.left_on,
            last_held=held.get(person.employee_id),
            as_of=AS_OF,
        ).state
        for person in await _staff(database)
    }
    assert all(date(2026, 4, 1) <= day <= date(2026, 6, 30) for day in held.values())
    overdue_elsewhere = {"D036", "D045", "D055"}  # one in each of three other departments
    assert {ref for ref, state in states.items() if state is AprState.OVERDUE} == {
        "D013",
        "D022",
        *overdue_elsewhere,
    }
    assert states["D015"] is AprState.NOT_DUE and "D015" not in held  # Callum, in probation
    assert Counter(states.values())[AprState.COMPLETED] == len(states) - 3 - 3
    async with database.sessions() as session:
        reviews = (await session.scalars(select(AprObjectiveReview.outcome))).all()
    assert {"achieved", "partly_achieved", "not_achieved", "continuing"} <= set(reviews)


@pytest.mark.parametrize("as_of", [AS_OF, date(2027, 5, 10), date(2026, 7, 1)])
async def test_no_date_is_in_the_future_or_before_a_start(database: Database, as_of: date) -> None:
    await seed_demo(database, as_of)
    objectives = await _objectives(database)
    assert objectives
    for objective, employee, _ in objectives:
        moments = (objective.created_at, objective.updated_at, objective.agreed_at)
        for moment in (*moments, objective.closed_at):
            if moment is not None:
                assert employee.start_date <= moment.date() < as_of, objective.title
    async with database.sessions() as session:
        updates = (await session.scalars(select(ObjectiveUpdate.created_at))).all()
    assert all(moment.date() < as_of for moment in updates)
    aprs = await _aprs(database)
    assert aprs
    for apr, employee in aprs:
        assert employee.start_date <= apr.held_on < as_of
        for moment in (apr.created_at, apr.acknowledged_at, apr.employee_commented_at):
            assert moment is None or moment.date() < as_of
