"""The planned one-to-ones HR's figures count: those settled (held, moved or missed) whose
planned time fell in a period, with the person's department; and every settled plan for the
bulk one-to-one export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.agenda import PlanStatus
from domain.meeting_slips import SettledPlan
from storage.models import Employee, PlannedOneToOne


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


async def settled_plans(session: AsyncSession, start: date, end: date) -> list[SettledPlan]:
    """Plans settled with a planned time from ``start`` to ``end`` (whole days, UTC)."""
    rows = await session.execute(
        select(PlannedOneToOne.employee_id, Employee.department, PlannedOneToOne.status)
        .join(Employee, Employee.id == PlannedOneToOne.employee_id)
        .where(
            PlannedOneToOne.status != PlanStatus.PLANNED.value,
            PlannedOneToOne.starts_at >= _midnight(start),
            PlannedOneToOne.starts_at < _midnight(end + timedelta(days=1)),
        )
        .order_by(PlannedOneToOne.id)
    )
    return [
        SettledPlan(employee_pk, department or "(no department)", PlanStatus(status))
        for employee_pk, department, status in rows
    ]


@dataclass(frozen=True)
class SettledPlanRow:
    """A settled plan as the bulk export shows it (``one_to_one_id`` when a one-to-one logged
    for it settled it)."""

    employee_id: str
    employee_email: str
    manager_email: str
    starts_at: datetime
    status: PlanStatus
    one_to_one_id: int | None


async def settled_plans_for_export(session: AsyncSession) -> list[SettledPlanRow]:
    """Every settled plan (held, moved or missed), by planned time."""
    employee, manager = aliased(Employee), aliased(Employee)
    rows = await session.execute(
        select(
            employee.employee_id,
            employee.email,
            manager.email,
            PlannedOneToOne.starts_at,
            PlannedOneToOne.status,
            PlannedOneToOne.one_to_one_id,
        )
        .join(employee, employee.id == PlannedOneToOne.employee_id)
        .outerjoin(manager, manager.id == PlannedOneToOne.manager_id)
        .where(PlannedOneToOne.status != PlanStatus.PLANNED.value)
        .order_by(PlannedOneToOne.starts_at, PlannedOneToOne.id)
    )
    return [
        SettledPlanRow(code, email, manager_email or "", starts_at, PlanStatus(status), pk)
        for code, email, manager_email, starts_at, status, pk in rows
    ]
