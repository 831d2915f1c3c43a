"""Set-based queries behind the nudge planner: a handful of queries for the whole council,
never one per employee."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Date, Integer, String, any_, bindparam, func, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
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


class StaffRow(NamedTuple):  # a tuple: 50,000 of these are built per plan
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
    """Everyone in post with a manager, with their last one-to-one and last APR.

    SQLite answers each "last" fastest as a correlated max() from the (employee_id, held_on)
    index; PostgreSQL as one grouped pass over each table, hash-joined (the correlated form
    costs enough on paper to set off its JIT compiler, which takes longer than the query).
    """
    connection = await session.connection()
    if connection.dialect.name == "sqlite":
        last_one_to_one = (
            select(func.max(OneToOne.held_on))
            .where(OneToOne.employee_id == Employee.id)
            .correlate(Employee)
            .scalar_subquery()
        )
        last_apr = (
            select(func.max(Apr.held_on))
            .where(Apr.employee_id == Employee.id)
            .correlate(Employee)
            .scalar_subquery()
        )
        source = Employee.__table__
    else:
        one_to_ones = (
            select(OneToOne.employee_id, func.max(OneToOne.held_on).label("held"))
            .group_by(OneToOne.employee_id)
            .subquery()
        )
        aprs = (
            select(Apr.employee_id, func.max(Apr.held_on).label("held"))
            .group_by(Apr.employee_id)
            .subquery()
        )
        last_one_to_one, last_apr = one_to_ones.c.held, aprs.c.held
        source = Employee.__table__.outerjoin(
            one_to_ones, one_to_ones.c.employee_id == Employee.id
        ).outerjoin(aprs, aprs.c.employee_id == Employee.id)
    # SQLite keeps dates as ISO text: parse each distinct one once (a few thousand start
    # dates and a few hundred meeting dates), not 150,000 times through the Date type.
    as_text = connection.dialect.name == "sqlite"
    day = String if as_text else Date
    query = (
        select(
            Employee.id,
            Employee.name,
            Employee.manager_id,
            type_coerce(Employee.start_date, day),
            Employee.working_pattern,
            type_coerce(last_one_to_one, day),
            type_coerce(last_apr, day),
        )
        .select_from(source)
        .where(_active(as_of), Employee.manager_id.is_not(None), Employee.start_date <= as_of)
    )
    # Core execution: these are plain rows, so the ORM's result machinery is skipped.
    rows = await connection.execute(query)
    if not as_text:
        return [StaffRow._make(row) for row in rows]
    parse = cache(date.fromisoformat)
    return [
        StaffRow(
            pk,
            name,
            boss,
            parse(started),
            pattern,
            None if held is None else parse(held),
            None if apr is None else parse(apr),
        )
        for pk, name, boss, started, pattern, held, apr in rows
    ]


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


def among(column: Any, ids: Collection[int], dialect: str) -> Any:
    """``column`` is one of ``ids``, bound as ONE parameter whatever their number.

    An IN-list binds each id on its own, and the drivers stop at a limit (asyncpg at 32,767
    parameters, SQLite at 32,766 variables): PostgreSQL gets an integer array
    (``= ANY(:ids)``), SQLite a JSON array read back with ``json_each``.
    """
    values = sorted(ids)
    if dialect == "postgresql":
        return column == any_(bindparam("id_set", values, type_=ARRAY(Integer)))
    listed = func.json_each(bindparam("id_set", json.dumps(values))).table_valued("value")
    return column.in_(select(listed.c.value))


async def managers_of(session: AsyncSession, ids: Collection[int]) -> dict[int, int | None]:
    """Each employee's line manager, for any number of employees."""
    if not ids:
        return {}
    connection = await session.connection()
    rows = await connection.execute(
        select(Employee.id, Employee.manager_id).where(
            among(Employee.id, ids, connection.dialect.name)
        )
    )
    return {employee: boss for employee, boss in rows}
