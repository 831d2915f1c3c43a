"""What the team view and the compliance report need to know about people, fetched set-based:
a fixed handful of queries for a team or for the whole council, never one per person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Absence,
    Apr,
    CadenceOverride,
    Employee,
    Objective,
    OneToOne,
    ReturnToWork,
)


@dataclass(frozen=True)
class SicknessSpell:
    absence_id: int
    start_date: date
    end_date: date | None
    working_days_lost: int | None  # None when Charter has to work it out
    disability_related: bool
    rtw_held_on: date | None


@dataclass(frozen=True)
class StaffFacts:
    """One person in post, with everything the team and compliance views judge them on."""

    id: int
    employee_id: str
    name: str
    department: str
    manager_id: int | None
    manager_name: str | None
    start_date: date
    left_on: date | None
    working_pattern: str
    active_reports: int
    last_one_to_one: date | None = None
    last_apr: date | None = None
    employee_cadence: int | None = None
    team_cadence: int | None = None
    live_objectives: int = 0
    draft_objectives: int = 0  # drafts the employee added, waiting for the manager
    rag: dict[str, int] = field(default_factory=dict)  # live objectives by RAG
    sickness: tuple[SicknessSpell, ...] = ()


# A query selecting columns of any shape.
AnySelect = Select[*tuple[Any, ...]]


def _in_post(as_of: date) -> Any:
    return or_(Employee.left_on.is_(None), Employee.left_on > as_of)


def _people(as_of: date, manager_pks: Sequence[int] | None) -> AnySelect:
    manager = aliased(Employee, name="line_manager")
    report = aliased(Employee, name="report")
    reports = (
        select(func.count(report.id))
        .where(
            report.manager_id == Employee.id, or_(report.left_on.is_(None), report.left_on > as_of)
        )
        .correlate(Employee)
        .scalar_subquery()
    )
    stmt = (
        select(
            Employee.id,
            Employee.employee_id,
            Employee.name,
            Employee.department,
            Employee.manager_id,
            manager.name,
            Employee.start_date,
            Employee.left_on,
            Employee.working_pattern,
            reports,
        )
        .outerjoin(manager, manager.id == Employee.manager_id)
        .where(_in_post(as_of), Employee.start_date <= as_of)
        .order_by(Employee.name, Employee.id)
    )
    if manager_pks is not None:
        stmt = stmt.where(Employee.manager_id.in_(manager_pks))
    return stmt


def _scoped(stmt: AnySelect, column: Any, ids: Sequence[int] | None) -> AnySelect:
    """Limit a per-employee query to the chosen people (a team) or leave it council-wide."""
    return stmt if ids is None else stmt.where(column.in_(ids))


@dataclass
class _Found:
    """Everything but the person's own row, keyed by employee (or team manager) id."""

    last_121: dict[int, date] = field(default_factory=dict)
    last_apr: dict[int, date] = field(default_factory=dict)
    by_employee: dict[int, int] = field(default_factory=dict)
    by_team: dict[int, int] = field(default_factory=dict)
    live: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    drafts: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    rags: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    spells: dict[int, list[SicknessSpell]] = field(default_factory=lambda: defaultdict(list))


async def staff_facts(
    session: AsyncSession,
    as_of: date,
    *,
    manager_pks: Sequence[int] | None = None,
    sickness_since: date,
) -> list[StaffFacts]:
    """Everyone in post on ``as_of`` (or only the reports of ``manager_pks``), with their last
    one-to-one and APR, cadence overrides, objectives and sickness since ``sickness_since``
    (plus any still open). Six queries whatever the number of people."""
    people = (await session.execute(_people(as_of, manager_pks))).all()
    ids: list[int] | None = [row[0] for row in people] if manager_pks is not None else None
    if ids == []:
        return []
    found = _Found(
        last_121=await _last_held(session, OneToOne, as_of, ids),
        last_apr=await _last_held(session, Apr, as_of, ids),
    )
    overrides = (await session.execute(select(CadenceOverride))).scalars().all()
    found.by_employee = {o.employee_id: o.interval_days for o in overrides if o.employee_id}
    found.by_team = {o.team_manager_id: o.interval_days for o in overrides if o.team_manager_id}
    await _count_objectives(session, ids, found)
    await _sickness(session, as_of, sickness_since, ids, found)
    return [_facts(row, found) for row in people]


async def _last_held(
    session: AsyncSession, model: type[OneToOne] | type[Apr], as_of: date, ids: Sequence[int] | None
) -> dict[int, date]:
    """{employee: the day of their last one-to-one (or APR) on or before ``as_of``}."""
    stmt = (
        select(model.employee_id, func.max(model.held_on))
        .where(model.held_on <= as_of)
        .group_by(model.employee_id)
    )
    rows = await session.execute(_scoped(stmt, model.employee_id, ids))
    return {employee: held_on for employee, held_on in rows}


async def _count_objectives(
    session: AsyncSession, ids: Sequence[int] | None, found: _Found
) -> None:
    """Live objectives by RAG, and the drafts employees added that wait for their manager."""
    stmt = (
        select(
            Objective.employee_id,
            Objective.status,
            Objective.rag,
            Objective.proposed_by,
            func.count(),
        )
        .where(Objective.status.in_(("draft", "agreed", "in_progress")))
        .group_by(Objective.employee_id, Objective.status, Objective.rag, Objective.proposed_by)
    )
    rows = await session.execute(_scoped(stmt, Objective.employee_id, ids))
    for employee, status, rag, proposed_by, count in rows:
        if status == "draft":
            if proposed_by == "owner":  # waiting for the manager to agree
                found.drafts[employee] += count
            continue
        found.live[employee] += count
        key = rag or "none"
        found.rags[employee][key] = found.rags[employee].get(key, 0) + count


async def _sickness(
    session: AsyncSession,
    as_of: date,
    since: date,
    ids: Sequence[int] | None,
    found: _Found,
) -> None:
    """Sickness spells begun by ``as_of`` and not over before ``since``, oldest first."""
    stmt = (
        select(
            Absence.employee_id,
            Absence.id,
            Absence.start_date,
            Absence.end_date,
            Absence.working_days_lost,
            Absence.disability_related,
            ReturnToWork.held_on,
        )
        .outerjoin(ReturnToWork, ReturnToWork.absence_id == Absence.id)
        .where(
            Absence.absence_type == "sickness",
            Absence.start_date <= as_of,
            or_(Absence.end_date.is_(None), Absence.end_date >= since),
        )
        .order_by(Absence.start_date, Absence.id)
    )
    rows = await session.execute(_scoped(stmt, Absence.employee_id, ids))
    for employee, absence_pk, start, end, lost, disability, rtw_held_on in rows:
        found.spells[employee].append(
            SicknessSpell(absence_pk, start, end, lost, disability, rtw_held_on)
        )


def _facts(row: Sequence[Any], found: _Found) -> StaffFacts:
    pk, ref, name, department, manager_id, manager_name, start, left_on, pattern, reports = row
    return StaffFacts(
        id=pk,
        employee_id=ref,
        name=name,
        department=department,
        manager_id=manager_id,
        manager_name=manager_name,
        start_date=start,
        left_on=left_on,
        working_pattern=pattern or "",
        active_reports=reports or 0,
        last_one_to_one=found.last_121.get(pk),
        last_apr=found.last_apr.get(pk),
        employee_cadence=found.by_employee.get(pk),
        team_cadence=found.by_team.get(manager_id) if manager_id is not None else None,
        live_objectives=found.live.get(pk, 0),
        draft_objectives=found.drafts.get(pk, 0),
        rag=dict(found.rags.get(pk, {})),
        sickness=tuple(found.spells.get(pk, ())),
    )
