"""Erasing a person: what `charter erase` and retention change, table by table.

Each function works inside the caller's transaction and returns how many rows it touched,
so the erasure (or retention run) and its audit event commit together or not at all. The
rules (what goes, what is kept and why) are described in README, "Subject access and
erasure".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Absence,
    AgendaPoint,
    AgendaPrepNote,
    Apr,
    AprPreparation,
    CadenceOverride,
    ConversationReferenceRecord,
    Employee,
    Feedback,
    Notice,
    Nudge,
    NudgeDigest,
    NudgeSnooze,
    Objective,
    OneToOne,
    PlannedOneToOne,
    QuestionAsked,
    ReturnToWork,
)
from storage.state_store import delete_state_of

ERASED_NAME = "Erased person"
ERASED_DOMAIN = "erased.invalid"


def placeholder_email(employee_pk: int) -> str:
    return f"erased-{employee_pk}@{ERASED_DOMAIN}"


@dataclass(frozen=True)
class ErasureCounts:
    """Rows touched per record type, in the order a person reads them."""

    counts: dict[str, int]

    def total(self) -> int:
        return sum(self.counts.values())


async def _count(session: AsyncSession, statement) -> int:  # type: ignore[no-untyped-def]
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def anonymise_employee(session: AsyncSession, employee_pk: int, now: datetime) -> int:
    """Replace the name, email and Teams id with placeholders; drop how to reach them.

    The row stays (with the HR employee id, dates and department) so records kept for legal
    reasons still have an owner and counts still add up.
    """
    changed = await _count(
        session,
        update(Employee)
        .where(Employee.id == employee_pk, Employee.erased_at.is_(None))
        .values(
            name=f"{ERASED_NAME} {employee_pk}",
            email=placeholder_email(employee_pk),
            aad_object_id=None,
            job_title="",
            roles="",
            working_pattern="",
            erased_at=now,
        ),
    )
    if not changed:
        return 0
    # Conversation state too: a half-typed dialog can hold what they wrote (health details
    # in feedback, say). The references name the keys, so they go after it.
    await delete_state_of(session, employee_pk)
    await session.execute(
        delete(ConversationReferenceRecord).where(
            ConversationReferenceRecord.employee_id == employee_pk
        )
    )
    return 1


async def erase_person(session: AsyncSession, employee_pk: int, now: datetime) -> ErasureCounts:
    """Everything `charter erase` does to one person's records, in one transaction."""
    counts: dict[str, int] = {}
    await _erase_agenda(session, employee_pk, counts)
    await _erase_performance_records(session, employee_pk, counts)
    await _erase_absence_notes(session, employee_pk, counts)
    await _erase_reminders(session, employee_pk, counts)
    counts["question (deleted)"] = await _count(
        session, delete(QuestionAsked).where(QuestionAsked.employee_id == employee_pk)
    )
    counts["feedback (deleted)"] = await _count(
        session, delete(Feedback).where(Feedback.employee_id == employee_pk)
    )
    counts["conversation state (deleted: conversations in progress)"] = await delete_state_of(
        session, employee_pk
    )
    counts["employee (name, email and Teams id replaced)"] = await anonymise_employee(
        session, employee_pk, now
    )
    return ErasureCounts(counts)


async def _erase_agenda(session: AsyncSession, employee_pk: int, counts: dict[str, int]) -> None:
    """Their agenda, planned one-to-ones and the prep notes about them go; so do the prep
    notes they kept as a manager (private to them: nobody else could ever read them).
    Points they added to a report's agenda stay on it (the report's), under the placeholder
    name. Deleted explicitly: the employee row stays, so its cascades never fire."""
    counts["agenda_point (deleted: talking points for their one-to-ones)"] = await _count(
        session, delete(AgendaPoint).where(AgendaPoint.employee_id == employee_pk)
    )
    counts["agenda_prep_note (deleted: about them, or kept by them)"] = await _count(
        session,
        delete(AgendaPrepNote).where(
            or_(AgendaPrepNote.employee_id == employee_pk, AgendaPrepNote.manager_id == employee_pk)
        ),
    )
    counts["planned_one_to_one (deleted)"] = await _count(
        session, delete(PlannedOneToOne).where(PlannedOneToOne.employee_id == employee_pk)
    )


async def _erase_performance_records(
    session: AsyncSession, employee_pk: int, counts: dict[str, int]
) -> None:
    """One-to-ones, objectives and APR preparation go; APRs stay without their comments."""
    counts["one_to_one (deleted, with actions and private notes)"] = await _count(
        session, delete(OneToOne).where(OneToOne.employee_id == employee_pk)
    )
    counts["objective (deleted, with updates)"] = await _count(
        session, delete(Objective).where(Objective.employee_id == employee_pk)
    )
    counts["apr_preparation (deleted)"] = await _count(
        session, delete(AprPreparation).where(AprPreparation.employee_id == employee_pk)
    )
    counts["apr (kept; comments removed)"] = await _count(
        session,
        update(Apr)
        .where(Apr.employee_id == employee_pk)
        .values(
            overall_comments="",
            development_needs="",
            learning_needs="",
            employee_comment=None,
        ),
    )


async def _erase_absence_notes(
    session: AsyncSession, employee_pk: int, counts: dict[str, int]
) -> None:
    """Absences stay for the retention period; return-to-work records lose their free text."""
    counts["absence (kept for the retention period)"] = int(
        await session.scalar(
            select(func.count()).select_from(Absence).where(Absence.employee_id == employee_pk)
        )
        or 0
    )
    counts["return_to_work (kept; notes and comments removed)"] = await _count(
        session,
        update(ReturnToWork)
        .where(ReturnToWork.employee_id == employee_pk)
        .values(notes="", employee_comments="", employee_comment=None),
    )


async def _erase_reminders(session: AsyncSession, employee_pk: int, counts: dict[str, int]) -> None:
    """Reminders about or to them, their digests and snoozes, and cadence overrides."""
    counts["nudge (deleted: reminders about or to them)"] = await _count(
        session,
        delete(Nudge).where(
            or_(Nudge.subject_id == employee_pk, Nudge.recipient_id == employee_pk)
        ),
    )
    await session.execute(delete(NudgeDigest).where(NudgeDigest.recipient_id == employee_pk))
    await session.execute(delete(Notice).where(Notice.recipient_id == employee_pk))
    await session.execute(delete(NudgeSnooze).where(NudgeSnooze.recipient_id == employee_pk))
    await session.execute(
        delete(CadenceOverride).where(
            or_(
                CadenceOverride.employee_id == employee_pk,
                CadenceOverride.team_manager_id == employee_pk,
            )
        )
    )
