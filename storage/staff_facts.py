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


def _in_post(as_of: date) -> Any:
    return or_(Employee.left_on.is_(None), Employee.left_on > as_of)


def _people(as_of: date, manager_pks: Sequence[int] | None) -> Select[Any]:
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


def _scoped(stmt: Select[Any], column: Any, ids: Sequence[int] | None) -> Select[Any]:
    """Limit a per-employee query to the chosen people (a team) or leave it council-wide."""
    return stmt if ids is None else stmt.where(column.in_(ids))


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

    last_121 = dict(
        (
            await session.execute(
                _scoped(
                    select(OneToOne.employee_id, func.max(OneToOne.held_on))
                    .where(OneToOne.held_on <= as_of)
                    .group_by(OneToOne.employee_id),
                    OneToOne.employee_id,
                    ids,
                )
            )
        ).all()
    )
    last_apr = dict(
        (
            await session.execute(
                _scoped(
                    select(Apr.employee_id, func.max(Apr.held_on))
                    .where(Apr.held_on <= as_of)
                    .group_by(Apr.employee_id),
                    Apr.employee_id,
                    ids,
                )
            )
        ).all()
    )
    overrides = (await session.execute(select(CadenceOverride))).scalars().all()
    by_employee = {o.employee_id: o.interval_days for o in overrides if o.employee_id}
    by_team = {o.team_manager_id: o.interval_days for o in overrides if o.team_manager_id}

    objective_rows = await session.execute(
        _scoped(
            select(
                Objective.employee_id,
                Objective.status,
                Objective.rag,
                Objective.proposed_by,
                func.count(),
            )
            .where(Objective.status.in_(("draft", "agreed", "in_progress")))
            .group_by(
                Objective.employee_id, Objective.status, Objective.rag, Objective.proposed_by
            ),
            Objective.employee_id,
            ids,
        )
    )
    live: dict[int, int] = defaultdict(int)
    drafts: dict[int, int] = defaultdict(int)
    rags: dict[int, dict[str, int]] = defaultdict(dict)
    for employee, status, rag, proposed_by, count in objective_rows:
        if status == "draft":
            if proposed_by == "owner":  # waiting for the manager to agree
                drafts[employee] += count
            continue
        live[employee] += count
        key = rag or "none"
        rags[employee][key] = rags[employee].get(key, 0) + count

    sickness_rows = await session.execute(
        _scoped(
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
                or_(Absence.end_date.is_(None), Absence.end_date >= sickness_since),
            )
            .order_by(Absence.start_date, Absence.id),
            Absence.employee_id,
            ids,
        )
    )
    spells: dict[int, list[SicknessSpell]] = defaultdict(list)
    for employee, *spell in sickness_rows:
        spells[employee].append(SicknessSpell(*spell))

    return [
        _facts(row, last_121, last_apr, by_employee, by_team, live, drafts, rags, spells)
        for row in people
    ]


def _facts(row, last_121, last_apr, by_employee, by_team, live, drafts, rags, spells):  # type: ignore[no-untyped-def]
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
        last_one_to_one=last_121.get(pk),
        last_apr=last_apr.get(pk),
        employee_cadence=by_employee.get(pk),
        team_cadence=by_team.get(manager_id) if manager_id is not None else None,
        live_objectives=live.get(pk, 0),
        draft_objectives=drafts.get(pk, 0),
        rag=dict(rags.get(pk, {})),
        sickness=tuple(spells.get(pk, ())),
    )
