"""HR keeps the golden thread's lists: council priorities and service plans. The rules and
how a change reads are ``domain.golden_thread_lists``; this reads and writes the lists.
"""

from __future__ import annotations

from datetime import date

from domain.golden_thread_lists import (
    MAX_TITLE,
    ListChange,
    ListError,
    after_adding,
    after_retiring,
    clean_title,
    describe_change,
    entries_table,
    find_entry,
    match_department,
)
from domain.records import ListEntry
from storage import objectives as plan_repo
from storage import priorities as priority_repo
from storage.database import Database

# Compatible names: the lists' rules live in domain.golden_thread_lists.
__all__ = [
    "MAX_TITLE",
    "ListChange",
    "ListEntry",
    "ListError",
    "add_plan",
    "add_priority",
    "describe_change",
    "entries_table",
    "list_plans",
    "list_priorities",
    "retire_plan",
    "retire_priority",
]


# --- council priorities -----------------------------------------------------------------------


async def list_priorities(database: Database) -> list[ListEntry]:
    """Every council priority in the order the bot offers them, retired ones included."""
    async with database.sessions() as session:
        return await priority_repo.all_priorities(session)


async def add_priority(database: Database, title: str) -> ListChange:
    title = clean_title(title)
    before = {e.title.lower(): e for e in await list_priorities(database)}
    async with database.transaction() as session:
        priority_id = await priority_repo.add_priority(session, title)
    return after_adding(before.get(title.lower()), ListEntry(priority_id, title, "", True))


async def retire_priority(database: Database, priority_id: int) -> ListChange:
    entry = find_entry(
        await list_priorities(database), priority_id, "council priority", "priorities"
    )
    async with database.transaction() as session:
        await priority_repo.retire_priority(session, priority_id)
        linked = await priority_repo.open_objectives_linked(session, priority_id=priority_id)
    return after_retiring(entry, linked)


# --- service plans ----------------------------------------------------------------------------


async def list_plans(database: Database) -> list[ListEntry]:
    """Every service plan by department (council-wide ones first), retired ones included."""
    async with database.sessions() as session:
        return await plan_repo.all_plans(session)


async def add_plan(
    database: Database, title: str, department: str = "", *, as_of: date
) -> ListChange:
    """A plan for one department (as the org chart spells it), or council-wide if none."""
    title = clean_title(title)
    async with database.sessions() as session:
        known = sorted(d for d in await plan_repo.headcount_by_department(session, as_of) if d)
    department = match_department(department, known)
    existing = {(e.title.lower(), e.department): e for e in await list_plans(database)}
    old = existing.get((title.lower(), department))
    async with database.transaction() as session:
        plan_id = await plan_repo.add_plan(
            session, old.title if old is not None else title, department
        )
    return after_adding(old, ListEntry(plan_id, title, department, True))


async def retire_plan(database: Database, plan_id: int) -> ListChange:
    entry = find_entry(await list_plans(database), plan_id, "service plan", "plans")
    async with database.transaction() as session:
        await plan_repo.retire_plan(session, plan_id)
        linked = await priority_repo.open_objectives_linked(session, plan_id=plan_id)
    return after_retiring(entry, linked)
