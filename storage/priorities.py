"""HR's list of council priorities, retired ones included, and what still links to an entry.

``storage.objectives`` reads the active priorities for the bot; this module is for HR keeping
the list. Priorities are never deleted: objectives link to them.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.records import ListEntry
from storage.models import CouncilPriority, Objective
from storage.objectives import CLOSED


async def all_priorities(session: AsyncSession) -> list[ListEntry]:
    """Every priority in the order the bot offers them, retired ones included."""
    rows = await session.execute(
        select(CouncilPriority.id, CouncilPriority.title, CouncilPriority.active).order_by(
            CouncilPriority.position, CouncilPriority.id
        )
    )
    return [ListEntry(pk, title, "", active) for pk, title, active in rows]


async def add_priority(session: AsyncSession, title: str) -> int:
    """A new active priority at the end of the list; an existing title is made active again."""
    existing = await session.scalar(
        select(CouncilPriority).where(func.lower(CouncilPriority.title) == title.lower())
    )
    if existing is not None:
        existing.active = True
        return existing.id
    last = await session.scalar(select(func.max(CouncilPriority.position)))
    priority = CouncilPriority(title=title, active=True, position=(last or 0) + 1)
    session.add(priority)
    await session.flush()
    return priority.id


async def retire_priority(session: AsyncSession, priority_id: int) -> bool:
    priority = await session.get(CouncilPriority, priority_id)
    if priority is None:
        return False
    priority.active = False
    return True


async def open_objectives_linked(
    session: AsyncSession, *, priority_id: int | None = None, plan_id: int | None = None
) -> int:
    """Objectives not yet closed that link to the priority (or the plan)."""
    query = select(func.count(Objective.id)).where(Objective.status.not_in(CLOSED))
    if priority_id is not None:
        query = query.where(Objective.priority_id == priority_id)
    if plan_id is not None:
        query = query.where(Objective.plan_id == plan_id)
    return int(await session.scalar(query) or 0)
