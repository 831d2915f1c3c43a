"""Dates as people type them in chat: "yesterday", "last Tuesday", "3/11", "3rd November".

Plain rules, no Bot Framework and no database. UK conventions throughout: numeric dates are
day/month, and a day and month with no year mean the most recent such day on or before today.
Callers pass ``today`` so the rules stay testable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from domain.working_days import DEFAULT_PATTERN, ENGLAND_AND_WALES, BankHolidays, WorkingPattern

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

# A day and month with no year search back this many years for a valid date (enough to find
# the last 29 February).
_YEARS_TO_SEARCH = 8

_MONTH_WORD = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_NUM_START = r"(?<![\w/:.-])"
_NUM_END = r"(?![\w/:-])(?!\.\d)"
_ON = r"(?:\bon\s+)?(?:the\s+)?"
_WEEKDAY_WORD = r"(?P<weekday>" + "|".join(WEEKDAYS) + r"|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)"


def _month_number(word: str) -> int:
    return next(i for i, name in enumerate(MONTHS, start=1) if name.startswith(word[:3]))


def _weekday_number(word: str) -> int:
    return next(i for i, name in enumerate(WEEKDAYS) if name.startswith(word[:3]))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _day_month(day: int, month: int, year_text: str | None, today: date) -> date | None:
    """A day and month, with an explicit year or else the latest one on or before today."""
    if year_text:
        return _safe_date(_full_year(year_text), month, day)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    for year in range(today.year, today.year - _YEARS_TO_SEARCH, -1):
        found = _safe_date(year, month, day)
        if found and found <= today:
            return found
    return None


def _latest_weekday(weekday: int, today: date, *, strictly_before: bool) -> date:
    back = (today.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return today - timedelta(days=back)


def _relative_day(m: re.Match[str], today: date) -> date | None:
    word = m["word"].lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    return today - timedelta(days=2)  # "the day before yesterday"


def _days_ago(m: re.Match[str], today: date) -> date | None:
    count = m["count"].lower()
    days = int(count) if count.isdigit() else _NUMBER_WORDS[count]
    unit = m["unit"].lower()
    return today - timedelta(days=days * 7 if unit.startswith("week") else days)


def _weekday(m: re.Match[str], today: date) -> date | None:
    weekday = _weekday_number(m["weekday"].lower())
    return _latest_weekday(weekday, today, strictly_before=bool(m["last"]))


def _numeric(m: re.Match[str], today: date) -> date | None:
    return _day_month(int(m["day"]), int(m["month"]), m["year"], today)


def _iso(m: re.Match[str], today: date) -> date | None:
    return _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))


def _named_month(m: re.Match[str], today: date) -> date | None:
    return _day_month(int(m["day"]), _month_number(m["month"].lower()), m["year"], today)


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], date], date | None]


def _rule(pattern: str, resolve: Callable[[re.Match[str], date], date | None]) -> _Rule:
    return _Rule(re.compile(pattern, re.IGNORECASE), resolve)


_RULES: tuple[_Rule, ...] = (
    _rule(
        _ON + r"\b(?P<word>today|yesterday|day before yesterday)\b",
        _relative_day,
    ),
    _rule(
        r"\b(?P<count>\d{1,3}|a|one|two|three|four|five|six|seven)\s+(?P<unit>days?|weeks?)"
        r"\s+ago\b",
        _days_ago,
    ),
    _rule(r"(?:\bon\s+)?(?:(?P<last>\blast)\s+)?\b" + _WEEKDAY_WORD + r"\b", _weekday),
    _rule(
        _ON + _NUM_START + r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _NUM_END,
        _iso,
    ),
    _rule(
        _ON
        + _NUM_START
        + r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?"
        + _NUM_END,
        _numeric,
    ),
    _rule(
        _ON + _NUM_START + r"(?P<day>\d{1,2})-(?P<month>\d{1,2})-(?P<year>\d{4}|\d{2})" + _NUM_END,
        _numeric,
    ),
    _rule(
        _ON
        + _NUM_START
        + r"(?P<day>\d{1,2})"
        + _ORDINAL
        + r"(?:\s+of)?\s+"
        + _MONTH_WORD
        + r"(?:,?\s+(?P<year>\d{4}))?\b",
        _named_month,
    ),
    _rule(
        _ON
        + r"\b"
        + _MONTH_WORD
        + r"\s+(?:the\s+)?(?P<day>\d{1,2})"
        + _ORDINAL
        + r"(?:,?\s+(?P<year>\d{4}))?\b",
        _named_month,
    ),
)

# Bare three-letter weekday abbreviations are ordinary words too ("I sat with...", "the sun"),
# so they only count as dates after "on" or "last".
_AMBIGUOUS_ABBREVIATIONS = frozenset({"mon", "wed", "sat", "sun"})


def _plausible(m: re.Match[str]) -> bool:
    groups = m.groupdict()
    weekday = groups.get("weekday")
    if weekday and weekday.lower() in _AMBIGUOUS_ABBREVIATIONS:
        return m[0].lower().startswith(("on ", "last "))
    return True


def _candidates(text: str, today: date) -> list[tuple[int, int, date]]:
    found = []
    for rule in _RULES:
        for m in rule.pattern.finditer(text):
            if not _plausible(m):
                continue
            resolved = rule.resolve(m, today)
            if resolved is not None:
                found.append((m.start(), m.end(), resolved))
    return found


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,.!?])", r"\1", text).strip(" ,")


def find_date_words(text: str, today: date) -> tuple[date | None, str]:
    """The first date named anywhere in ``text``, and the text without it.

    A leading "on" goes with the date ("1:1 with Rhys on 3/11" leaves "1:1 with Rhys").
    Invalid dates ("31/02") are not dates: the text comes back unchanged.
    """
    candidates = _candidates(text, today)
    if not candidates:
        return None, _tidy(text)
    start, end, found = min(candidates, key=lambda c: (c[0], -c[1]))
    return found, _tidy(text[:start] + " " + text[end:])


def parse_date_words(text: str, today: date) -> date | None:
    """The date ``text`` names ("yesterday", "last tue", "3/11", "3rd Nov"), or None."""
    return find_date_words(text, today)[0]


def format_uk(d: date) -> str:
    """``Tuesday 3 November 2026``."""
    return f"{WEEKDAYS[d.weekday()].title()} {d.day} {MONTHS[d.month - 1].title()} {d.year}"


def format_short(d: date) -> str:
    """``3 Nov 2026``."""
    return f"{d.day} {MONTHS[d.month - 1][:3].title()} {d.year}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 day``, ``2 days``, ``0 occasions``: the one place Charter counts things in words.
    ``many`` is the plural when it isn't ``word`` + "s" ("1 person", "3 people")."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def days_ago(count: int) -> str:
    """``today``, ``1 day ago``, ``12 days ago``."""
    return "today" if count == 0 else f"{plural(count, 'day')} ago"


def non_working_day(
    day: date,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> str | None:
    """Why ``day`` isn't a working day, in words ("a Sunday", "Boxing Day, a bank holiday"),
    or None when it is one. Charter asks before saving a record dated on such a day."""
    holiday = holidays.name(day)
    if holiday is not None:
        return f"{holiday}, a bank holiday"
    if not pattern.works_on(day):
        return f"a {WEEKDAYS[day.weekday()].title()}"
    return None


def non_working_question(day: date, reason: str, consequence: str = "") -> str:
    """ "Saturday 21 November 2026 is a Saturday. Save anyway?" with what saving would mean."""
    said = f"{format_uk(day)} is {reason}."
    return f"{said} {consequence} Save anyway?" if consequence else f"{said} Save anyway?"
