"""The lists HR keeps for the golden thread: council priorities and service plans.

Objectives link to them, so nothing is ever deleted: retiring an entry takes it off the
choices offered for new objectives, and objectives that link to it keep the link. Adding a
title that is already on the list (in any case) makes that entry active again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage import objectives as plan_repo
from storage import priorities as priority_repo
from storage.database import Database

MAX_TITLE = 200  # the width of the title columns


class ListError(ValueError):
    """Why HR's change cannot be made; the message is safe to show."""


@dataclass(frozen=True)
class ListEntry:
    id: int
    title: str
    department: str  # "" for a priority or a council-wide plan
    active: bool


@dataclass(frozen=True)
class ListChange:
    entry: ListEntry
    outcome: str  # "added", "restored", "already active", "retired" or "already retired"
    open_objectives: int = 0  # objectives not yet closed that link to it


def _title(raw: str) -> str:
    title = " ".join(raw.split())
    if not title:
        raise ListError("the title is empty")
    if len(title) > MAX_TITLE:
        raise ListError(f"the title is longer than {MAX_TITLE} characters")
    return title


# --- council priorities -----------------------------------------------------------------------


async def list_priorities(database: Database) -> list[ListEntry]:
    """Every council priority in the order the bot offers them, retired ones included."""
    async with database.sessions() as session:
        rows = await priority_repo.all_priorities(session)
    return [ListEntry(r.id, r.title, "", r.active) for r in rows]


async def add_priority(database: Database, title: str) -> ListChange:
    title = _title(title)
    before = {e.title.lower(): e for e in await list_priorities(database)}
    async with database.transaction() as session:
        priority_id = await priority_repo.add_priority(session, title)
    old = before.get(title.lower())
    if old is None:
        return ListChange(ListEntry(priority_id, title, "", True), "added")
    outcome = "already active" if old.active else "restored"
    return ListChange(ListEntry(old.id, old.title, "", True), outcome)


async def retire_priority(database: Database, priority_id: int) -> ListChange:
    entry = _find(await list_priorities(database), priority_id, "council priority", "priorities")
    async with database.transaction() as session:
        await priority_repo.retire_priority(session, priority_id)
        linked = await priority_repo.open_objectives_linked(session, priority_id=priority_id)
    outcome = "retired" if entry.active else "already retired"
    return ListChange(ListEntry(entry.id, entry.title, "", False), outcome, linked)


# --- service plans ----------------------------------------------------------------------------


async def list_plans(database: Database) -> list[ListEntry]:
    """Every service plan by department (council-wide ones first), retired ones included."""
    async with database.sessions() as session:
        rows = await plan_repo.all_plans(session)
    return [ListEntry(*row) for row in rows]


async def add_plan(
    database: Database, title: str, department: str = "", *, as_of: date
) -> ListChange:
    """A plan for one department (as the org chart spells it), or council-wide if none."""
    title = _title(title)
    department = await _department(database, department, as_of)
    existing = {(e.title.lower(), e.department): e for e in await list_plans(database)}
    old = existing.get((title.lower(), department))
    if old is not None:
        title = old.title
    async with database.transaction() as session:
        plan_id = await plan_repo.add_plan(session, title, department)
    if old is None:
        return ListChange(ListEntry(plan_id, title, department, True), "added")
    outcome = "already active" if old.active else "restored"
    return ListChange(ListEntry(old.id, old.title, department, True), outcome)


async def retire_plan(database: Database, plan_id: int) -> ListChange:
    entry = _find(await list_plans(database), plan_id, "service plan", "plans")
    async with database.transaction() as session:
        await plan_repo.retire_plan(session, plan_id)
        linked = await priority_repo.open_objectives_linked(session, plan_id=plan_id)
    outcome = "retired" if entry.active else "already retired"
    return ListChange(ListEntry(entry.id, entry.title, entry.department, False), outcome, linked)


async def _department(database: Database, raw: str, as_of: date) -> str:
    """The department as the org chart spells it: a typo would hide the plan from everyone."""
    wanted = " ".join(raw.split())
    if not wanted:
        return ""
    async with database.sessions() as session:
        known = sorted(d for d in await plan_repo.headcount_by_department(session, as_of) if d)
    for department in known:
        if department.lower() == wanted.lower():
            return department
    if not known:
        raise ListError(
            f"there is no department '{wanted}': nobody is in the org chart yet "
            "(import it first, or leave out --department for a council-wide plan)"
        )
    raise ListError(
        f"there is no department '{wanted}' in the org chart; the departments are "
        + ", ".join(known)
    )


def _find(entries: list[ListEntry], entry_id: int, what: str, command: str) -> ListEntry:
    for entry in entries:
        if entry.id == entry_id:
            return entry
    raise ListError(f"there is no {what} with id {entry_id}; `charter {command} list` shows them")


# --- for the command line ---------------------------------------------------------------------


def entries_table(entries: list[ListEntry], *, with_department: bool) -> str:
    """``ID  Title  [Department]  Status`` as aligned text, one entry a line."""
    if not entries:
        return "The list is empty."
    header = ["ID", "Title", *(["Department"] if with_department else []), "Status"]
    rows = [
        [
            str(e.id),
            e.title,
            *([e.department or "(council-wide)"] if with_department else []),
            "active" if e.active else "retired",
        ]
        for e in entries
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def render(row: list[str]) -> str:
        rest = (cell.ljust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join([row[0].rjust(widths[0]), *rest]).rstrip()

    return "\n".join(render(row) for row in (header, *rows))


def describe_change(change: ListChange, what: str) -> str:
    """What happened, in a sentence or two, e.g. ``added council priority 6: …``."""
    entry = change.entry
    where = f" ({entry.department})" if entry.department else ""
    name = f"{what} {entry.id}: {entry.title}{where}"
    if change.outcome == "added":
        return f"added {name}"
    if change.outcome == "restored":
        return f"{name} was retired; it is active again"
    if change.outcome == "already active":
        return f"{name} is already on the list"
    text = f"retired {name}" if change.outcome == "retired" else f"{name} was already retired"
    if change.open_objectives:
        count = change.open_objectives
        text += (
            f"\n{count} objective{'s' if count != 1 else ''} not yet closed still link to it: "
            "they keep the link, but it is no longer offered for new objectives."
        )
    return text
