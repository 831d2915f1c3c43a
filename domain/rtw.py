"""The return-to-work (RTW) clock after a period of sickness absence.

Plain rules, no Bot Framework and no database. Callers pass ``as_of`` so the rules stay testable.

Practice is a return-to-work conversation after every period of sickness absence, on the first
working day back or within a few working days of it. ``absence_end`` is the last day of absence
(inclusive), so the conversation is due on the next working day after it and the deadline is
``deadline_days`` working days later. Working days follow the person's pattern and skip bank
holidays in England and Wales.

Long-term absence (more than 28 continuous calendar days) brings keep-in-touch contact, and an
absence of more than 7 calendar days needs a fit note (self-certification covers up to 7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.working_days import (
    DEFAULT_PATTERN,
    ENGLAND_AND_WALES,
    BankHolidays,
    WorkingPattern,
    add_working_days,
    next_working_day,
    working_days_between,
)

DEFAULT_RTW_DEADLINE_DAYS = 3
DEFAULT_LONG_TERM_DAYS = 28
DEFAULT_KEEP_IN_TOUCH_DAYS = 14
SELF_CERTIFICATION_DAYS = 7


class RtwState(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    OVERDUE = "overdue"
    HELD_ON_TIME = "held_on_time"
    HELD_LATE = "held_late"


@dataclass(frozen=True)
class RtwDue:
    absence_end: date
    due_on: date  # the first working day after the absence's last day
    deadline: date  # due_on + deadline_days working days
    state: RtwState
    days_overdue: int  # working days past the deadline (as of today, or when held late); else 0
    held_on: date | None = None

    @property
    def is_overdue(self) -> bool:
        return self.state is RtwState.OVERDUE


def rtw_due(
    *,
    absence_end: date,
    as_of: date,
    held_on: date | None = None,
    deadline_days: int = DEFAULT_RTW_DEADLINE_DAYS,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> RtwDue:
    """Where the return-to-work conversation for one absence stands on ``as_of``.

    Not yet due before the first working day back; due from then up to and including the
    deadline; overdue after it. Once held, it was on time if held on or before the deadline.
    A day after the deadline that is not a working day (a weekend) is overdue by 0 working days.
    """
    if deadline_days < 0:
        raise ValueError(f"deadline_days must not be negative, got {deadline_days}")
    due_on = next_working_day(absence_end, pattern=pattern, holidays=holidays, inclusive=False)
    deadline = add_working_days(due_on, deadline_days, pattern=pattern, holidays=holidays)

    def working_days_late(on: date) -> int:
        return working_days_between(
            deadline + timedelta(days=1), on, pattern=pattern, holidays=holidays
        )

    if held_on is not None:
        late = held_on > deadline
        state = RtwState.HELD_LATE if late else RtwState.HELD_ON_TIME
        days_overdue = working_days_late(held_on) if late else 0
    elif as_of < due_on:
        state, days_overdue = RtwState.NOT_YET_DUE, 0
    elif as_of <= deadline:
        state, days_overdue = RtwState.DUE, 0
    else:
        state, days_overdue = RtwState.OVERDUE, working_days_late(as_of)
    return RtwDue(
        absence_end=absence_end,
        due_on=due_on,
        deadline=deadline,
        state=state,
        days_overdue=days_overdue,
        held_on=held_on,
    )


def absence_calendar_days(start: date, end_or_as_of: date) -> int:
    """Calendar days from ``start`` to ``end_or_as_of``, both included (0 if it ends before)."""
    return max(0, (end_or_as_of - start).days + 1)


def absence_is_long_term(
    start: date,
    end_or_none: date | None,
    as_of: date,
    threshold_days: int = DEFAULT_LONG_TERM_DAYS,
) -> bool:
    """More than ``threshold_days`` continuous calendar days (an ongoing absence runs to as_of)."""
    last_day = end_or_none if end_or_none is not None else as_of
    return absence_calendar_days(start, last_day) > threshold_days


def keep_in_touch_due(
    start: date,
    as_of: date,
    *,
    last_contact: date | None,
    every_days: int = DEFAULT_KEEP_IN_TOUCH_DAYS,
    threshold_days: int = DEFAULT_LONG_TERM_DAYS,
) -> bool:
    """For an ongoing absence: long-term, and no contact in the last ``every_days`` days.

    The last ``every_days`` days end on ``as_of``, so contact exactly ``every_days`` days ago
    makes the next one due.
    """
    if every_days < 1:
        raise ValueError(f"every_days must be at least 1, got {every_days}")
    if not absence_is_long_term(start, None, as_of, threshold_days):
        return False
    return last_contact is None or (as_of - last_contact).days >= every_days


def fit_note_expected(start: date, end_or_as_of: date) -> bool:
    """Over 7 calendar days: beyond self-certification, so a fit note is expected."""
    return absence_calendar_days(start, end_or_as_of) > SELF_CERTIFICATION_DAYS
