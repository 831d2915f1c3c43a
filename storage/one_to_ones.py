"""Reading and writing one-to-ones, their actions and their audit trail.

Returns plain views; the permission and validation rules live in ``services.one_to_ones``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, defer

from domain.records import AREA_COLUMNS, ActionView, ExportRow, OneToOneView
from storage.models import (
    CadenceOverride,
    Employee,
    OneToOne,
    OneToOneAction,
    OneToOneRevision,
)


def _action(row: OneToOneAction) -> ActionView:
    return ActionView(
        id=row.id,
        one_to_one_id=row.one_to_one_id,
        employee_id=row.employee_id,
        text=row.text,
        owner=row.owner,
        due_on=row.due_on,
        status=row.status,
        created_at=row.created_at,
        done_at=row.done_at,
        carried_forward=row.carried_forward,
    )


def _view(
    row: OneToOne, actions: Sequence[OneToOneAction] = (), *, with_private_note: bool = True
) -> OneToOneView:
    return OneToOneView(
        id=row.id,
        employee_id=row.employee_id,
        manager_id=row.manager_id,
        held_on=row.held_on,
        notes={key: getattr(row, key) for key in AREA_COLUMNS},
        shared_notes=row.shared_notes,
        private_note=row.private_note if with_private_note else "",
        wellbeing_concern=row.wellbeing_concern,
        logged_at=row.logged_at,
        updated_at=row.updated_at,
        acknowledged_at=row.acknowledged_at,
        employee_comment=row.employee_comment,
        actions=tuple(_action(a) for a in actions),
    )


def _snapshot(row: OneToOne) -> str:
    fields = (*AREA_COLUMNS, "shared_notes", "private_note", "wellbeing_concern")
    data: dict[str, Any] = {key: getattr(row, key) for key in fields}
    data["held_on"] = row.held_on.isoformat()
    return json.dumps(data, sort_keys=True)


async def add_one_to_one(
    session: AsyncSession,
    *,
    employee_pk: int,
    manager_pk: int,
    held_on: date,
    notes: dict[str, str],
    shared_notes: str,
    private_note: str,
    wellbeing_concern: bool,
    actions: Iterable[tuple[str, str, date | None]],
    now: datetime,
) -> int:
    record = OneToOne(
        employee_id=employee_pk,
        manager_id=manager_pk,
        held_on=held_on,
        shared_notes=shared_notes,
        private_note=private_note,
        wellbeing_concern=wellbeing_concern,
        logged_at=now,
        updated_at=now,
        **{key: notes.get(key, "") for key in AREA_COLUMNS},
    )
    session.add(record)
    await session.flush()
    for text, owner, due_on in actions:
        session.add(
            OneToOneAction(
                one_to_one_id=record.id,
                employee_id=employee_pk,
                text=text,
                owner=owner,
                due_on=due_on,
                status="open",
                created_at=now,
            )
        )
    session.add(
        OneToOneRevision(
            one_to_one_id=record.id, changed_by_id=manager_pk, changed_at=now, change="created"
        )
    )
    return record.id


async def update_one_to_one(
    session: AsyncSession,
    record_id: int,
    *,
    editor_pk: int,
    held_on: date,
    notes: dict[str, str],
    shared_notes: str,
    private_note: str,
    wellbeing_concern: bool,
    new_actions: Iterable[tuple[str, str, date | None]],
    now: datetime,
) -> None:
    record = await session.get(OneToOne, record_id, with_for_update=True)
    if record is None:
        raise LookupError(record_id)
    session.add(
        OneToOneRevision(
            one_to_one_id=record_id,
            changed_by_id=editor_pk,
            changed_at=now,
            change="edited",
            before_json=_snapshot(record),
        )
    )
    record.held_on = held_on
    for key in AREA_COLUMNS:
        setattr(record, key, notes.get(key, ""))
    record.shared_notes = shared_notes
    record.private_note = private_note
    record.wellbeing_concern = wellbeing_concern
    record.updated_at = now
    for text, owner, due_on in new_actions:
        session.add(
            OneToOneAction(
                one_to_one_id=record_id,
                employee_id=record.employee_id,
                text=text,
                owner=owner,
                due_on=due_on,
                status="open",
                created_at=now,
            )
        )


async def get_one_to_one(session: AsyncSession, record_id: int) -> OneToOneView | None:
    record = await session.get(OneToOne, record_id)
    if record is None:
        return None
    actions = (
        await session.scalars(
            select(OneToOneAction)
            .where(OneToOneAction.one_to_one_id == record_id)
            .order_by(OneToOneAction.id)
        )
    ).all()
    return _view(record, actions)


async def one_to_ones_for(
    session: AsyncSession, employee_pk: int, limit: int = 5
) -> list[OneToOneView]:
    """The employee's most recent one-to-ones, newest first, with their actions.

    Without the manager's private note: the lists built from this (a manager's history of a
    report, an employee's own one-to-ones) never show it, so it is not read, and the audit
    records a one-to-one read rather than a private-notes read. Opening one record for
    editing (``get_one_to_one``) reads and audits the note.
    """
    records = (
        await session.scalars(
            select(OneToOne)
            .options(defer(OneToOne.private_note, raiseload=True))
            .where(OneToOne.employee_id == employee_pk)
            .order_by(OneToOne.held_on.desc(), OneToOne.id.desc())
            .limit(limit)
        )
    ).all()
    if not records:
        return []
    actions = (
        await session.scalars(
            select(OneToOneAction)
            .where(OneToOneAction.one_to_one_id.in_([r.id for r in records]))
            .order_by(OneToOneAction.id)
        )
    ).all()
    by_record: dict[int, list[OneToOneAction]] = {}
    for action in actions:
        by_record.setdefault(action.one_to_one_id, []).append(action)
    return [_view(r, by_record.get(r.id, []), with_private_note=False) for r in records]


async def open_actions_for(session: AsyncSession, employee_pk: int) -> list[ActionView]:
    """Open actions from the employee's one-to-ones, oldest first."""
    rows = (
        await session.scalars(
            select(OneToOneAction)
            .where(OneToOneAction.employee_id == employee_pk, OneToOneAction.status == "open")
            .order_by(OneToOneAction.created_at, OneToOneAction.id)
        )
    ).all()
    return [_action(r) for r in rows]


async def open_actions_owned_by(
    session: AsyncSession, person_pk: int, *, team_manager_pks: Sequence[int]
) -> list[ActionView]:
    """Open actions this person owns: theirs as an employee, and the manager's actions about
    anyone who reports *now* to one of ``team_manager_pks`` (themselves, and the line
    managers whose teams they act for). Manager actions move with the person: after a
    reorganisation the new manager has them, whoever held the one-to-one."""
    mine_as_employee = and_(
        OneToOneAction.employee_id == person_pk, OneToOneAction.owner == "employee"
    )
    mine_as_manager = and_(
        OneToOneAction.owner == "manager",
        OneToOneAction.employee_id != person_pk,
        OneToOneAction.employee_id.in_(
            select(Employee.id).where(Employee.manager_id.in_(list(team_manager_pks)))
        ),
    )
    rows = (
        await session.scalars(
            select(OneToOneAction)
            .where(OneToOneAction.status == "open", mine_as_employee | mine_as_manager)
            .order_by(OneToOneAction.due_on.is_(None), OneToOneAction.due_on, OneToOneAction.id)
        )
    ).all()
    return [_action(r) for r in rows]


async def get_action(session: AsyncSession, action_id: int) -> tuple[ActionView, int | None] | None:
    """The action and the manager who held the one-to-one it came from."""
    row = (
        await session.execute(
            select(OneToOneAction, OneToOne.manager_id)
            .join(OneToOne, OneToOne.id == OneToOneAction.one_to_one_id)
            .where(OneToOneAction.id == action_id)
        )
    ).first()
    return (_action(row[0]), row[1]) if row else None


async def mark_actions_done(
    session: AsyncSession, action_ids: Sequence[int], *, by_pk: int, now: datetime
) -> int:
    if not action_ids:
        return 0
    result = await session.execute(
        update(OneToOneAction)
        .where(OneToOneAction.id.in_(action_ids), OneToOneAction.status == "open")
        .values(status="done", done_at=now, done_by_id=by_pk)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def carry_forward(session: AsyncSession, action_ids: Sequence[int]) -> None:
    if action_ids:
        await session.execute(
            update(OneToOneAction)
            .where(OneToOneAction.id.in_(action_ids), OneToOneAction.status == "open")
            .values(carried_forward=OneToOneAction.carried_forward + 1)
        )


async def record_employee_response(
    session: AsyncSession,
    record_id: int,
    *,
    employee_pk: int,
    comment: str | None,
    now: datetime,
) -> None:
    record = await session.get(OneToOne, record_id, with_for_update=True)
    if record is None:
        raise LookupError(record_id)
    before = _snapshot(record)
    if record.acknowledged_at is None:
        record.acknowledged_at = now
    change = "acknowledged"
    if comment is not None:
        record.employee_comment = comment
        record.employee_commented_at = now
        change = "commented"
    session.add(
        OneToOneRevision(
            one_to_one_id=record_id,
            changed_by_id=employee_pk,
            changed_at=now,
            change=change,
            before_json=before if comment is not None else None,
        )
    )


async def revisions(session: AsyncSession, record_id: int) -> list[tuple[str, int | None]]:
    rows = await session.execute(
        select(OneToOneRevision.change, OneToOneRevision.changed_by_id)
        .where(OneToOneRevision.one_to_one_id == record_id)
        .order_by(OneToOneRevision.id)
    )
    return [(change, by) for change, by in rows]


async def last_held_by_employee(
    session: AsyncSession, employee_pks: Sequence[int]
) -> dict[int, date]:
    if not employee_pks:
        return {}
    rows = await session.execute(
        select(OneToOne.employee_id, func.max(OneToOne.held_on))
        .where(OneToOne.employee_id.in_(employee_pks))
        .group_by(OneToOne.employee_id)
    )
    return {employee: held for employee, held in rows}


async def cadence_overrides(
    session: AsyncSession, employee_pks: Sequence[int], team_manager_pks: Sequence[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """(employee overrides, team overrides) for the given people and their managers."""
    rows = (
        await session.scalars(
            select(CadenceOverride).where(
                CadenceOverride.employee_id.in_(employee_pks)
                | CadenceOverride.team_manager_id.in_(team_manager_pks)
            )
        )
    ).all()
    employees = {r.employee_id: r.interval_days for r in rows if r.employee_id is not None}
    teams = {r.team_manager_id: r.interval_days for r in rows if r.team_manager_id is not None}
    return employees, teams


async def set_cadence_override(
    session: AsyncSession,
    *,
    employee_pk: int | None,
    team_manager_pk: int | None,
    interval_days: int | None,
    now: datetime,
) -> None:
    """Set (or with ``interval_days=None`` clear) one override."""
    column = (
        CadenceOverride.employee_id if employee_pk is not None else CadenceOverride.team_manager_id
    )
    key = employee_pk if employee_pk is not None else team_manager_pk
    existing = await session.scalar(select(CadenceOverride).where(column == key))
    if interval_days is None:
        if existing is not None:
            await session.delete(existing)
        return
    if existing is None:
        session.add(
            CadenceOverride(
                employee_id=employee_pk,
                team_manager_id=team_manager_pk,
                interval_days=interval_days,
                set_at=now,
            )
        )
    else:
        existing.interval_days = interval_days
        existing.set_at = now


def _action_count(status: str) -> Any:
    """How many of a one-to-one's actions have this status (a correlated subquery)."""
    return (
        select(func.count(OneToOneAction.id))
        .where(OneToOneAction.one_to_one_id == OneToOne.id, OneToOneAction.status == status)
        .correlate(OneToOne)
        .scalar_subquery()
    )


async def export_rows(session: AsyncSession) -> list[ExportRow]:
    """Every one-to-one for the bulk export. Private notes are not even selected."""
    employee = aliased(Employee)
    manager = aliased(Employee)
    rows = await session.execute(
        select(
            employee.employee_id,
            employee.email,
            manager.email,
            OneToOne.held_on,
            *(getattr(OneToOne, key) for key in AREA_COLUMNS),
            OneToOne.wellbeing_concern,
            OneToOne.shared_notes,
            _action_count("open"),
            _action_count("done"),
            OneToOne.logged_at,
            OneToOne.id,
        )
        .join(employee, employee.id == OneToOne.employee_id)
        .outerjoin(manager, manager.id == OneToOne.manager_id)
        .order_by(OneToOne.held_on, OneToOne.id)
    )
    result = []
    for row in rows:
        emp_id, emp_email, mgr_email, held_on, *areas, concern, shared, n_open, n_done, at, pk = row
        result.append(
            ExportRow(
                employee_id=emp_id,
                employee_email=emp_email,
                manager_email=mgr_email or "",
                held_on=held_on,
                notes=dict(zip(AREA_COLUMNS, areas, strict=True)),
                wellbeing_concern=concern,
                shared_notes=shared,
                actions_open=n_open,
                actions_done=n_done,
                logged_at=at,
                record_id=pk,
            )
        )
    return result
