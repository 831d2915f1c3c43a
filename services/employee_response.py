"""The employee's answer to a record their manager kept about them (a one-to-one, a return to
work conversation, an APR): acknowledge it, or comment on it. One use case for the three kinds:
the record must be the employee's own, the comment is checked, the answer and its audit line
commit together, and the manager to tell is whoever manages the employee today.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from domain import form_values as form
from domain.clock import Clock
from domain.people import Person
from services import authority
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from storage.database import Database


class Answerable(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def employee_id(self) -> int: ...


R = TypeVar("R", bound=Answerable)


@dataclass(frozen=True)
class ResponseKind(Generic[R]):
    """How one kind of record is read and answered, and what its "no"s are."""

    record_type: RecordType
    read: Callable[[AsyncSession, int], Awaitable[R | None]]
    # (session, record id, employee, comment or None, now)
    store: Callable[[AsyncSession, int, Person, str | None, datetime], Awaitable[None]]
    not_yours: Callable[[], Exception]
    invalid: Callable[[str], Exception]
    max_comment: int


async def respond(
    database: Database,
    trail: AuditTrail,
    clock: Clock,
    kind: ResponseKind[R],
    employee: Person,
    record_ref: object,
    comment: str | None,
) -> tuple[R, int | None]:
    """Acknowledge (``comment`` None) or comment on the employee's own record.

    Returns the record as it now stands and the manager to tell (None: nobody manages them).
    A record id that isn't the employee's, or a bad comment, changes nothing.
    """
    wanted = form.record_id(record_ref)
    if wanted is None:
        raise kind.not_yours()
    comment, problem = form.comment_problem(comment, kind.max_comment)
    if problem:
        raise kind.invalid(problem)
    async with database.transaction() as session:
        record = await kind.read(session, wanted)
        if record is None or record.employee_id != employee.id:
            raise kind.not_yours()
        await kind.store(session, record.id, employee, comment, clock.now())
        trail.note(
            session,
            employee,
            AuditEvent(
                AuditAction.UPDATE,
                kind.record_type,
                employee.id,
                record.id,
                "commented" if comment else "acknowledged",
            ),
        )
        updated = await kind.read(session, record.id)
        # Whoever manages them now (after a reorganisation, not the record's manager).
        tell = await authority.current_manager_pk(session, employee, clock.today())
    assert updated is not None
    return updated, tell
