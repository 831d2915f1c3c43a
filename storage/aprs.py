"""Reading and writing APRs, their objective reviews and the employee's preparation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.records import AprExportRow, AprView, PreparationView
from storage.models import Apr, AprObjectiveReview, AprPreparation, Employee


def _prep(row: AprPreparation) -> PreparationView:
    return PreparationView(
        employee_id=row.employee_id,
        cycle_label=row.cycle_label,
        achievements=json.loads(row.achievements_json or "{}"),
        obstacles=row.obstacles,
        development_wishes=row.development_wishes,
        support_wanted=row.support_wanted,
        updated_at=row.updated_at,
        shared_at=row.shared_at,
    )


async def get_preparation(
    session: AsyncSession, employee_pk: int, cycle_label: str
) -> PreparationView | None:
    row = await session.scalar(
        select(AprPreparation).where(
            AprPreparation.employee_id == employee_pk, AprPreparation.cycle_label == cycle_label
        )
    )
    return _prep(row) if row else None


async def save_preparation(
    session: AsyncSession,
    *,
    employee_pk: int,
    cycle_label: str,
    achievements: dict[str, str],
    obstacles: str,
    development_wishes: str,
    support_wanted: str,
    now: datetime,
) -> None:
    row = await session.scalar(
        select(AprPreparation)
        .where(AprPreparation.employee_id == employee_pk, AprPreparation.cycle_label == cycle_label)
        .with_for_update()
    )
    if row is None:
        row = AprPreparation(employee_id=employee_pk, cycle_label=cycle_label)
        session.add(row)
    row.achievements_json = json.dumps(achievements, sort_keys=True)
    row.obstacles, row.development_wishes, row.support_wanted = (
        obstacles,
        development_wishes,
        support_wanted,
    )
    row.updated_at = now
    row.shared_at = now


async def add_apr(
    session: AsyncSession,
    *,
    employee_pk: int,
    manager_pk: int | None,
    held_on: date,
    overall_comments: str,
    leadership_themes: Sequence[str],
    development_needs: str,
    learning_needs: str,
    reviews: Sequence[tuple[int, str, str]],
    source: str,
    now: datetime,
) -> int:
    apr = Apr(
        employee_id=employee_pk,
        manager_id=manager_pk,
        held_on=held_on,
        overall_comments=overall_comments,
        leadership_themes=";".join(leadership_themes),
        development_needs=development_needs,
        learning_needs=learning_needs,
        source=source,
        created_at=now,
    )
    session.add(apr)
    await session.flush()
    for objective_id, outcome, comment in reviews:
        session.add(
            AprObjectiveReview(
                apr_id=apr.id, objective_id=objective_id, outcome=outcome, comment=comment
            )
        )
    return apr.id


async def get_apr(session: AsyncSession, apr_id: int) -> AprView | None:
    apr = await session.get(Apr, apr_id)
    if apr is None:
        return None
    reviews = (
        await session.execute(
            select(
                AprObjectiveReview.objective_id,
                AprObjectiveReview.outcome,
                AprObjectiveReview.comment,
            )
            .where(AprObjectiveReview.apr_id == apr_id)
            .order_by(AprObjectiveReview.id)
        )
    ).all()
    return AprView(
        id=apr.id,
        employee_id=apr.employee_id,
        manager_id=apr.manager_id,
        held_on=apr.held_on,
        overall_comments=apr.overall_comments,
        leadership_themes=tuple(t for t in apr.leadership_themes.split(";") if t),
        development_needs=apr.development_needs,
        learning_needs=apr.learning_needs,
        source=apr.source,
        acknowledged_at=apr.acknowledged_at,
        employee_comment=apr.employee_comment,
        reviews=tuple((o, out, c) for o, out, c in reviews),
    )


async def record_response(
    session: AsyncSession, apr_id: int, *, comment: str | None, now: datetime
) -> None:
    apr = await session.get(Apr, apr_id, with_for_update=True)
    if apr is None:
        raise LookupError(apr_id)
    if apr.acknowledged_at is None:
        apr.acknowledged_at = now
    if comment is not None:
        apr.employee_comment = comment
        apr.employee_commented_at = now


async def last_held(session: AsyncSession, employee_pks: Sequence[int]) -> dict[int, date]:
    if not employee_pks:
        return {}
    rows = await session.execute(
        select(Apr.employee_id, func.max(Apr.held_on))
        .where(Apr.employee_id.in_(employee_pks))
        .group_by(Apr.employee_id)
    )
    return {e: d for e, d in rows}


async def held_on_day(session: AsyncSession, employee_pk: int, held_on: date) -> int | None:
    """The APR already recorded for this person held on this day, if any: an APR's natural
    key (as for imports), since nobody holds two on one day."""
    found = await session.scalar(
        select(Apr.id).where(Apr.employee_id == employee_pk, Apr.held_on == held_on).limit(1)
    )
    return int(found) if found is not None else None


async def existing_import_keys(session: AsyncSession) -> set[tuple[int, date]]:
    rows = await session.execute(select(Apr.employee_id, Apr.held_on))
    return {(e, d) for e, d in rows}


async def export_rows(session: AsyncSession) -> list[AprExportRow]:
    """Every APR, oldest first: one query for the APRs, one for their outcome counts."""
    employee, manager = aliased(Employee), aliased(Employee)
    commented = func.coalesce(func.length(func.trim(Apr.employee_comment)), 0) > 0
    rows = (
        await session.execute(
            select(
                Apr.id,
                employee.employee_id,
                employee.email,
                manager.email,
                Apr.held_on,
                Apr.source,
                Apr.leadership_themes,
                Apr.acknowledged_at.is_not(None),
                commented,
            )
            .join(employee, employee.id == Apr.employee_id)
            .outerjoin(manager, manager.id == Apr.manager_id)
            .order_by(Apr.held_on, Apr.id)
        )
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for apr_id, outcome, n in await session.execute(
        select(AprObjectiveReview.apr_id, AprObjectiveReview.outcome, func.count()).group_by(
            AprObjectiveReview.apr_id, AprObjectiveReview.outcome
        )
    ):
        counts.setdefault(apr_id, {})[outcome] = n
    result = []
    for apr_id, ref, email, manager_email, held_on, source, themes, acknowledged, comment in rows:
        result.append(
            AprExportRow(
                employee_ref=ref,
                employee_email=email,
                manager_email=manager_email or "",
                held_on=held_on,
                source=source,
                outcomes=counts.get(apr_id, {}),
                leadership_themes=tuple(t for t in (themes or "").split(";") if t),
                acknowledged=bool(acknowledged),
                commented=bool(comment),
            )
        )
    return result


async def awaiting_response(
    session: AsyncSession, employee_pk: int, *, since: date
) -> list[AprView]:
    """This employee's APRs recorded in chat since ``since`` that they have neither
    acknowledged nor commented on, the latest first (an imported APR asks nothing of them)."""
    ids = (
        await session.scalars(
            select(Apr.id)
            .where(
                Apr.employee_id == employee_pk,
                Apr.source == "chat",
                Apr.held_on >= since,
                Apr.acknowledged_at.is_(None),
                Apr.employee_comment.is_(None),
            )
            .order_by(Apr.held_on.desc(), Apr.id.desc())
        )
    ).all()
    found = [await get_apr(session, apr_id) for apr_id in ids]
    return [apr for apr in found if apr is not None]
