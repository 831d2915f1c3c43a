"""Keeping a double-clicked card from recording the same thing twice.

Teams delivers a double click as two activities with different ids, so the activity log
cannot tell them apart, and the two turns run at the same moment. Records with a natural key
(one return to work per absence, one absence per person and start date) have a unique
constraint: :func:`unique_violation_as` turns the losing insert into the service's polite
refusal. A one-to-one has no natural key, so :func:`lock_employee` serialises writes about
one person and :func:`recent_one_to_one` finds the twin the other turn has just written.
Other forms without a natural key (an APR, an objective, a progress update) carry a
form-instance token (``domain.form_tokens``): :func:`claim_form` takes the same lock, finds a
token already saved, and the token's unique key is the backstop for
:func:`unique_violation_as`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Employee, FormSubmission, OneToOne


def is_unique_violation(error: IntegrityError) -> bool:
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return state == "23505" or "unique" in str(original).lower()


@asynccontextmanager
async def unique_violation_as(refusal: Callable[[], Exception]) -> AsyncIterator[None]:
    """Wrap a write transaction: a unique-constraint violation raises ``refusal()`` instead."""
    try:
        yield
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        raise refusal() from error


async def lock_employee(session: AsyncSession, employee_pk: int) -> None:
    """Hold the employee's row until the transaction ends (PostgreSQL; SQLite's write
    transactions already take the database's write lock when they begin)."""
    await session.execute(select(Employee.id).where(Employee.id == employee_pk).with_for_update())


async def claim_form(
    session: AsyncSession, token: str, *, kind: str, employee_pk: int, now: datetime
) -> bool:
    """Record that the form instance ``token`` is being saved, in the caller's transaction;
    False if it already was. Concurrent presses queue on the employee's row, then see the
    first one's token; were they ever to miss it, the token's primary key refuses the insert."""
    await lock_employee(session, employee_pk)
    seen = await session.scalar(select(FormSubmission.token).where(FormSubmission.token == token))
    if seen is not None:
        return False
    session.add(FormSubmission(token=token, kind=kind, employee_id=employee_pk, saved_at=now))
    await session.flush()
    return True


async def recent_one_to_one(
    session: AsyncSession,
    *,
    employee_pk: int,
    manager_pk: int,
    held_on: date,
    shared_notes: str,
    since: datetime,
) -> int | None:
    """The id of the same one-to-one logged since ``since``, if there is one."""
    found = await session.scalar(
        select(OneToOne.id)
        .where(
            OneToOne.employee_id == employee_pk,
            OneToOne.manager_id == manager_pk,
            OneToOne.held_on == held_on,
            OneToOne.shared_notes == shared_notes,
            OneToOne.logged_at >= since,
        )
        .limit(1)
    )
    return int(found) if found is not None else None
