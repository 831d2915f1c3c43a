"""Delegations: an acting manager for a line manager's team for a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Delegation, Employee


@dataclass(frozen=True)
class DelegationView:
    id: int
    manager_id: int
    manager_name: str
    manager_email: str
    delegate_id: int
    delegate_name: str
    delegate_email: str
    starts_on: date
    ends_on: date
    created_by_id: int | None
    created_via: str
    created_at: datetime
    revoked_at: datetime | None
    confirmed_at: datetime | None  # None: waiting for an HR admin, grants nothing yet

    @property
    def awaiting_confirmation(self) -> bool:
        return self.confirmed_at is None

    def covers(self, day: date) -> bool:
        """In force on ``day``: confirmed, started, not past its (inclusive) end, not revoked."""
        return (
            self.revoked_at is None
            and self.confirmed_at is not None
            and self.starts_on <= day <= self.ends_on
        )


def _select():  # type: ignore[no-untyped-def]
    manager = aliased(Employee, name="manager")
    delegate = aliased(Employee, name="delegate")
    return (
        select(
            Delegation.id,
            Delegation.manager_id,
            manager.name,
            manager.email,
            Delegation.delegate_id,
            delegate.name,
            delegate.email,
            Delegation.starts_on,
            Delegation.ends_on,
            Delegation.created_by_id,
            Delegation.created_via,
            Delegation.created_at,
            Delegation.revoked_at,
            Delegation.confirmed_at,
        )
        .join(manager, manager.id == Delegation.manager_id)
        .join(delegate, delegate.id == Delegation.delegate_id)
        .order_by(Delegation.starts_on, Delegation.id)
    )


async def add_delegation(
    session: AsyncSession,
    *,
    manager_pk: int,
    delegate_pk: int,
    starts_on: date,
    ends_on: date,
    created_by_pk: int | None,
    created_via: str,
    now: datetime,
    confirmed: bool,
) -> int:
    row = Delegation(
        manager_id=manager_pk,
        delegate_id=delegate_pk,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_id=created_by_pk,
        created_via=created_via,
        created_at=now,
        confirmed_at=now if confirmed else None,
        confirmed_by_id=created_by_pk if confirmed else None,
    )
    session.add(row)
    await session.flush()
    return row.id


async def get_delegation(session: AsyncSession, delegation_pk: int) -> DelegationView | None:
    row = (await session.execute(_select().where(Delegation.id == delegation_pk))).first()
    return DelegationView(*row) if row is not None else None


async def revoke(
    session: AsyncSession, delegation_pk: int, *, by_pk: int | None, now: datetime
) -> None:
    await session.execute(
        update(Delegation)
        .where(Delegation.id == delegation_pk, Delegation.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=by_pk)
    )


async def confirm(
    session: AsyncSession, delegation_pk: int, *, by_pk: int | None, now: datetime
) -> None:
    await session.execute(
        update(Delegation)
        .where(Delegation.id == delegation_pk, Delegation.confirmed_at.is_(None))
        .values(confirmed_at=now, confirmed_by_id=by_pk)
    )


def _in_force(today: date):  # type: ignore[no-untyped-def]
    """Conditions for a delegation that grants authority today."""
    return (
        Delegation.revoked_at.is_(None),
        Delegation.confirmed_at.is_not(None),
        Delegation.starts_on <= today,
        Delegation.ends_on >= today,
    )


async def line_managers(session: AsyncSession) -> dict[int, int | None]:
    """{employee: their line manager} for the whole organisation chart (one query of ids)."""
    rows = await session.execute(select(Employee.id, Employee.manager_id))
    return {employee: manager for employee, manager in rows}


async def managers_above(session: AsyncSession, person_pk: int, *, limit: int = 50) -> set[int]:
    """Everyone above this person in the chart (their manager, theirs, ...), one row a step;
    ``limit`` steps at most, so a loop in bad chart data ends."""
    found: set[int] = set()
    current = await session.scalar(select(Employee.manager_id).where(Employee.id == person_pk))
    while current is not None and current not in found and len(found) < limit:
        found.add(current)
        current = await session.scalar(select(Employee.manager_id).where(Employee.id == current))
    return found


async def current_and_upcoming(
    session: AsyncSession,
    today: date,
    *,
    manager_pk: int | None = None,
    delegate_pk: int | None = None,
) -> list[DelegationView]:
    """Delegations not revoked and not yet over, optionally for one team or one delegate."""
    stmt = _select().where(Delegation.revoked_at.is_(None), Delegation.ends_on >= today)
    if manager_pk is not None:
        stmt = stmt.where(Delegation.manager_id == manager_pk)
    if delegate_pk is not None:
        stmt = stmt.where(Delegation.delegate_id == delegate_pk)
    return [DelegationView(*row) for row in await session.execute(stmt)]


async def overlapping(
    session: AsyncSession, manager_pk: int, starts_on: date, ends_on: date
) -> list[DelegationView]:
    """Live delegations of this team whose period shares a day with the one given."""
    stmt = _select().where(
        Delegation.manager_id == manager_pk,
        Delegation.revoked_at.is_(None),
        Delegation.starts_on <= ends_on,
        Delegation.ends_on >= starts_on,
    )
    return [DelegationView(*row) for row in await session.execute(stmt)]


async def teams_acted_for(session: AsyncSession, delegate_pk: int, today: date) -> list[int]:
    """The line managers whose teams this person is acting manager for today."""
    rows = await session.scalars(
        select(Delegation.manager_id).where(
            Delegation.delegate_id == delegate_pk, *_in_force(today)
        )
    )
    return list(dict.fromkeys(rows))


async def is_delegate_for(
    session: AsyncSession, delegate_pk: int, manager_pk: int, today: date
) -> bool:
    found = await session.scalar(
        select(Delegation.id)
        .where(
            Delegation.delegate_id == delegate_pk,
            Delegation.manager_id == manager_pk,
            *_in_force(today),
        )
        .limit(1)
    )
    return found is not None


async def acting_manager_of(session: AsyncSession, manager_pk: int, today: date) -> int | None:
    """The acting manager for this line manager's team today, if a delegation is in force."""
    found = await session.scalar(
        select(Delegation.delegate_id)
        .where(Delegation.manager_id == manager_pk, *_in_force(today))
        .order_by(Delegation.starts_on, Delegation.id)
        .limit(1)
    )
    return int(found) if found is not None else None


async def acting_managers(session: AsyncSession, today: date) -> dict[int, int]:
    """{line manager: acting manager} for every delegation in force today (one query)."""
    rows = await session.execute(
        select(Delegation.manager_id, Delegation.delegate_id)
        .where(*_in_force(today))
        .order_by(Delegation.starts_on, Delegation.id)
    )
    return {manager: delegate for manager, delegate in rows}
