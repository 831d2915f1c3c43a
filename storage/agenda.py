"""Reading and writing the one-to-one agenda, prep notes and planned one-to-ones.

Returns domain records; who may see or change them is ``services.agenda``'s business.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain import agenda as rules
from domain.agenda import AddedBy, PlanStatus
from storage.models import (
    Absence,
    AgendaPoint,
    AgendaPrepNote,
    Employee,
    OneToOne,
    PlannedOneToOne,
)


def _point(row: AgendaPoint) -> rules.AgendaPoint:
    return rules.AgendaPoint(
        id=row.id,
        employee_id=row.employee_id,
        text=row.text,
        added_by=AddedBy(row.added_by),
        added_by_id=row.added_by_id,
        added_at=row.added_at,
        discussed_on=row.discussed_on,
        one_to_one_id=row.one_to_one_id,
    )


def _plan(row: PlannedOneToOne, tz: tzinfo | None = None) -> rules.PlannedOneToOne:
    """The plan, its time in ``tz`` (the council's zone; stored in UTC)."""
    return rules.PlannedOneToOne(
        id=row.id,
        employee_id=row.employee_id,
        manager_id=row.manager_id,
        starts_at=row.starts_at.astimezone(tz) if tz is not None else row.starts_at,
        status=PlanStatus(row.status),
        proposed=row.proposed,
    )


async def open_points(session: AsyncSession, employee_pk: int) -> list[rules.AgendaPoint]:
    rows = await session.scalars(
        select(AgendaPoint)
        .where(AgendaPoint.employee_id == employee_pk, AgendaPoint.discussed_on.is_(None))
        .order_by(AgendaPoint.added_at, AgendaPoint.id)
    )
    return [_point(r) for r in rows]


async def add_point(
    session: AsyncSession,
    *,
    employee_pk: int,
    text: str,
    added_by: AddedBy,
    added_by_pk: int,
    now: datetime,
) -> int:
    row = AgendaPoint(
        employee_id=employee_pk,
        text=text,
        added_by=added_by.value,
        added_by_id=added_by_pk,
        added_at=now,
    )
    session.add(row)
    await session.flush()
    return row.id


async def mark_discussed(
    session: AsyncSession,
    employee_pk: int,
    point_ids: Collection[int],
    *,
    on: date,
    one_to_one_pk: int | None,
) -> None:
    if not point_ids:
        return
    await session.execute(
        update(AgendaPoint)
        .where(
            AgendaPoint.employee_id == employee_pk,
            AgendaPoint.id.in_(sorted(point_ids)),
            AgendaPoint.discussed_on.is_(None),
        )
        .values(discussed_on=on, one_to_one_id=one_to_one_pk)
    )


async def last_held(session: AsyncSession, employee_pk: int) -> date | None:
    found: date | None = await session.scalar(
        select(func.max(OneToOne.held_on)).where(OneToOne.employee_id == employee_pk)
    )
    return found


async def prep_note(session: AsyncSession, employee_pk: int, manager_pk: int) -> str:
    found = await session.scalar(
        select(AgendaPrepNote.note).where(
            AgendaPrepNote.employee_id == employee_pk, AgendaPrepNote.manager_id == manager_pk
        )
    )
    return found or ""


async def set_prep_note(
    session: AsyncSession, employee_pk: int, manager_pk: int, note: str, now: datetime
) -> None:
    row = await session.scalar(
        select(AgendaPrepNote).where(
            AgendaPrepNote.employee_id == employee_pk, AgendaPrepNote.manager_id == manager_pk
        )
    )
    if row is None:
        session.add(
            AgendaPrepNote(
                employee_id=employee_pk, manager_id=manager_pk, note=note, updated_at=now
            )
        )
    else:
        row.note, row.updated_at = note, now
    await session.flush()


async def next_planned(
    session: AsyncSession, employee_pk: int, tz: tzinfo | None = None
) -> rules.PlannedOneToOne | None:
    row = await session.scalar(
        select(PlannedOneToOne)
        .where(
            PlannedOneToOne.employee_id == employee_pk,
            PlannedOneToOne.status == PlanStatus.PLANNED.value,
        )
        .order_by(PlannedOneToOne.starts_at.desc(), PlannedOneToOne.id.desc())
        .limit(1)
    )
    return _plan(row, tz) if row is not None else None


async def get_plan(
    session: AsyncSession, plan_id: int, tz: tzinfo | None = None
) -> rules.PlannedOneToOne | None:
    row = await session.get(PlannedOneToOne, plan_id)
    return _plan(row, tz) if row is not None else None


async def add_plan(
    session: AsyncSession,
    *,
    employee_pk: int,
    manager_pk: int,
    starts_at: datetime,
    set_by_pk: int | None,
    proposed: bool,
    now: datetime,
) -> int:
    row = PlannedOneToOne(
        employee_id=employee_pk,
        manager_id=manager_pk,
        starts_at=starts_at,
        status=PlanStatus.PLANNED.value,
        proposed=proposed,
        set_by_id=set_by_pk,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row.id


async def resolve_plan(
    session: AsyncSession,
    plan_id: int,
    status: PlanStatus,
    *,
    now: datetime,
    one_to_one_pk: int | None = None,
) -> None:
    await session.execute(
        update(PlannedOneToOne)
        .where(PlannedOneToOne.id == plan_id, PlannedOneToOne.status == PlanStatus.PLANNED.value)
        .values(status=status.value, resolved_at=now, one_to_one_id=one_to_one_pk)
    )


async def away_days(
    session: AsyncSession, employee_pk: int, start: date, end: date
) -> frozenset[date]:
    """The days from ``start`` to ``end`` on which an absence of any kind is recorded."""
    rows = await session.execute(
        select(Absence.start_date, Absence.end_date).where(
            Absence.employee_id == employee_pk,
            Absence.start_date <= end,
            or_(Absence.end_date.is_(None), Absence.end_date >= start),
        )
    )
    days: set[date] = set()
    for first, last in rows:
        day = max(first, start)
        stop = min(last or end, end)
        while day <= stop:
            days.add(day)
            day = date.fromordinal(day.toordinal() + 1)
    return frozenset(days)


@dataclass(frozen=True)
class PlanFacts:
    """A planned one-to-one with what the reminder rules need about it."""

    plan: rules.PlannedOneToOne
    employee_name: str
    manager_name: str
    away_on_day: bool
    logged_since: bool


async def plans_between(
    session: AsyncSession, start: date, end: date, tz: tzinfo
) -> list[PlanFacts]:
    """Every one-to-one still planned for a day from ``start`` to ``end`` (local days in
    ``tz``), with the names and facts the reminders need."""
    report, manager = aliased(Employee), aliased(Employee)
    rows = (
        await session.execute(
            select(PlannedOneToOne, report.name, manager.name)
            .join(report, report.id == PlannedOneToOne.employee_id)
            .join(manager, manager.id == PlannedOneToOne.manager_id)
            .where(
                PlannedOneToOne.status == PlanStatus.PLANNED.value,
                PlannedOneToOne.starts_at >= _midnight(start - timedelta(days=1)),
                PlannedOneToOne.starts_at < _midnight(end + timedelta(days=2)),
            )
            .order_by(PlannedOneToOne.starts_at, PlannedOneToOne.id)
        )
    ).all()
    found = []
    for row, employee_name, manager_name in rows:
        plan = _plan(row, tz)
        if not start <= plan.day <= end:
            continue
        away = bool(await away_days(session, plan.employee_id, plan.day, plan.day))
        held = await last_held(session, plan.employee_id)
        found.append(
            PlanFacts(
                plan, employee_name, manager_name, away, held is not None and held >= plan.day
            )
        )
    return found


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


async def any_points(session: AsyncSession) -> bool:
    """Whether any agenda point exists at all (the demo adds its agendas only to an empty one)."""
    return bool(await session.scalar(select(func.count(AgendaPoint.id))))
