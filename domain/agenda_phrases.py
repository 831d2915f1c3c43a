"""The agenda's typed phrases: "add to my 1:1 agenda: …" and "next 1:1 with Rhys Tuesday 10am".

Plain parsing, no database: the day words look forward (a one-to-one is planned, not logged),
so "Tuesday" is the next Tuesday after today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from domain.date_words import MONTHS

_MEETING = r"(?:1:1|1-1|121|1-2-1|one[- ]to[- ]one|one to one|supervision)"
_ADD = re.compile(
    rf"^\s*add\s+(?:this\s+)?to\s+(?:my\s+)?(?:{_MEETING}\s+)?agenda\b\s*[:\-\u2013]?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_NEXT = re.compile(
    rf"^\s*(?:plan\s+)?(?:the\s+)?next\s+{_MEETING}\s+with\s+(?P<rest>.+)$", re.IGNORECASE
)
_TIME = re.compile(
    r"\b(?:at\s+)?(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?\b", re.IGNORECASE
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = re.compile(
    r"\b(?:on\s+)?(?:(?P<rel>today|tomorrow)|(?:next\s+)?(?P<weekday>mon|tue|tues|wed|thu|thur|"
    r"thurs|fri|sat|sun)[a-z]*|(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]{3,9})|"
    r"(?P<iso>\d{4}-\d{2}-\d{2})|(?P<dd>\d{1,2})/(?P<mm>\d{1,2}))\b",
    re.IGNORECASE,
)


def added_point(text: str) -> str | None:
    """The point in "add to my 1:1 agenda: <point>" ("" when no point followed), or None."""
    found = _ADD.match(text or "")
    return found["rest"].strip() if found else None


@dataclass(frozen=True)
class NextRequest:
    name: str
    day: date | None
    at: time | None


def _weekday_after(today: date, word: str) -> date:
    wanted = next(i for i, name in enumerate(_WEEKDAYS) if name.startswith(word[:3].lower()))
    ahead = (wanted - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _month_day(day: int, month_word: str, today: date) -> date | None:
    month = next((i for i, m in enumerate(MONTHS, 1) if m.startswith(month_word[:3].lower())), 0)
    if not month:
        return None
    for year in (today.year, today.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if found >= today:
            return found
    return None


def _day(m: re.Match[str], today: date) -> date | None:
    if m["rel"]:
        return today + timedelta(days=1 if m["rel"].lower() == "tomorrow" else 0)
    if m["weekday"]:
        return _weekday_after(today, m["weekday"])
    if m["month"]:
        return _month_day(int(m["d"]), m["month"], today)
    if m["iso"]:
        try:
            return date.fromisoformat(m["iso"])
        except ValueError:
            return None
    return _month_day(
        int(m["dd"]), MONTHS[int(m["mm"]) - 1] if 1 <= int(m["mm"]) <= 12 else "", today
    )


def _time(m: re.Match[str]) -> time | None:
    hour, minute = int(m["hour"]), int(m["minute"] or 0)
    half = (m["half"] or "").lower()
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    elif not half and m["minute"] is None:
        return None  # a bare number is not a time
    elif not half and 1 <= hour <= 7:
        hour += 12  # "3:30" at work is the afternoon
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def next_request(text: str, today: date) -> NextRequest | None:
    """ "next 1:1 with Rhys Tuesday 10am" -> Rhys, the coming Tuesday, 10:00."""
    found = _NEXT.match(text or "")
    if found is None:
        return None
    rest = found["rest"].strip().rstrip(".!?")
    day_match = _DAY.search(rest)
    time_match = None
    for candidate in _TIME.finditer(rest):
        if day_match and day_match.start() <= candidate.start() < day_match.end():
            continue
        if _time(candidate) is not None:
            time_match = candidate
            break
    cut = min((m.start() for m in (day_match, time_match) if m is not None), default=len(rest))
    name = rest[:cut].strip(" ,")
    if not name:
        return None
    return NextRequest(
        name,
        _day(day_match, today) if day_match else None,
        _time(time_match) if time_match else None,
    )
