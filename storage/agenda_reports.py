"""The planned one-to-ones HR's figures count: those settled (held, moved or missed) whose
planned time fell in a period, with the person's department."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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
