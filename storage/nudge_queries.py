"""Set-based queries behind the nudge planner: a handful of queries for the whole council,
never one per employee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Absence,
    Apr,
    CadenceOverride,
    Employee,
    Objective,
    OneToOne,
    ReturnToWork,
)


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    manager_id: int | None
    start_date: date
    working_pattern: str
    last_one_to_one: date | None
    last_apr: date | None


@dataclass(frozen=True)
class AbsenceRow:
    absence_id: int
    employee_id: int
    employee_name: str
    manager_id: int | None
    start_date: date
    end_date: date | None
    working_pattern: str
    last_contact_on: date | None


@dataclass(frozen=True)
class DraftObjectiveRow:
    objective_id: int
    employee_id: int
    employee_name: str
    manager_id: int | None
    title: str
    proposed_by: str
    created_on: date


def _active(as_of: date):  # type: ignore[no-untyped-def]
    return or_(Employee.left_on.is_(None), Employee.left_on > as_of)


async def staff(session: AsyncSession, as_of: date) -> list[StaffRow]:
    """Everyone in post with a manager, with their last one-to-one and last APR."""
    last_one_to_one = (
        select(OneToOne.employee_id, func.max(OneToOne.held_on).label("held"))
        .group_by(OneToOne.employee_id)
        .subquery()
    )
    last_apr = (
        select(Apr.employee_id, func.max(Apr.held_on).label("held"))
        .group_by(Apr.employee_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            Employee.id,
            Employee.name,
            Employee.manager_id,
            Employee.start_date,
            Employee.working_pattern,
            last_one_to_one.c.held,
            last_apr.c.held,
        )
        .outerjoin(last_one_to_one, last_one_to_one.c.employee_id == Employee.id)
        .outerjoin(last_apr, last_apr.c.employee_id == Employee.id)
        .where(_active(as_of), Employee.manager_id.is_not(None), Employee.start_date <= as_of)
    )
    return [StaffRow(*row) for row in rows]


async def cadence_overrides(session: AsyncSession) -> tuple[dict[int, int], dict[int, int]]:
    rows = (await session.execute(select(CadenceOverride))).scalars().all()
    employees = {r.employee_id: r.interval_days for r in rows if r.employee_id is not None}
    teams = {r.team_manager_id: r.interval_days for r in rows if r.team_manager_id is not None}
    return employees, teams


async def absences_needing_action(
    session: AsyncSession, as_of: date, lookback_days: int = 120
) -> list[AbsenceRow]:
    """Ended sickness absences with no return-to-work record, and ongoing sickness absences."""
    since = date.fromordinal(as_of.toordinal() - lookback_days)
    rows = await session.execute(
        select(
            Absence.id,
            Absence.employee_id,
            Employee.name,
            Employee.manager_id,
            Absence.start_date,
            Absence.end_date,
            Employee.working_pattern,
            Absence.last_contact_on,
        )
        .join(Employee, Employee.id == Absence.employee_id)
        .outerjoin(ReturnToWork, ReturnToWork.absence_id == Absence.id)
        .where(
            _active(as_of),
            Absence.absence_type == "sickness",
            Absence.start_date <= as_of,
            or_(
                Absence.end_date.is_(None),
                (Absence.end_date >= since) & ReturnToWork.id.is_(None),
            ),
        )
    )
    return [AbsenceRow(*row) for row in rows]


async def draft_objectives(session: AsyncSession, as_of: date) -> list[DraftObjectiveRow]:
    rows = await session.execute(
        select(
            Objective.id,
            Objective.employee_id,
            Employee.name,
            Employee.manager_id,
            Objective.title,
            Objective.proposed_by,
            Objective.created_at,
        )
        .join(Employee, Employee.id == Objective.employee_id)
        .where(Objective.status == "draft", _active(as_of))
    )
    result = []
    for objective_id, employee_id, name, manager_id, title, proposed_by, created in rows:
        created_on = created if isinstance(created, date) else date.fromisoformat(str(created)[:10])
        result.append(
            DraftObjectiveRow(
                objective_id, employee_id, name, manager_id, title, proposed_by, created_on
            )
        )
    return result


async def managers_of(session: AsyncSession, ids: set[int]) -> dict[int, int | None]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Employee.id, Employee.manager_id).where(Employee.id.in_(ids))
    )
    return {employee: boss for employee, boss in rows}
