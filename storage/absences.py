"""Reading and writing absences and return-to-work records (special category data).

Permission checks live in ``services.absence``; nothing here decides who may see what.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.records import AbsenceView, RtwView
from storage.models import Absence, ReturnToWork


def _absence(row: Absence) -> AbsenceView:
    return AbsenceView(
        id=row.id,
        employee_id=row.employee_id,
        start_date=row.start_date,
        end_date=row.end_date,
        absence_type=row.absence_type,
        reason_category=row.reason_category,
        working_days_lost=row.working_days_lost,
        disability_related=row.disability_related,
        expected_return=row.expected_return,
        last_contact_on=row.last_contact_on,
        source=row.source,
    )


def _rtw(row: ReturnToWork) -> RtwView:
    return RtwView(
        id=row.id,
        absence_id=row.absence_id,
        employee_id=row.employee_id,
        manager_id=row.manager_id,
        held_on=row.held_on,
        reason_category=row.reason_category,
        notes=row.notes,
        reported_correctly=row.reported_correctly,
        fit_note_received=row.fit_note_received,
        work_related=row.work_related,
        accident_at_work=row.accident_at_work,
        underlying_condition=row.underlying_condition,
        adjustments_needed=row.adjustments_needed,
        support_offered=tuple(s for s in row.support_offered.split(";") if s),
        outcome=row.outcome,
        employee_comments=row.employee_comments,
        trigger_summary=row.trigger_summary,
        trigger_reached=row.trigger_reached,
        acknowledged_at=row.acknowledged_at,
        employee_comment=row.employee_comment,
    )


async def absences_for(session: AsyncSession, employee_pk: int) -> list[AbsenceView]:
    rows = (
        await session.scalars(
            select(Absence).where(Absence.employee_id == employee_pk).order_by(Absence.start_date)
        )
    ).all()
    return [_absence(r) for r in rows]


async def get_absence(session: AsyncSession, absence_id: int) -> AbsenceView | None:
    row = await session.get(Absence, absence_id)
    return _absence(row) if row else None


async def add_absence(
    session: AsyncSession,
    *,
    employee_pk: int,
    start_date: date,
    end_date: date | None,
    absence_type: str,
    reason_category: str | None,
    working_days_lost: int | None,
    working_days_given: bool,
    disability_related: bool,
    expected_return: date | None,
    source: str,
    recorded_by_pk: int | None,
    now: datetime,
) -> int:
    absence = Absence(
        employee_id=employee_pk,
        start_date=start_date,
        end_date=end_date,
        absence_type=absence_type,
        reason_category=reason_category,
        working_days_lost=working_days_lost,
        working_days_given=working_days_given,
        disability_related=disability_related,
        expected_return=expected_return,
        source=source,
        recorded_by_id=recorded_by_pk,
        created_at=now,
        updated_at=now,
    )
    session.add(absence)
    await session.flush()
    return absence.id


async def end_absence(
    session: AsyncSession, absence_id: int, *, end_date: date, working_days_lost: int, now: datetime
) -> None:
    row = await session.get(Absence, absence_id, with_for_update=True)
    if row is None:
        raise LookupError(absence_id)
    row.end_date = end_date
    if not row.working_days_given:
        row.working_days_lost = working_days_lost
    row.updated_at = now


async def record_contact(session: AsyncSession, absence_id: int, on: date, now: datetime) -> None:
    row = await session.get(Absence, absence_id, with_for_update=True)
    if row is None:
        raise LookupError(absence_id)
    row.last_contact_on = on
    row.updated_at = now


async def rtws_for(session: AsyncSession, employee_pk: int) -> list[RtwView]:
    rows = (
        await session.scalars(
            select(ReturnToWork)
            .where(ReturnToWork.employee_id == employee_pk)
            .order_by(ReturnToWork.held_on)
        )
    ).all()
    return [_rtw(r) for r in rows]


async def rtw_for_absence(session: AsyncSession, absence_id: int) -> RtwView | None:
    row = await session.scalar(select(ReturnToWork).where(ReturnToWork.absence_id == absence_id))
    return _rtw(row) if row else None


async def get_rtw(session: AsyncSession, rtw_id: int) -> RtwView | None:
    row = await session.get(ReturnToWork, rtw_id)
    return _rtw(row) if row else None


async def add_rtw(
    session: AsyncSession,
    *,
    absence_id: int,
    employee_pk: int,
    manager_pk: int | None,
    held_on: date,
    reason_category: str | None,
    notes: str,
    reported_correctly: bool,
    fit_note_received: bool | None,
    work_related: bool,
    accident_at_work: bool,
    underlying_condition: bool,
    adjustments_needed: bool,
    support_offered: Sequence[str],
    outcome: str,
    employee_comments: str,
    trigger_summary: str,
    trigger_reached: bool,
    now: datetime,
) -> int:
    rtw = ReturnToWork(
        absence_id=absence_id,
        employee_id=employee_pk,
        manager_id=manager_pk,
        held_on=held_on,
        reason_category=reason_category,
        notes=notes,
        reported_correctly=reported_correctly,
        fit_note_received=fit_note_received,
        work_related=work_related,
        accident_at_work=accident_at_work,
        underlying_condition=underlying_condition,
        adjustments_needed=adjustments_needed,
        support_offered=";".join(support_offered),
        outcome=outcome,
        employee_comments=employee_comments,
        trigger_summary=trigger_summary,
        trigger_reached=trigger_reached,
        created_at=now,
    )
    session.add(rtw)
    # The reason the manager confirmed is the reason on the absence record too.
    absence = await session.get(Absence, absence_id, with_for_update=True)
    if absence is not None and reason_category:
        absence.reason_category = reason_category
        absence.updated_at = now
    await session.flush()
    return rtw.id


async def record_rtw_response(
    session: AsyncSession, rtw_id: int, *, comment: str | None, now: datetime
) -> None:
    row = await session.get(ReturnToWork, rtw_id, with_for_update=True)
    if row is None:
        raise LookupError(rtw_id)
    if row.acknowledged_at is None:
        row.acknowledged_at = now
    if comment is not None:
        row.employee_comment = comment
