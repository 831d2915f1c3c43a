"""HR's bulk reads of absence data, the absence import's writes, and working patterns.

Set-based: each read is one SELECT over every absence (or every return-to-work record), so an
export or an import check costs a handful of queries whatever the size of the council. Free
text written about someone's health (return-to-work notes and comments, the trigger summary)
is never selected here: what a query does not read, an export cannot leak.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.people import normalise_email

# The records HR's bulk reads return (kept importable from here).
from domain.records import RtwHeld as RtwHeld
from domain.records import StoredAbsence as StoredAbsence
from storage.models import Absence, Employee, ReturnToWork


async def all_absences(session: AsyncSession) -> list[StoredAbsence]:
    """Every absence with its employee, oldest first (then by employee_id)."""
    rows = await session.execute(
        select(
            Absence.id,
            Employee.id,
            Employee.employee_id,
            Employee.email,
            Employee.working_pattern,
            Absence.start_date,
            Absence.end_date,
            Absence.absence_type,
            Absence.reason_category,
            Absence.working_days_lost,
            Absence.working_days_given,
            Absence.disability_related,
            Absence.source,
        )
        .join(Employee, Employee.id == Absence.employee_id)
        .order_by(Absence.start_date, Employee.employee_id, Absence.id)
    )
    return [_stored(row) for row in rows.all()]


def _stored(row: Sequence[Any]) -> StoredAbsence:
    (
        pk,
        employee_pk,
        ref,
        email,
        pattern,
        start,
        end,
        kind,
        reason,
        lost,
        given,
        disability,
        source,
    ) = row
    return StoredAbsence(
        id=pk,
        employee_pk=employee_pk,
        employee_id=ref,
        employee_email=email,
        working_pattern=pattern,
        start_date=start,
        end_date=end,
        absence_type=kind,
        reason_category=reason,
        working_days_lost=lost,
        working_days_given=given,
        disability_related=disability,
        source=source,
    )


async def rtws_held(session: AsyncSession) -> dict[int, RtwHeld]:
    """Every return-to-work record by absence id: dates and flags only, never notes."""
    manager = aliased(Employee)
    rows = await session.execute(
        select(
            ReturnToWork.absence_id,
            ReturnToWork.held_on,
            ReturnToWork.trigger_reached,
            manager.email,
        ).outerjoin(manager, manager.id == ReturnToWork.manager_id)
    )
    return {row[0]: RtwHeld(*row) for row in rows.all()}


async def line_manager_emails(session: AsyncSession) -> dict[int, str]:
    """Each employee's current line manager's email, by employee pk (people with one only)."""
    manager = aliased(Employee)
    rows = await session.execute(
        select(Employee.id, manager.email).join(manager, manager.id == Employee.manager_id)
    )
    return {pk: email for pk, email in rows.all()}


async def working_patterns(session: AsyncSession) -> dict[int, str]:
    """Everyone's own working pattern by employee pk (people on the default are left out)."""
    rows = await session.execute(
        select(Employee.id, Employee.working_pattern).where(Employee.working_pattern != "")
    )
    return {pk: text for pk, text in rows.all()}


async def update_absence(
    session: AsyncSession,
    absence_id: int,
    *,
    end_date: date | None,
    absence_type: str,
    reason_category: str | None,
    working_days_lost: int | None,
    working_days_given: bool,
    disability_related: bool,
    now: datetime,
) -> None:
    """Overwrite what an import row says about an absence Charter already has."""
    await session.execute(
        update(Absence)
        .where(Absence.id == absence_id)
        .values(
            end_date=end_date,
            absence_type=absence_type,
            reason_category=reason_category,
            working_days_lost=working_days_lost,
            working_days_given=working_days_given,
            disability_related=disability_related,
            updated_at=now,
        )
    )


@dataclass(frozen=True)
class PatternHolder:
    employee_id: str
    name: str
    working_pattern: str
    id: int = 0


async def set_working_pattern(
    session: AsyncSession, email: str, pattern_text: str
) -> PatternHolder | None:
    """Store someone's working pattern ("" for the default); None if nobody has that email."""
    employee = await session.scalar(
        select(Employee).where(Employee.email == normalise_email(email)).with_for_update()
    )
    if employee is None:
        return None
    employee.working_pattern = pattern_text
    await session.flush()
    return PatternHolder(employee.employee_id, employee.name, employee.working_pattern, employee.id)
