"""The lists HR keeps for the golden thread, council priorities and service plans: their
entries, the rules for a title and a department, and how a change reads.

Objectives link to them, so nothing is ever deleted: retiring an entry takes it off the
choices offered for new objectives, and objectives that link to it keep the link. Adding a
title that is already on the list (in any case) makes that entry active again.

Plain rules, no database: ``services.golden_thread_lists`` reads and writes the lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.records import ListEntry

MAX_TITLE = 200  # the width of the title columns


class ListError(ValueError):
    """Why HR's change cannot be made; the message is safe to show."""


@dataclass(frozen=True)
class ListChange:
    entry: ListEntry
    outcome: str  # "added", "restored", "already active", "retired" or "already retired"
    open_objectives: int = 0  # objectives not yet closed that link to it


def clean_title(raw: str) -> str:
    """The title with its spacing tidied; ListError when empty or too long."""
    title = " ".join(raw.split())
    if not title:
        raise ListError("the title is empty")
    if len(title) > MAX_TITLE:
        raise ListError(f"the title is longer than {MAX_TITLE} characters")
    return title


def after_adding(old: ListEntry | None, added: ListEntry) -> ListChange:
    """What adding a title did: a new entry, or an existing one (in any case) made active."""
    if old is None:
        return ListChange(added, "added")
    outcome = "already active" if old.active else "restored"
    return ListChange(ListEntry(old.id, old.title, added.department, True), outcome)


def after_retiring(entry: ListEntry, open_objectives: int) -> ListChange:
    outcome = "retired" if entry.active else "already retired"
    retired = ListEntry(entry.id, entry.title, entry.department, False)
    return ListChange(retired, outcome, open_objectives)


def match_department(raw: str, known: Sequence[str]) -> str:
    """The department as the org chart spells it (``known``), "" for council-wide; a typo
    would hide the plan from everyone, so an unknown one is a ListError."""
    wanted = " ".join(raw.split())
    if not wanted:
        return ""
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


def find_entry(entries: Sequence[ListEntry], entry_id: int, what: str, command: str) -> ListEntry:
    for entry in entries:
        if entry.id == entry_id:
            return entry
    raise ListError(f"there is no {what} with id {entry_id}; `charter {command} list` shows them")


def entries_table(entries: Sequence[ListEntry], *, with_department: bool) -> str:
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
