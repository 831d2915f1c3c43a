"""Working days: a person's working pattern and the bank holidays of England and Wales.

Plain rules, no Bot Framework and no database. A working day is a day of the week in the
person's pattern that is not a bank holiday. England and Wales share bank holidays, so one
calendar serves both. Callers pass dates explicitly so the rules stay testable.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays as holidays_lib

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SHORT_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Every spelling accepted for each weekday (Monday=0), lower case.
_DAY_SPELLINGS: dict[str, int] = {}
for _index, _spellings in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _spelling in _spellings:
        _DAY_SPELLINGS[_spelling] = _index

_RANGE_SPLIT = re.compile(r"\s*(?:-|\u2013|\u2014|\bto\b)\s*")

# A scan for the next working day gives up after this many days (a pattern with no working days
# left once bank holidays are removed is a configuration error, not a reason to loop forever).
_MAX_SCAN_DAYS = 366 * 2


@dataclass(frozen=True)
class WorkingPattern:
    """The days of the week someone works (Monday=0 … Sunday=6); Monday to Friday by default."""

    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))

    def __post_init__(self) -> None:
        weekdays = frozenset(self.weekdays)
        if not weekdays:
            raise ValueError("a working pattern needs at least one working day")
        bad = sorted(d for d in weekdays if not isinstance(d, int) or not 0 <= d <= 6)
        if bad:
            raise ValueError(f"weekdays must be 0 (Monday) to 6 (Sunday), got {bad}")
        object.__setattr__(self, "weekdays", weekdays)

    @classmethod
    def parse(cls, text: str) -> WorkingPattern:
        """Read "Mon-Fri", "Mon,Tue,Thu", "mon-wed,fri", "Monday to Saturday" and the like.

        Case does not matter. Parts are separated by commas (or "and"); a range may wrap past
        Sunday ("Fri-Mon" is Friday, Saturday, Sunday and Monday).
        """
        parts = [p.strip() for p in re.split(r",|\band\b|&", text.strip().lower())]
        parts = [p for p in parts if p]
        if not parts:
            raise ValueError(
                f"{text!r} is not a working pattern; try something like 'Mon-Fri' or 'Mon,Wed,Fri'"
            )
        weekdays: set[int] = set()
        for part in parts:
            weekdays.update(_parse_part(part, text))
        return cls(frozenset(weekdays))

    def works_on(self, d: date) -> bool:
        """Whether ``d`` falls on one of the pattern's days of the week (ignores holidays)."""
        return d.weekday() in self.weekdays

    def describe(self) -> str:
        """Plain English: "Monday to Friday", "Monday, Wednesday and Friday"."""
        pieces = [_describe_run(run, WEEKDAY_NAMES, " to ") for run in self._runs()]
        return _join_words([p for piece in pieces for p in piece])

    def to_text(self) -> str:
        """A short form that ``parse`` reads back: "Mon-Fri", "Mon,Wed,Fri"."""
        pieces = [_describe_run(run, _SHORT_NAMES, "-") for run in self._runs()]
        return ",".join(p for piece in pieces for p in piece)

    def _runs(self) -> list[list[int]]:
        """Consecutive days, Monday first."""
        runs: list[list[int]] = []
        for day in sorted(self.weekdays):
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        return runs


def _parse_day(word: str, text: str) -> int:
    day = _DAY_SPELLINGS.get(word.strip().rstrip("."))
    if day is None:
        raise ValueError(
            f"{word.strip()!r} in {text!r} is not a day of the week; "
            "use names like Mon, Tue or Wednesday, e.g. 'Mon-Fri' or 'Mon,Wed,Fri'"
        )
    return day


def _parse_part(part: str, text: str) -> list[int]:
    ends = _RANGE_SPLIT.split(part)
    if len(ends) == 1:
        return [_parse_day(ends[0], text)]
    if len(ends) != 2 or not all(ends):
        raise ValueError(f"{part!r} in {text!r} is not a day or a range like 'Mon-Fri'")
    first, last = (_parse_day(end, text) for end in ends)
    length = (last - first) % 7 + 1
    return [(first + i) % 7 for i in range(length)]


def _describe_run(run: list[int], names: tuple[str, ...], joiner: str) -> list[str]:
    if len(run) >= 3:
        return [f"{names[run[0]]}{joiner}{names[run[-1]]}"]
    return [names[d] for d in run]


def _join_words(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} and {words[-1]}"


DEFAULT_PATTERN = WorkingPattern()


class BankHolidays:
    """Bank holidays in England and Wales, loaded a year at a time on first use.

    ``extra`` adds one-off dates (a council closure day, or a test fixture); they are named
    "Additional closure day". Once loaded, a year is only read, so sharing an instance between
    threads is safe; a lock stops two threads loading the same year twice.
    """

    EXTRA_NAME = "Additional closure day"

    def __init__(self, extra: Iterable[date] = ()) -> None:
        self._extra = frozenset(extra)
        self._years: dict[int, dict[date, str]] = {}
        self._lock = threading.Lock()

    def is_holiday(self, d: date) -> bool:
        return self.name(d) is not None

    def name(self, d: date) -> str | None:
        """The holiday's name ("Good Friday", "Boxing Day (observed)"), or None."""
        found = self._year(d.year).get(d)
        if found is None and d in self._extra:
            return self.EXTRA_NAME
        return found

    def _year(self, year: int) -> dict[date, str]:
        loaded = self._years.get(year)
        if loaded is not None:
            return loaded
        with self._lock:
            if year not in self._years:
                calendar = holidays_lib.country_holidays("GB", subdiv="ENG", years=year)
                self._years[year] = dict(calendar.items())
            return self._years[year]


ENGLAND_AND_WALES = BankHolidays()


def is_working_day(
    d: date,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> bool:
    """A day in the pattern that is not a bank holiday."""
    return pattern.works_on(d) and not holidays.is_holiday(d)


def next_working_day(
    d: date,
    *,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
    inclusive: bool,
) -> date:
    """The first working day from ``d`` (itself, if ``inclusive``) or strictly after it."""
    return _scan(d if inclusive else d + timedelta(days=1), 1, pattern, holidays)


def previous_working_day(
    d: date,
    *,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> date:
    """The last working day strictly before ``d``."""
    return _scan(d - timedelta(days=1), -1, pattern, holidays)


def _scan(day: date, step: int, pattern: WorkingPattern, holidays: BankHolidays) -> date:
    """The first working day from ``day``, going ``step`` days at a time."""
    start = day
    for _ in range(_MAX_SCAN_DAYS):
        if is_working_day(day, pattern, holidays):
            return day
        day += timedelta(days=step)
    raise ValueError(f"no working day within {_MAX_SCAN_DAYS} days of {start.isoformat()}")


def add_working_days(
    d: date,
    n: int,
    *,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> date:
    """The ``n``th working day after ``d`` (counting from the day after); ``d`` itself if n=0."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    day = d
    for _ in range(n):
        day = next_working_day(day, pattern=pattern, holidays=holidays, inclusive=False)
    return day


def working_days_between(
    start: date,
    end: date,
    *,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> int:
    """Working days from ``start`` to ``end``, both included; 0 if ``end`` is before ``start``."""
    days = (end - start).days + 1
    return sum(
        1
        for i in range(max(0, days))
        if is_working_day(start + timedelta(days=i), pattern, holidays)
    )
