"""One-to-ones as rules, without a database: the four areas, HR's policy, what a valid record
is (read from a submitted card and checked), and the part staff may see.

Every employee is entitled to regular, consistent one-to-ones covering Managing,
Developing, Supporting, and Health, Safety and Wellbeing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain import form_values as form
from domain.cadence import DEFAULT_CADENCE_DAYS, CadenceStatus
from domain.errors import Invalid, Refused
from domain.people import Person
from domain.records import ActionView, OneToOneView

MAX_NOTE_CHARS = 4000
MAX_ACTION_CHARS = 500
ACTION_ROWS = 3
OWNERS = ("employee", "manager")


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    hint: str


AREAS: tuple[Area, ...] = (
    Area(
        "managing",
        "Managing",
        "Progress on agreed objectives and outcomes, priorities and workload.",
    ),
    Area(
        "developing",
        "Developing",
        "Learning, skills and feedback: what they want to grow into, and how.",
    ),
    Area(
        "supporting",
        "Supporting",
        "What they need from you and the team; recognise what has gone well.",
    ),
    Area(
        "wellbeing",
        "Health, Safety and Wellbeing",
        "How they really are: pressure, health, safety at work, work-life balance.",
    ),
)
AREA_TITLES = {a.key: a.title for a in AREAS}


DEFAULT_SIGNPOSTS: tuple[str, ...] = (
    "Occupational Health: confidential advice on health and work; you or HR can refer them.",
    "Employee Assistance Programme: free, confidential counselling and advice, any time.",
    "Mental Health First Aiders: trained colleagues who listen in confidence and signpost.",
)


@dataclass(frozen=True)
class OneToOnePolicy:
    """HR's settings for one-to-ones."""

    default_cadence_days: int = DEFAULT_CADENCE_DAYS
    edit_window_days: int = 7
    notify_employee: bool = True
    manager_summary: bool = True
    signposts: tuple[str, ...] = DEFAULT_SIGNPOSTS


@dataclass(frozen=True)
class ActionDraft:
    text: str
    owner: str
    due_on: date | None


@dataclass(frozen=True)
class OneToOneDraft:
    held_on: date | None
    notes: dict[str, str]
    shared_notes: str = ""
    private_note: str = ""
    wellbeing_concern: bool = False
    actions: tuple[ActionDraft, ...] = ()


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


# A second identical one-to-one within this time is the same form sent twice.
DUPLICATE_WINDOW = timedelta(minutes=10)


class NotPermitted(Refused):
    """The person may not do this; the message is safe to show them."""


class InvalidOneToOne(Invalid):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# --- reading a submitted card ------------------------------------------------------------


def _date(values: Mapping[str, object], key: str, label: str) -> tuple[date | None, list[Problem]]:
    """The date at ``key``, with a problem when something was typed that isn't a date."""
    found = form.iso_date(values, key)
    if found is None and form.text(values, key):
        return None, [Problem(key, f"{label} isn't a date I recognise.")]
    return found, []


def draft_from_form(values: Mapping[str, object]) -> tuple[OneToOneDraft, list[Problem]]:
    """Read the card's values (strings, or anything a hostile client sends) into a draft."""
    problems: list[Problem] = []
    held_on, bad = _date(values, "held_on", "The date held")
    problems += bad
    actions = []
    for i in range(1, ACTION_ROWS + 1):
        text = form.text(values, f"action_{i}_text")
        owner = form.text(values, f"action_{i}_owner") or "employee"
        due_on, bad = _date(values, f"action_{i}_due", f"Action {i}'s due date")
        problems += bad
        if not text:
            if due_on is not None:
                problems.append(Problem(f"action_{i}_text", f"Action {i} has a date but no text."))
            continue
        if owner not in OWNERS:
            problems.append(Problem(f"action_{i}_owner", f"Action {i} needs an owner."))
        actions.append(ActionDraft(text, owner, due_on))
    draft = OneToOneDraft(
        held_on=held_on,
        notes={area.key: form.text(values, area.key) for area in AREAS},
        shared_notes=form.text(values, "shared_notes"),
        private_note=form.text(values, "private_note"),
        wellbeing_concern=form.flag(values, "wellbeing_concern"),
        actions=tuple(actions),
    )
    return draft, problems


def check_draft(draft: OneToOneDraft, *, report: Person, today: date) -> list[Problem]:
    """Everything wrong with the draft, each with a message a manager understands."""
    problems: list[Problem] = []
    if draft.held_on is None:
        problems.append(Problem("held_on", "Please give the date you met."))
    elif draft.held_on > today:
        problems.append(Problem("held_on", "The date can't be in the future."))
    elif draft.held_on < report.start_date:
        problems.append(
            Problem(
                "held_on",
                f"{report.first_name} started on {report.start_date:%-d %B %Y}; "
                "the one-to-one can't be before that.",
            )
        )
    if not any(draft.notes.get(a.key) for a in AREAS):
        problems.append(Problem("areas", "Write something for at least one of the four areas."))
    labelled = [(a.key, a.title, draft.notes.get(a.key, "")) for a in AREAS] + [
        ("shared_notes", "Shared notes", draft.shared_notes),
        ("private_note", "Your private note", draft.private_note),
    ]
    for key, label, text in labelled:
        if len(text) > MAX_NOTE_CHARS:
            problems.append(
                Problem(
                    key,
                    f"{label} is {len(text):,} characters; please keep it under "
                    f"{MAX_NOTE_CHARS:,}.",
                )
            )
    for i, action in enumerate(draft.actions, start=1):
        if len(action.text) > MAX_ACTION_CHARS:
            problems.append(
                Problem(f"action_{i}_text", f"Action {i} is too long ({MAX_ACTION_CHARS} max).")
            )
    return problems


# --- what staff may see -------------------------------------------------------------------


@dataclass(frozen=True)
class SharedOneToOne:
    """The part of a one-to-one the employee sees: never the area notes or private note."""

    id: int
    held_on: date
    manager_name: str | None
    areas_covered: tuple[str, ...]
    shared_notes: str
    actions: tuple[ActionView, ...]
    acknowledged: bool
    employee_comment: str | None


def shared_part(record: OneToOneView, manager_name: str | None) -> SharedOneToOne:
    return SharedOneToOne(
        id=record.id,
        held_on=record.held_on,
        manager_name=manager_name,
        areas_covered=tuple(AREA_TITLES[k] for k in record.areas_covered),
        shared_notes=record.shared_notes,
        actions=record.actions,
        acknowledged=record.acknowledged_at is not None,
        employee_comment=record.employee_comment,
    )


@dataclass(frozen=True)
class TeamMemberCadence:
    person: Person
    interval_days: int
    status: CadenceStatus


@dataclass(frozen=True)
class Logged:
    record: OneToOneView
    report: Person
    carried_actions: tuple[ActionView, ...] = field(default_factory=tuple)
