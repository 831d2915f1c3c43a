"""Reading and writing objectives, their history, council priorities and service plans."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.objective_lifecycle import CLOSED as CLOSED_STATUSES
from domain.objective_lifecycle import ObjectiveStatus, status_after_progress
from domain.records import Choice, ListEntry, ObjectiveExportRow, ObjectiveView, UpdateView
from storage.models import CouncilPriority, Employee, Objective, ObjectiveUpdate, ServicePlan

CLOSED = tuple(sorted(status.value for status in CLOSED_STATUSES))


def _select() -> Select[Objective, str, str]:  # outer joins: the titles may be None
    return (
        select(Objective, CouncilPriority.title, ServicePlan.title)
        .outerjoin(CouncilPriority, CouncilPriority.id == Objective.priority_id)
        .outerjoin(ServicePlan, ServicePlan.id == Objective.plan_id)
    )


_OBJECTIVES = _select()


def _view(row: Objective, priority: str | None, plan: str | None) -> ObjectiveView:
    return ObjectiveView(
        id=row.id,
        employee_id=row.employee_id,
        title=row.title,
        measure=row.measure,
        target_date=row.target_date,
        priority_id=row.priority_id,
        priority_title=priority,
        plan_id=row.plan_id,
        plan_title=plan,
        status=row.status,
        proposed_by=row.proposed_by,
        percent_complete=row.percent_complete,
        rag=row.rag,
        smart_overridden=row.smart_overridden,
        created_at=row.created_at,
        updated_at=row.updated_at,
        agreed_at=row.agreed_at,
    )


async def priorities(session: AsyncSession) -> list[Choice]:
    rows = await session.execute(
        select(CouncilPriority.id, CouncilPriority.title)
        .where(CouncilPriority.active.is_(True))
        .order_by(CouncilPriority.position, CouncilPriority.id)
    )
    return [Choice(i, t) for i, t in rows]


async def plans(session: AsyncSession, department: str | None = None) -> list[Choice]:
    """Active plans; a department's own first, then council-wide ones (no department)."""
    query = select(ServicePlan.id, ServicePlan.title, ServicePlan.department).where(
        ServicePlan.active.is_(True)
    )
    rows = (await session.execute(query.order_by(ServicePlan.title))).all()
    own = [Choice(i, t) for i, t, d in rows if department and d == department]
    shared = [Choice(i, t) for i, t, d in rows if not d]
    others = [] if department else [Choice(i, f"{t} ({d})") for i, t, d in rows if d]
    return own + shared + others


async def add_plan(session: AsyncSession, title: str, department: str) -> int:
    existing = await session.scalar(
        select(ServicePlan).where(ServicePlan.title == title, ServicePlan.department == department)
    )
    if existing is not None:
        existing.active = True
        return existing.id
    plan = ServicePlan(title=title, department=department, active=True)
    session.add(plan)
    await session.flush()
    return plan.id


async def retire_plan(session: AsyncSession, plan_id: int) -> bool:
    plan = await session.get(ServicePlan, plan_id)
    if plan is None:
        return False
    plan.active = False
    return True


async def all_plans(session: AsyncSession) -> list[ListEntry]:
    """Every plan by department (council-wide ones first), retired ones included."""
    rows = await session.execute(
        select(
            ServicePlan.id, ServicePlan.title, ServicePlan.department, ServicePlan.active
        ).order_by(ServicePlan.department, ServicePlan.title)
    )
    return [ListEntry(pk, title, department, active) for pk, title, department, active in rows]


async def add_objective(
    session: AsyncSession,
    *,
    employee_pk: int,
    title: str,
    measure: str,
    target_date: date | None,
    priority_id: int | None,
    plan_id: int | None,
    status: str,
    proposed_by: str,
    smart_overridden: bool,
    created_by_pk: int,
    now: datetime,
    from_apr_id: int | None = None,
) -> int:
    objective = Objective(
        employee_id=employee_pk,
        title=title,
        measure=measure,
        target_date=target_date,
        priority_id=priority_id,
        plan_id=plan_id,
        status=status,
        proposed_by=proposed_by,
        smart_overridden=smart_overridden,
        created_by_id=created_by_pk,
        created_at=now,
        updated_at=now,
        agreed_at=now if status == "agreed" else None,
        agreed_by_id=created_by_pk if status == "agreed" else None,
        from_apr_id=from_apr_id,
        percent_complete=0,
    )
    session.add(objective)
    await session.flush()
    session.add(
        ObjectiveUpdate(
            objective_id=objective.id,
            author_id=created_by_pk,
            created_at=now,
            kind="created",
            status_to=status,
        )
    )
    return objective.id


async def get_objective(session: AsyncSession, objective_id: int) -> ObjectiveView | None:
    row = (await session.execute(_OBJECTIVES.where(Objective.id == objective_id))).first()
    return _view(*row) if row else None


async def lock_objective(session: AsyncSession, objective_id: int) -> ObjectiveView | None:
    """The objective, its row held until the transaction ends (PostgreSQL; SQLite's write
    transaction already holds the database's write lock)."""
    found = await session.scalar(
        select(Objective.id).where(Objective.id == objective_id).with_for_update()
    )
    return await get_objective(session, found) if found is not None else None


async def objectives_for(
    session: AsyncSession, employee_pk: int, *, include_closed: bool = False
) -> list[ObjectiveView]:
    query = _OBJECTIVES.where(Objective.employee_id == employee_pk)
    if not include_closed:
        query = query.where(Objective.status.not_in(CLOSED))
    rows = await session.execute(
        query.order_by(Objective.target_date.is_(None), Objective.target_date, Objective.id)
    )
    return [_view(*row) for row in rows]


async def from_apr(session: AsyncSession, apr_id: int) -> list[ObjectiveView]:
    """The objectives agreed at that APR (next year's), in the order they were added."""
    rows = await session.execute(
        _OBJECTIVES.where(Objective.from_apr_id == apr_id).order_by(Objective.id)
    )
    return [_view(*row) for row in rows]


async def edit_objective(
    session: AsyncSession,
    objective_id: int,
    *,
    title: str,
    measure: str,
    target_date: date | None,
    priority_id: int | None,
    plan_id: int | None,
    new_status: str,
    proposed_by: str,
    smart_overridden: bool,
    editor_pk: int,
    now: datetime,
) -> None:
    objective = await session.get(Objective, objective_id, with_for_update=True)
    if objective is None:
        raise LookupError(objective_id)
    before = json.dumps(
        {
            "title": objective.title,
            "measure": objective.measure,
            "target_date": objective.target_date.isoformat() if objective.target_date else None,
            "priority_id": objective.priority_id,
            "plan_id": objective.plan_id,
        },
        sort_keys=True,
    )
    session.add(
        ObjectiveUpdate(
            objective_id=objective_id,
            author_id=editor_pk,
            created_at=now,
            kind="edit",
            status_from=objective.status,
            status_to=new_status,
            before_json=before,
        )
    )
    objective.title, objective.measure, objective.target_date = title, measure, target_date
    objective.priority_id, objective.plan_id = priority_id, plan_id
    objective.smart_overridden = smart_overridden
    # Whoever made the last change proposed it; the other party agrees.
    objective.proposed_by = proposed_by
    if new_status != objective.status:
        objective.status = new_status
        if new_status == "draft":
            objective.agreed_at = None
            objective.agreed_by_id = None
    objective.updated_at = now


async def set_status(
    session: AsyncSession,
    objective_id: int,
    *,
    status: str,
    actor_pk: int,
    comment: str,
    now: datetime,
) -> None:
    objective = await session.get(Objective, objective_id, with_for_update=True)
    if objective is None:
        raise LookupError(objective_id)
    session.add(
        ObjectiveUpdate(
            objective_id=objective_id,
            author_id=actor_pk,
            created_at=now,
            kind="status",
            comment=comment,
            status_from=objective.status,
            status_to=status,
        )
    )
    objective.status = status
    objective.updated_at = now
    if status == "agreed":
        objective.agreed_at = now
        objective.agreed_by_id = actor_pk
    if status in CLOSED:
        objective.closed_at = now


async def add_progress(
    session: AsyncSession,
    objective_id: int,
    *,
    percent: int,
    rag: str,
    comment: str,
    author_pk: int,
    now: datetime,
) -> None:
    objective = await session.get(Objective, objective_id, with_for_update=True)
    if objective is None:
        raise LookupError(objective_id)
    # The lifecycle's rule, on the locked row: the first update on an agreed objective starts
    # it. Callers check first (a draft or closed objective takes no progress: ValueError).
    new_status = status_after_progress(ObjectiveStatus(objective.status)).value
    session.add(
        ObjectiveUpdate(
            objective_id=objective_id,
            author_id=author_pk,
            created_at=now,
            kind="progress",
            percent=percent,
            rag=rag,
            comment=comment,
            status_from=objective.status,
            status_to=new_status,
        )
    )
    objective.percent_complete, objective.rag, objective.status = percent, rag, new_status
    objective.updated_at = now


async def add_discussion(
    session: AsyncSession, objective_id: int, *, author_pk: int, comment: str, now: datetime
) -> None:
    session.add(
        ObjectiveUpdate(
            objective_id=objective_id,
            author_id=author_pk,
            created_at=now,
            kind="discuss",
            comment=comment,
        )
    )


async def history(session: AsyncSession, objective_id: int) -> list[UpdateView]:
    rows = (
        await session.scalars(
            select(ObjectiveUpdate)
            .where(ObjectiveUpdate.objective_id == objective_id)
            .order_by(ObjectiveUpdate.id)
        )
    ).all()
    return [
        UpdateView(
            r.kind,
            r.author_id,
            r.created_at,
            r.percent,
            r.rag,
            r.comment,
            r.status_from,
            r.status_to,
        )
        for r in rows
    ]


async def export_rows(session: AsyncSession) -> list[ObjectiveExportRow]:
    rows = await session.execute(
        _select()
        .add_columns(Employee.employee_id, Employee.email, Employee.department)
        .join(Employee, Employee.id == Objective.employee_id)
        .order_by(Employee.employee_id, Objective.id)
    )
    return [
        ObjectiveExportRow(_view(obj, pri, plan), ref, email, dept)
        for obj, pri, plan, ref, email, dept in rows
    ]


async def agreed_counts_by_department(
    session: AsyncSession, as_of: date, statuses: Sequence[str]
) -> list[tuple[str, str | None, int, int]]:
    """(department, priority title, objectives, distinct people) for the golden thread."""
    rows = await session.execute(
        select(
            Employee.department,
            CouncilPriority.title,
            func.count(Objective.id),
            func.count(func.distinct(Objective.employee_id)),
        )
        .join(Employee, Employee.id == Objective.employee_id)
        .outerjoin(CouncilPriority, CouncilPriority.id == Objective.priority_id)
        .where(
            Objective.status.in_(statuses),
            (Employee.left_on.is_(None)) | (Employee.left_on > as_of),
        )
        .group_by(Employee.department, CouncilPriority.title)
        .order_by(Employee.department, CouncilPriority.title)
    )
    return [(department, title, n, people) for department, title, n, people in rows]


async def headcount_by_department(session: AsyncSession, as_of: date) -> dict[str, int]:
    """People in post on ``as_of``: started, and not left."""
    rows = await session.execute(
        select(Employee.department, func.count(Employee.id))
        .where(
            (Employee.left_on.is_(None)) | (Employee.left_on > as_of),
            Employee.start_date <= as_of,
        )
        .group_by(Employee.department)
    )
    return {d: n for d, n in rows}


async def people_with_objective_by_department(
    session: AsyncSession, as_of: date, statuses: Sequence[str]
) -> dict[str, int]:
    rows = await session.execute(
        select(Employee.department, func.count(func.distinct(Objective.employee_id)))
        .join(Employee, Employee.id == Objective.employee_id)
        .where(
            Objective.status.in_(statuses),
            (Employee.left_on.is_(None)) | (Employee.left_on > as_of),
        )
        .group_by(Employee.department)
    )
    return {d: n for d, n in rows}
