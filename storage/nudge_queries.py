"""Set-based queries behind the nudge planner: a handful of queries for the whole council,
never one per employee."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    FromClause,
    Integer,
    Select,
    String,
    Subquery,
    any_,
    bindparam,
    case,
    func,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import (
    Absence,
    Apr,
    CadenceOverride,
    Employee,
    Objective,
    OneToOne,
    PlannedOneToOne,
    ReturnToWork,
)

# A date as the database returns it: a date on PostgreSQL, ISO text on SQLite (which keeps
# dates as text). Rows are handed on as fetched; ``day`` turns each distinct value into a date
# once, so 50,000 rows cost a few thousand conversions, not 150,000.
Day = date | str

# (id, name, manager_id, start_date, APR start date (None: settled), last_one_to_one, last_apr)
StaffRow = tuple[int, str, int | None, Day, Day | None, Day | None, Day | None]

# A start date long before any APR cycle that matters: a colleague who has "always been here".
LONG_SERVING = date(1900, 1, 1)


@cache
def day(value: Day) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


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


# How many people SQLite reads per batch, and how many rows PostgreSQL's cursor hands over at a
# time (see ``staff_batches``).
STAFF_BATCH = 50_000
STAFF_STREAM_ROWS = 20_000


async def staff_batches(
    session: AsyncSession, as_of: date, *, settled_by: date | None
) -> AsyncIterator[list[StaffRow]]:
    """Everyone in post with a manager, with their last one-to-one and last APR (dates as
    ``Day``: pass them through ``day``), in batches by id. The APR start date is the start
    date, except for those who started from ``LONG_SERVING`` up to ``settled_by``: None
    (their start no longer matters to their APR), so the planner's verdicts repeat for them
    instead of being worked out afresh for nearly every person.

    SQLite answers in batches of ``STAFF_BATCH`` people, each the next range of ids (read
    from the primary key, each person's "last" looked up by index), so the caller turns one
    batch into items before the next is read: the rows of a 400,000-person council are never
    all in memory at once, and each batch costs what the same number of people cost in a
    small council. PostgreSQL answers in one query (its grouped form reads each history
    table once, which batches would repeat), streamed from a server-side cursor
    ``STAFF_STREAM_ROWS`` rows at a time: each fetch is a wait on the network, so the rows of
    a 400,000-person council are never converted, nor turned into items, in one stretch that
    would hold up every Teams turn this process is serving (about a second, measured).
    """
    connection = await session.connection()
    if connection.dialect.name != "sqlite":
        query = _staff_query(_last_held_grouped(), Date, as_of, settled_by)
        streamed = await connection.stream(query.execution_options(yield_per=STAFF_STREAM_ROWS))
        async for rows in streamed.partitions():
            yield list(rows)
        return
    query = _staff_query(_last_held_correlated(), String, as_of, settled_by)
    query = query.where(Employee.id > bindparam("after")).order_by(Employee.id).limit(STAFF_BATCH)
    after = 0
    while True:
        # Core execution and the rows as fetched: no ORM result machinery, no object per row.
        rows = list((await connection.execute(query, {"after": after})).all())
        if rows:
            yield rows
        if len(rows) < STAFF_BATCH:
            return
        after = rows[-1][0]


def _staff_query(
    last_held: LastHeld, day_type: Any, as_of: date, settled_by: date | None
) -> Select[Any]:
    source, last_one_to_one, last_apr = last_held
    return (
        select(
            Employee.id,
            Employee.name,
            Employee.manager_id,
            type_coerce(Employee.start_date, day_type),
            type_coerce(_apr_start(settled_by), day_type),
            type_coerce(last_one_to_one, day_type),
            type_coerce(last_apr, day_type),
        )
        .select_from(source)
        .where(_active(as_of), Employee.manager_id.is_not(None), Employee.start_date <= as_of)
    )


# Each person's last one-to-one and last APR, as (FROM clause, last one-to-one, last APR).
# SQLite answers each "last" fastest as a correlated max() from the (employee_id, held_on)
# index; PostgreSQL as one grouped pass over each table, hash-joined (the correlated form
# costs enough on paper to set off its JIT compiler, which takes longer than the query).
LastHeld = tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]


def _last_held_correlated() -> LastHeld:
    def last(held_on: Any, employee_id: Any) -> ColumnElement[Any]:
        return (
            select(func.max(held_on))
            .where(employee_id == Employee.id)
            .correlate(Employee)
            .scalar_subquery()
        )

    return (
        Employee.__table__,
        last(OneToOne.held_on, OneToOne.employee_id),
        last(Apr.held_on, Apr.employee_id),
    )


def _last_held_grouped() -> LastHeld:
    def last(held_on: Any, employee_id: Any) -> Subquery:
        return select(employee_id, func.max(held_on).label("held")).group_by(employee_id).subquery()

    one_to_ones = last(OneToOne.held_on, OneToOne.employee_id)
    aprs = last(Apr.held_on, Apr.employee_id)
    source = Employee.__table__.outerjoin(
        one_to_ones, one_to_ones.c.employee_id == Employee.id
    ).outerjoin(aprs, aprs.c.employee_id == Employee.id)
    return source, one_to_ones.c.held, aprs.c.held


def _apr_start(settled_by: date | None) -> ColumnElement[Any] | InstrumentedAttribute[date]:
    """The start date the APR cycle reads: NULL for the settled (see ``staff``)."""
    if settled_by is None:
        return Employee.start_date
    return case(
        (Employee.start_date.between(LONG_SERVING, settled_by), null()),
        else_=Employee.start_date,
    )


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
                # An ended absence that lost no working day needs no return to work
                # (domain.absences.needs_rtw).
                (Absence.end_date >= since)
                & ReturnToWork.id.is_(None)
                & or_(Absence.working_days_lost.is_(None), Absence.working_days_lost != 0),
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


async def next_planned(
    session: AsyncSession, after: datetime, before: datetime
) -> dict[int, datetime]:
    """Each employee's earliest one-to-one still planned from ``after`` to ``before`` (one
    query for the whole council): employee id -> when (aware, UTC)."""
    rows = await session.execute(
        select(PlannedOneToOne.employee_id, func.min(PlannedOneToOne.starts_at))
        .where(
            PlannedOneToOne.status == "planned",
            PlannedOneToOne.starts_at > after,
            PlannedOneToOne.starts_at < before,
        )
        .group_by(PlannedOneToOne.employee_id)
    )
    return {employee: starts for employee, starts in rows.all()}
