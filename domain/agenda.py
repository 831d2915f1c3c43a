"""The running agenda of a manager and a report, and their next planned one-to-one, as rules.

Either person adds talking points at any time; a point stays on the agenda until it is ticked
as discussed at a one-to-one, so points nobody reached carry over and say how long they have
waited. The manager may keep a private prep note beside it (never shown to the employee). The
next one-to-one is planned for a date and time; a date in the past, on a day the person does
not work, on a bank holiday or while they are away is questioned, not refused.

Plain values and rules, no database: callers pass the dates, patterns and absences.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain.cadence import cadence_status
from domain.errors import Invalid, Refused
from domain.working_days import (
    ENGLAND_AND_WALES,
    WEEKDAY_NAMES,
    BankHolidays,
    WorkingPattern,
    is_working_day,
    next_working_day,
)

MAX_POINT_CHARS = 300
MAX_PREP_NOTE_CHARS = 2000
MAX_OPEN_POINTS = 30


class AddedBy(StrEnum):
    EMPLOYEE = "employee"
    MANAGER = "manager"


class PlanStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"  # a one-to-one was logged for the planned day
    MOVED = "moved"  # rescheduled, or held on another day
    MISSED = "missed"  # the manager said it didn't happen


class NotYours(Refused):
    """Not an agenda (or plan) this person may see or change; safe to show."""


class InvalidAgenda(Invalid):
    """A talking point, note or plan that can't be saved as it is; safe to show."""


@dataclass(frozen=True)
class AgendaPoint:
    """A talking point on the agenda of ``employee_id`` and their manager."""

    id: int
    employee_id: int
    text: str
    added_by: AddedBy
    added_by_id: int | None
    added_at: datetime
    discussed_on: date | None = None
    one_to_one_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.discussed_on is None


@dataclass(frozen=True)
class PlannedOneToOne:
    id: int
    employee_id: int
    manager_id: int | None
    starts_at: datetime  # aware, in the council's time zone
    status: PlanStatus
    proposed: bool  # Charter proposed it from the cadence; the manager has not set it

    @property
    def day(self) -> date:
        return self.starts_at.date()


# --- talking points --------------------------------------------------------------------------


def clean_point(text: object) -> str:
    """A talking point as it will be saved: one line, trimmed; InvalidAgenda if unusable."""
    words = " ".join(text.split()) if isinstance(text, str) else ""
    if not words:
        raise InvalidAgenda("Please write the point you want to talk about.")
    if len(words) > MAX_POINT_CHARS:
        raise InvalidAgenda(
            f"That point is {len(words):,} characters; please keep it under {MAX_POINT_CHARS}."
        )
    return words


def clean_prep_note(text: object) -> str:
    note = text.strip() if isinstance(text, str) else ""
    if len(note) > MAX_PREP_NOTE_CHARS:
        raise InvalidAgenda(
            f"Your prep note is {len(note):,} characters; please keep it under "
            f"{MAX_PREP_NOTE_CHARS:,}."
        )
    return note


def check_room(open_points: int) -> None:
    if open_points >= MAX_OPEN_POINTS:
        raise InvalidAgenda(
            f"The agenda already has {MAX_OPEN_POINTS} open points; tick some off at your "
            "next one-to-one first."
        )


def waiting_days(point: AgendaPoint, today: date) -> int:
    return max(0, (today - point.added_at.date()).days)


def is_carried_over(point: AgendaPoint, last_held: date | None) -> bool:
    """Still open although a one-to-one was held after it was added: nobody reached it."""
    return point.is_open and last_held is not None and point.added_at.date() <= last_held


def waiting_text(point: AgendaPoint, today: date, last_held: date | None) -> str:
    """ "added today", "added 3 days ago", or "carried over, waiting 15 days"."""
    days = waiting_days(point, today)
    if is_carried_over(point, last_held):
        return f"carried over, waiting {days} day{'s' if days != 1 else ''}"
    if days == 0:
        return "added today"
    return f"added {days} day{'s' if days != 1 else ''} ago"


def open_points(points: Sequence[AgendaPoint]) -> list[AgendaPoint]:
    """The points still to discuss, oldest first."""
    return sorted((p for p in points if p.is_open), key=lambda p: (p.added_at, p.id))


def split_ticked(
    points: Sequence[AgendaPoint], ticked: Collection[int]
) -> tuple[list[AgendaPoint], list[AgendaPoint]]:
    """(discussed, carried over) among the open points; ids not on the agenda are ignored."""
    still_open = open_points(points)
    return [p for p in still_open if p.id in ticked], [p for p in still_open if p.id not in ticked]


# --- the next one-to-one ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonDays:
    """What decides whether a day suits the person: their pattern and the days they're away."""

    first_name: str
    pattern: WorkingPattern
    away_days: frozenset[date] = frozenset()
    holidays: BankHolidays = ENGLAND_AND_WALES

    def works_on(self, day: date) -> bool:
        return is_working_day(day, self.pattern, self.holidays) and day not in self.away_days


def plan_questions(starts_at: datetime, now: datetime, person: PersonDays) -> list[str]:
    """What to ask the manager before planning a one-to-one at ``starts_at`` (empty: fine)."""
    day = starts_at.date()
    questions = []
    if starts_at <= now:
        questions.append(f"{starts_at:%-d %B at %H:%M} is in the past.")
    holiday = person.holidays.name(day)
    if holiday is not None:
        questions.append(f"{day:%-d %B} is a bank holiday ({holiday}).")
    elif not person.pattern.works_on(day):
        questions.append(
            f"{person.first_name} doesn't usually work on {WEEKDAY_NAMES[day.weekday()]}s."
        )
    if day in person.away_days:
        questions.append(f"{person.first_name} is recorded as away on {day:%-d %B}.")
    return questions


def proposed_day(
    *, last_held: date | None, start_date: date, interval_days: int, today: date, person: PersonDays
) -> date:
    """The day Charter proposes from the cadence: when the next one falls due (or the next
    working day if that has passed), moved on to a day the person works and is not away."""
    due = cadence_status(
        last_held=last_held, start_date=start_date, as_of=today, interval_days=interval_days
    ).next_due
    day = max(due, today + timedelta(days=1))
    for _ in range(366):
        if person.works_on(day):
            return day
        day += timedelta(days=1)
    return next_working_day(day, pattern=person.pattern, holidays=person.holidays, inclusive=True)
