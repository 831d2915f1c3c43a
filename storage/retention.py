"""Applying retention: find what is due per record type and delete (or anonymise) it in
batches, each batch in its own transaction with its audit events.

Which rows are due is decided by the cut-offs of :mod:`domain.retention`; this module only
knows, per record type, which table holds it, which date its period runs from, and whom it
is about. Running it twice is harmless: the second run finds nothing more to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, delete, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database
from storage.erasure import anonymise_employee
from storage.models import (
    Absence,
    AgendaPoint,
    AgendaPrepNote,
    Apr,
    AprPreparation,
    AuditEvent,
    Delegation,
    Employee,
    Feedback,
    NudgeDigest,
    NudgeSnooze,
    Objective,
    OneToOne,
    PlannedOneToOne,
    ProcessedActivity,
    QuestionAsked,
    ReturnToWork,
    StateItem,
)

BATCH_SIZE = 500

# note(session, kind, action, [(record id or key, subject id)]): the caller's audit events.
Note = Callable[[AsyncSession, str, str, list[tuple[int | str, int | None]]], None]

# A query selecting columns of any shape.
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class Target:
    """One table holding a record type, and how to find its due rows."""

    kind: str
    model: Any
    # (cut-off day, cut-off instant) -> SELECT id, subject id ... of the due rows
    due: Callable[[date, datetime], AnySelect]
    anonymise: bool = False
    # The row's key, when it is not an integer ``id`` (state items are keyed by name).
    key_column: Any = None

    @property
    def key(self) -> Any:
        return self.model.id if self.key_column is None else self.key_column


def _of_leavers(model: Any) -> Callable[[date, datetime], AnySelect]:
    def due(day: date, _at: datetime) -> AnySelect:
        return (
            select(model.id, model.employee_id)
            .join(Employee, Employee.id == model.employee_id)
            .where(Employee.left_on.is_not(None), Employee.left_on < day)
        )

    return due


# Return-to-work records come before absences: deleting an absence takes its RTW with it,
# so counting them first keeps a dry run's counts equal to the real run's.
TARGETS: tuple[Target, ...] = (
    # The agenda first: its rows point at the one-to-ones they were settled with.
    Target("agenda", AgendaPoint, _of_leavers(AgendaPoint)),
    Target("agenda", AgendaPrepNote, _of_leavers(AgendaPrepNote)),
    Target("agenda", PlannedOneToOne, _of_leavers(PlannedOneToOne)),
    Target("one_to_one", OneToOne, _of_leavers(OneToOne)),
    Target(
        "return_to_work",
        ReturnToWork,
        lambda day, _at: select(ReturnToWork.id, ReturnToWork.employee_id).where(
            ReturnToWork.held_on < day
        ),
    ),
    Target(
        "absence",
        Absence,
        lambda day, _at: select(Absence.id, Absence.employee_id).where(
            Absence.end_date.is_not(None), Absence.end_date < day
        ),
    ),
    Target("objective", Objective, _of_leavers(Objective)),
    Target("apr", Apr, _of_leavers(Apr)),
    Target("apr", AprPreparation, _of_leavers(AprPreparation)),
    Target(
        "question",
        QuestionAsked,
        lambda _day, at: select(QuestionAsked.id, QuestionAsked.employee_id).where(
            QuestionAsked.asked_at < at
        ),
    ),
    Target(
        "feedback",
        Feedback,
        lambda _day, at: select(Feedback.id, Feedback.employee_id).where(Feedback.created_at < at),
    ),
    Target(
        "nudge",
        NudgeDigest,
        lambda day, _at: select(NudgeDigest.id, NudgeDigest.recipient_id).where(
            NudgeDigest.run_date < day
        ),
    ),
    Target(
        "nudge",
        NudgeSnooze,
        lambda _day, at: select(NudgeSnooze.id, NudgeSnooze.recipient_id).where(
            NudgeSnooze.created_at < at
        ),
    ),
    Target(
        "delegation",
        Delegation,
        lambda day, _at: select(Delegation.id, Delegation.manager_id).where(
            Delegation.ends_on < day
        ),
    ),
    Target(
        "processed_activity",
        ProcessedActivity,
        lambda _day, at: select(ProcessedActivity.id, literal(None)).where(
            ProcessedActivity.received_at < at
        ),
    ),
    Target(
        "state",
        StateItem,
        lambda _day, at: select(StateItem.key, literal(None)).where(StateItem.updated_at < at),
        key_column=StateItem.key,
    ),
    Target(
        "audit",
        AuditEvent,
        lambda _day, at: select(AuditEvent.id, literal(None)).where(AuditEvent.at < at),
    ),
    Target(
        "employee",
        Employee,
        lambda day, _at: select(Employee.id, Employee.id).where(
            Employee.left_on.is_not(None), Employee.left_on < day, Employee.erased_at.is_(None)
        ),
        anonymise=True,
    ),
)


async def count_due(session: AsyncSession, target: Target, day: date, at: datetime) -> int:
    subquery = target.due(day, at).subquery()
    return int(await session.scalar(select(func.count()).select_from(subquery)) or 0)


async def apply_target(
    database: Database,
    target: Target,
    day: date,
    at: datetime,
    *,
    now: datetime,
    note: Note,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Delete (or anonymise) the due rows of one table, a batch per transaction."""
    done = 0
    while True:
        async with database.transaction() as session:
            rows = [
                (pk if isinstance(pk, str) else int(pk), None if subject is None else int(subject))
                for pk, subject in (
                    await session.execute(
                        target.due(day, at).order_by(target.key).limit(batch_size)
                    )
                ).all()
            ]
            if not rows:
                return done
            ids = [pk for pk, _ in rows]
            if target.anonymise:
                for pk in ids:
                    await anonymise_employee(session, int(pk), now)
            else:
                await session.execute(delete(target.model).where(target.key.in_(ids)))
            note(session, target.kind, "anonymise" if target.anonymise else "delete", rows)
        done += len(rows)
        if len(rows) < batch_size:
            return done


# Any constant will do: it names the retention run among PostgreSQL's advisory locks.
RUN_LOCK_KEY = 0x43484152_5445  # "CHARTE"


async def take_run_lock(session: AsyncSession) -> None:
    """Serialise claims of the nightly run until the transaction ends. PostgreSQL takes an
    advisory lock; SQLite's write transaction (BEGIN IMMEDIATE) already serialises them."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(RUN_LOCK_KEY)))
