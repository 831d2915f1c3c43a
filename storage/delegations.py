"""Delegations: an acting manager for a line manager's team for a period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.delegation_rules import (
    DelegationTerms,
    Placement,
    confirmed_by_hr,
    delegate_placement,
    grants_authority,
)
from domain.delegation_rules import in_force as delegation_in_force
from domain.people import Role, parse_roles
from domain.records import DelegationView, InForce
from storage.models import Delegation, Employee

# A row of any shape, as the queries here select them.
AnyRow = Row[*tuple[Any, ...]]


def _select() -> Select[*tuple[Any, ...]]:
    manager = aliased(Employee, name="manager")
    delegate = aliased(Employee, name="delegate")
    confirmer = aliased(Employee, name="confirmer")
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
            Delegation.confirmed_by_id,
            confirmer.roles,
        )
        .join(manager, manager.id == Delegation.manager_id)
        .join(delegate, delegate.id == Delegation.delegate_id)
        .outerjoin(confirmer, confirmer.id == Delegation.confirmed_by_id)
        .order_by(Delegation.starts_on, Delegation.id)
    )


async def _views(session: AsyncSession, rows: Sequence[AnyRow]) -> list[DelegationView]:
    """Views of ``_select`` rows, each confirmed one checked against today's chart."""
    confirmed = [row for row in rows if row.confirmed_at is not None]
    chart = await chart_above(session, {pk for r in confirmed for pk in (r[1], r[4])})
    views = []
    for row in rows:
        *fields, confirmed_by, roles = row
        again = row.confirmed_at is not None and _needs_hr_again(
            delegate_placement(row[1], row[4], chart),
            _hr_confirmed(row.created_by_id, confirmed_by, roles),
        )
        views.append(_view(fields, to_confirm_again=again))
    return views


def _view(fields: Sequence[Any], *, to_confirm_again: bool) -> DelegationView:
    """The record of a ``_select`` row's columns (all but the confirmer's id and roles)."""
    (pk, manager, manager_name, manager_email, delegate, delegate_name, delegate_email) = fields[:7]
    starts_on, ends_on, created_by, created_via, created_at, revoked_at, confirmed_at = fields[7:]
    return DelegationView(
        id=pk,
        manager_id=manager,
        manager_name=manager_name,
        manager_email=manager_email,
        delegate_id=delegate,
        delegate_name=delegate_name,
        delegate_email=delegate_email,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_id=created_by,
        created_via=created_via,
        created_at=created_at,
        revoked_at=revoked_at,
        confirmed_at=confirmed_at,
        to_confirm_again=to_confirm_again,
    )


def _hr_confirmed(created_by: int | None, confirmed_by: int | None, roles: str | None) -> bool:
    return confirmed_by_hr(
        created_by_id=created_by,
        confirmed_by_id=confirmed_by,
        confirmer_is_hr_admin=Role.HR_ADMIN in parse_roles(roles),
    )


def _needs_hr_again(placement: Placement, hr_confirmed: bool) -> bool:
    """Out of the chain with no HR confirmation: what an HR admin can put right by
    confirming (below the team, nothing can: it is ended and set up afresh)."""
    return placement is Placement.OUTSIDE and not grants_authority(
        placement, hr_confirmed=hr_confirmed
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
    return (await _views(session, [row]))[0] if row is not None else None


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
    """An HR admin's confirmation (``by_pk`` None: at the command line), also of one that is
    waiting to be confirmed again; the service checks it may be, under the team's lock."""
    await session.execute(
        update(Delegation)
        .where(Delegation.id == delegation_pk, Delegation.revoked_at.is_(None))
        .values(confirmed_at=now, confirmed_by_id=by_pk)
    )


async def line_managers(session: AsyncSession) -> dict[int, int | None]:
    """{employee: their line manager} for the whole organisation chart (one query of ids)."""
    rows = await session.execute(select(Employee.id, Employee.manager_id))
    return {employee: manager for employee, manager in rows}


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
    return await _views(session, (await session.execute(stmt)).all())


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
    return await _views(session, (await session.execute(stmt)).all())


async def terms_on(
    session: AsyncSession,
    today: date,
    *,
    manager_pk: int | None = None,
    delegate_pk: int | None = None,
) -> list[DelegationTerms]:
    """The facts about every delegation whose period covers ``today`` (optionally for one
    team or one delegate), with where each acting manager sits in the chart *as it is today*:
    what :func:`domain.delegation_rules.in_force` decides on. Oldest first."""
    confirmer = aliased(Employee, name="confirmer")
    stmt = (
        select(
            Delegation.id,
            Delegation.manager_id,
            Delegation.delegate_id,
            Delegation.starts_on,
            Delegation.ends_on,
            Delegation.confirmed_at,
            Delegation.revoked_at,
            Delegation.created_by_id,
            Delegation.confirmed_by_id,
            confirmer.roles,
        )
        .outerjoin(confirmer, confirmer.id == Delegation.confirmed_by_id)
        .where(Delegation.starts_on <= today, Delegation.ends_on >= today)
        .order_by(Delegation.starts_on, Delegation.id)
    )
    if manager_pk is not None:
        stmt = stmt.where(Delegation.manager_id == manager_pk)
    if delegate_pk is not None:
        stmt = stmt.where(Delegation.delegate_id == delegate_pk)
    rows = (await session.execute(stmt)).all()
    if not rows:
        return []
    chart = await chart_above(session, {pk for row in rows for pk in row[1:3]})
    return [_terms(row, chart) for row in rows]


def _terms(row: AnyRow, chart: Mapping[int, int | None]) -> DelegationTerms:
    pk, manager, delegate, starts_on, ends_on, confirmed_at, revoked_at, *confirmation = row
    return DelegationTerms(
        id=pk,
        manager_id=manager,
        delegate_id=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        confirmed=confirmed_at is not None,
        revoked=revoked_at is not None,
        placement=delegate_placement(manager, delegate, chart),
        hr_confirmed=_hr_confirmed(*confirmation),
    )


async def in_force(
    session: AsyncSession,
    today: date,
    *,
    manager_pk: int | None = None,
    delegate_pk: int | None = None,
) -> list[InForce]:
    """The delegations in force today (:func:`domain.delegation_rules.in_force`, the one
    definition every path that lets an acting manager act or be told something uses).
    Oldest first; optionally for one team or one delegate."""
    found = await terms_on(session, today, manager_pk=manager_pk, delegate_pk=delegate_pk)
    return [
        InForce(terms.id, terms.manager_id, terms.delegate_id)
        for terms in found
        if delegation_in_force(terms, today)
    ]


async def chart_above(
    session: AsyncSession, people: set[int], *, limit: int = 50
) -> dict[int, int | None]:
    """{person: line manager} for these people and everyone above them: one query a level
    of the chart rather than the whole chart; ``limit`` levels at most (bad data loops)."""
    chart: dict[int, int | None] = {}
    wanted = set(people)
    for _ in range(limit):
        wanted -= chart.keys()
        if not wanted:
            break
        rows = await session.execute(
            select(Employee.id, Employee.manager_id).where(Employee.id.in_(wanted))
        )
        found: dict[int, int | None] = {pk: manager for pk, manager in rows}
        chart.update({pk: found.get(pk) for pk in wanted})
        wanted = {manager for manager in found.values() if manager is not None}
    return chart


async def teams_acted_for(session: AsyncSession, delegate_pk: int, today: date) -> list[int]:
    """The line managers whose teams this person is acting manager for today."""
    found = await in_force(session, today, delegate_pk=delegate_pk)
    return list(dict.fromkeys(d.manager_id for d in found))


async def is_delegate_for(
    session: AsyncSession, delegate_pk: int, manager_pk: int, today: date
) -> bool:
    return bool(await in_force(session, today, manager_pk=manager_pk, delegate_pk=delegate_pk))


async def acting_manager_of(session: AsyncSession, manager_pk: int, today: date) -> int | None:
    """The acting manager for this line manager's team today, if a delegation is in force."""
    found = await in_force(session, today, manager_pk=manager_pk)
    return found[0].delegate_id if found else None


async def acting_managers(session: AsyncSession, today: date) -> dict[int, int]:
    """{line manager: acting manager} for every delegation in force today (the oldest, as
    :func:`acting_manager_of` picks)."""
    found: dict[int, int] = {}
    for delegation in await in_force(session, today):
        found.setdefault(delegation.manager_id, delegation.delegate_id)
    return found
