"""How often one-to-ones should happen, and whether each report's next one is due.

Plain rules, no Bot Framework and no database. The interval is the council default unless HR
set one for the team or the employee (the employee's wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

DEFAULT_CADENCE_DAYS = 28
DEFAULT_DUE_SOON_DAYS = 7

CadenceState = Literal["on_track", "due_soon", "overdue", "never_held"]


@dataclass(frozen=True)
class CadenceStatus:
    last_held: date | None
    next_due: date
    days_since: int | None  # None when never held
    days_overdue: int  # 0 unless overdue
    state: CadenceState

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"


def _validate_interval(days: int, what: str) -> None:
    if days < 1:
        raise ValueError(f"{what} must be at least 1 day, got {days}")


def cadence_status(
    *,
    last_held: date | None,
    start_date: date,
    as_of: date,
    interval_days: int = DEFAULT_CADENCE_DAYS,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> CadenceStatus:
    """Where a report stands on ``as_of``.

    The next one-to-one is due ``interval_days`` after the last one, or after the start date
    if there has never been one. On the due date itself it is due soon, the day after overdue.
    Someone never seen but still inside their first interval is "never_held", not overdue.
    """
    _validate_interval(interval_days, "interval_days")
    if due_soon_days < 0:
        raise ValueError(f"due_soon_days must not be negative, got {due_soon_days}")
    anchor = last_held if last_held is not None else start_date
    next_due = anchor + timedelta(days=interval_days)
    days_overdue = max(0, (as_of - next_due).days)
    days_since = None if last_held is None else (as_of - last_held).days
    return CadenceStatus(
        last_held=last_held,
        next_due=next_due,
        days_since=days_since,
        days_overdue=days_overdue,
        state=_state(last_held, next_due, as_of, due_soon_days),
    )


def _state(last_held: date | None, next_due: date, as_of: date, due_soon_days: int) -> CadenceState:
    days_left = (next_due - as_of).days
    if days_left < 0:
        return "overdue"
    if last_held is None:
        return "never_held"
    if days_left <= due_soon_days:
        return "due_soon"
    return "on_track"


def effective_interval(
    employee_override: int | None,
    team_override: int | None,
    default: int = DEFAULT_CADENCE_DAYS,
) -> int:
    """The employee's own interval, else their team's, else the default."""
    for days, what in (
        (employee_override, "employee_override"),
        (team_override, "team_override"),
    ):
        if days is not None:
            _validate_interval(days, what)
            return days
    _validate_interval(default, "default")
    return default
