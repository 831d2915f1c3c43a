"""When each person's Annual Performance Review (APR) is due.

Plain rules, no Bot Framework and no database. Callers pass ``as_of`` so the rules stay testable.

A cycle is one year. With a fixed window (the council default, 1 April to 30 June) the cycle year
runs from the window opening to the day before next year's window opens, so from July to March
the current window is the one that has already closed: someone who missed it stays overdue until
the new cycle starts. With the anniversary kind each person's cycle starts on the anniversary of
their start date and the window runs for ``anniversary_grace_days`` after it.

An APR counts towards a cycle if it was held from ``due_soon_days`` before that cycle's window
opened up to the day before the next window opens. So an APR held in the run-up to a window
counts for the coming cycle as well as (late) for the one ending.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.date_words import plural


class CycleKind(StrEnum):
    FIXED_WINDOW = "fixed_window"
    ANNIVERSARY = "anniversary"


class AprState(StrEnum):
    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    DUE = "due"
    OVERDUE = "overdue"
    COMPLETED = "completed"


# Month/day checks use a leap year so that the only odd day, 29 February, is caught explicitly.
_LEAP_YEAR = 2000
_NON_LEAP_YEAR = 2001


@dataclass(frozen=True)
class AprCyclePolicy:
    kind: CycleKind = CycleKind.FIXED_WINDOW
    window_start: tuple[int, int] = (4, 1)  # (month, day): 1 April
    window_end: tuple[int, int] = (6, 30)  # (month, day): 30 June, inclusive
    probation_months: int = 6
    due_soon_days: int = 30
    anniversary_grace_days: int = 30

    def __post_init__(self) -> None:
        if not isinstance(self.kind, CycleKind):
            object.__setattr__(self, "kind", CycleKind(self.kind))
        _validate_month_day(self.window_start, "window_start")
        _validate_month_day(self.window_end, "window_end")
        if self.window_end < self.window_start:
            raise ValueError(
                f"window_end {self.window_end} must not be before window_start "
                f"{self.window_start}; a window cannot wrap the year end"
            )
        for name in ("probation_months", "due_soon_days", "anniversary_grace_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")
        if self.anniversary_grace_days >= 365:
            raise ValueError("anniversary_grace_days must be less than a year")
        gap = self._shortest_gap_between_windows()
        if self.due_soon_days >= gap:
            raise ValueError(
                f"due_soon_days ({self.due_soon_days}) must be less than the {gap} days "
                "between one window closing and the next opening"
            )

    def _shortest_gap_between_windows(self) -> int:
        if self.kind is CycleKind.ANNIVERSARY:
            return 365 - self.anniversary_grace_days
        closes = date(_NON_LEAP_YEAR, *self.window_end)
        next_opens = date(_NON_LEAP_YEAR + 1, *self.window_start)
        return (next_opens - closes).days


@dataclass(frozen=True)
class AprWindow:
    cycle_label: str  # "2026/27" for a fixed window opening in 2026, "2026" for an anniversary
    opens: date
    closes: date  # inclusive


@dataclass(frozen=True)
class AprStatus:
    state: AprState
    window: AprWindow | None
    days_overdue: int  # 0 unless overdue: days since the window closed
    days_until_due: int | None  # days until the person becomes due, when that is in the future
    reason: str

    @property
    def is_overdue(self) -> bool:
        return self.state is AprState.OVERDUE

    @property
    def summary(self) -> str:
        """The state and why, said once: "Overdue by 159 days", "Not due: Starts on ..."."""
        state = self.state.value.replace("_", " ").capitalize()
        if self.reason.lower().startswith(state.lower()):
            return self.reason
        return f"{state}: {self.reason}"


def _validate_month_day(month_day: tuple[int, int], what: str) -> None:
    if tuple(month_day) == (2, 29):
        raise ValueError(f"{what} cannot be 29 February; use 28 February or 1 March")
    try:
        month, day = month_day
        date(_LEAP_YEAR, month, day)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} {month_day} is not a valid (month, day)") from exc


def long_date(day: date) -> str:
    """UK style, e.g. "7 March 2027"."""
    return f"{day.day} {day:%B %Y}"


def add_months(start: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to the end of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def probation_ends(start_date: date, months: int) -> date:
    """The first day out of probation: ``months`` after the start date, clamped to month end."""
    if months < 0:
        raise ValueError(f"months must not be negative, got {months}")
    return add_months(start_date, months)


def _anniversary(start_date: date, year: int) -> date:
    """The start date's anniversary in ``year``; 29 February becomes 28 February."""
    day = min(start_date.day, calendar.monthrange(year, start_date.month)[1])
    return date(year, start_date.month, day)


def _fixed_window(policy: AprCyclePolicy, year: int) -> AprWindow:
    label = str(year) if policy.window_start == (1, 1) else f"{year}/{(year + 1) % 100:02d}"
    return AprWindow(
        cycle_label=label,
        opens=date(year, *policy.window_start),
        closes=date(year, *policy.window_end),
    )


def _anniversary_window(policy: AprCyclePolicy, start_date: date, year: int) -> AprWindow:
    opens = _anniversary(start_date, year)
    closes = opens + timedelta(days=policy.anniversary_grace_days)
    return AprWindow(cycle_label=str(year), opens=opens, closes=closes)


def _window_for_year(policy: AprCyclePolicy, start_date: date, year: int) -> AprWindow:
    if policy.kind is CycleKind.ANNIVERSARY:
        return _anniversary_window(policy, start_date, year)
    return _fixed_window(policy, year)


def _cycle_year(policy: AprCyclePolicy, start_date: date, as_of: date) -> int:
    """The year in which the window of the cycle containing ``as_of`` opens."""
    if policy.kind is CycleKind.ANNIVERSARY:
        if as_of < start_date:
            return start_date.year  # not started: the start itself begins the first cycle
        opens = _anniversary(start_date, as_of.year)
    else:
        opens = date(as_of.year, *policy.window_start)
    return as_of.year if as_of >= opens else as_of.year - 1


def current_window(policy: AprCyclePolicy, *, start_date: date, as_of: date) -> AprWindow:
    """The window of the cycle ``as_of`` falls in (it may already have closed)."""
    return _window_for_year(policy, start_date, _cycle_year(policy, start_date, as_of))


def next_window(policy: AprCyclePolicy, *, start_date: date, as_of: date) -> AprWindow:
    """The window of the cycle after the one ``as_of`` falls in."""
    return _window_for_year(policy, start_date, _cycle_year(policy, start_date, as_of) + 1)


def first_due_window(policy: AprCyclePolicy, *, start_date: date) -> AprWindow:
    """The window of someone's first APR: the cycle their probation ends in, unless probation
    ends after that cycle's window has closed, in which case the cycle after."""
    ends = probation_ends(start_date, policy.probation_months)
    window = current_window(policy, start_date=start_date, as_of=ends)
    if ends > window.closes:
        return next_window(policy, start_date=start_date, as_of=ends)
    return window


def _counts_for(
    policy: AprCyclePolicy, window: AprWindow, following: AprWindow, held: date
) -> bool:
    """Held in ``window``'s cycle, or in the run-up to its window opening."""
    earliest = window.opens - timedelta(days=policy.due_soon_days)
    return earliest <= held < following.opens


def _held_early_for(policy: AprCyclePolicy, upcoming: AprWindow, held: date) -> bool:
    """Held in the run-up to ``upcoming`` opening, so it already counts for that cycle."""
    return upcoming.opens - timedelta(days=policy.due_soon_days) <= held < upcoming.opens


def apr_status(
    policy: AprCyclePolicy,
    *,
    start_date: date,
    left_on: date | None,
    last_held: date | None,
    as_of: date,
) -> AprStatus:
    """Where someone stands with their APR on ``as_of``.

    ``last_held`` is the date of their most recent APR; one dated after ``as_of`` is ignored.
    """
    if left_on is not None and left_on <= as_of:
        return _not_due(None, None, f"Left on {long_date(left_on)}")
    held = last_held if last_held is not None and last_held <= as_of else None
    probation_end = probation_ends(start_date, policy.probation_months)
    if as_of < start_date or as_of < probation_end:
        first = first_due_window(policy, start_date=start_date)
        due_from = max(first.opens, probation_end)
        if as_of < start_date:
            reason = f"Starts on {long_date(start_date)}"
        else:
            reason = f"In probation until {long_date(probation_end)}"
        return _not_due(first, (due_from - as_of).days, reason)

    window = current_window(policy, start_date=start_date, as_of=as_of)
    following = next_window(policy, start_date=start_date, as_of=as_of)
    return _cycle_status(policy, window, following, probation_end, held, as_of)


def _cycle_status(
    policy: AprCyclePolicy,
    window: AprWindow,
    following: AprWindow,
    probation_end: date,
    held: date | None,
    as_of: date,
) -> AprStatus:
    """Status of someone out of probation, within the cycle of ``window``."""
    if held is not None and _held_early_for(policy, following, held):
        return _completed(following, held)
    if probation_end > window.closes:
        first = _not_due(
            following,
            (following.opens - as_of).days,
            f"First APR due in the {following.cycle_label} cycle "
            f"(window opens {long_date(following.opens)})",
        )
        return _due_soon_or(policy, following, as_of, first)
    if held is not None and _counts_for(policy, window, following, held):
        return _due_soon_or(policy, following, as_of, _completed(window, held))
    # Once someone has started, the current window has always opened by ``as_of``.
    if as_of <= window.closes:
        return AprStatus(
            state=AprState.DUE,
            window=window,
            days_overdue=0,
            days_until_due=None,
            reason=f"Due by {long_date(window.closes)}",
        )
    days_overdue = (as_of - window.closes).days
    return AprStatus(
        state=AprState.OVERDUE,
        window=window,
        days_overdue=days_overdue,
        days_until_due=None,
        reason=f"Overdue by {plural(days_overdue, 'day')}",
    )


def _not_due(window: AprWindow | None, days_until_due: int | None, reason: str) -> AprStatus:
    return AprStatus(
        state=AprState.NOT_DUE,
        window=window,
        days_overdue=0,
        days_until_due=days_until_due,
        reason=reason,
    )


def _completed(window: AprWindow, held: date) -> AprStatus:
    return AprStatus(
        state=AprState.COMPLETED,
        window=window,
        days_overdue=0,
        days_until_due=None,
        reason=f"Held {long_date(held)}",
    )


def _due_soon_or(
    policy: AprCyclePolicy, upcoming: AprWindow, as_of: date, otherwise: AprStatus
) -> AprStatus:
    """DUE_SOON if ``upcoming`` opens within ``due_soon_days``, else ``otherwise``."""
    days_left = (upcoming.opens - as_of).days
    if not 0 < days_left <= policy.due_soon_days:
        return otherwise
    return AprStatus(
        state=AprState.DUE_SOON,
        window=upcoming,
        days_overdue=0,
        days_until_due=days_left,
        reason=f"Window opens {long_date(upcoming.opens)}",
    )
