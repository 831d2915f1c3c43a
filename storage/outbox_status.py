"""What HR's outbox report reads: the digests by state, the ones that could not be delivered,
and who can be reached (a stored conversation reference) or escalated to (a current manager)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.records import ProblemDigest
from storage.models import (
    ConversationReferenceRecord,
    Employee,
    NudgeDigest,
)


async def status_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(NudgeDigest.status, func.count()).group_by(NudgeDigest.status)
    )
    return {status: n for status, n in rows}


async def problem_digests(session: AsyncSession, statuses: Sequence[str]) -> list[ProblemDigest]:
    """The digests in these states (newest run first), as records."""
    digests = await session.scalars(
        select(NudgeDigest)
        .where(NudgeDigest.status.in_(statuses))
        .order_by(NudgeDigest.run_date.desc(), NudgeDigest.id)
    )
    return [
        ProblemDigest(d.recipient_id, d.status, d.run_date, d.last_error) for d in digests.all()
    ]


async def reachable_employee_ids(session: AsyncSession) -> set[int]:
    """Everyone with a stored conversation reference (the bot can message them)."""
    rows = await session.scalars(select(ConversationReferenceRecord.employee_id))
    return {pk for pk in rows.all() if pk is not None}


async def current_managers(session: AsyncSession) -> list[tuple[int, str, str | None]]:
    """(id, email, aadObjectId) of everyone in post who manages someone."""
    rows = await session.execute(
        select(Employee.id, Employee.email, Employee.aad_object_id).where(
            Employee.id.in_(select(Employee.manager_id)), Employee.left_on.is_(None)
        )
    )
    return [(pk, email, aad) for pk, email, aad in rows.all()]


async def emails_by_id(session: AsyncSession) -> dict[int, str]:
    rows = await session.execute(select(Employee.id, Employee.email))
    return {pk: email for pk, email in rows.all()}


async def names_by_id(session: AsyncSession) -> dict[int, str]:
    rows = await session.execute(select(Employee.id, Employee.name))
    return {pk: name for pk, name in rows.all()}
