"""How long Charter keeps each kind of record, and what is due for deletion on a given day.

Pure rules with no database: a period per record type (from ``CHARTER_RETENTION``), the
event each period runs from, and the cut-off date for a day. A record is due when the event
it runs from happened *before* the cut-off: a record is always kept for the whole period,
and goes the day after its last day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Kind(StrEnum):
    ONE_TO_ONE = "one_to_one"
    AGENDA = "agenda"
    ABSENCE = "absence"
    RETURN_TO_WORK = "return_to_work"
    OBJECTIVE = "objective"
    APR = "apr"
    QUESTION = "question"
    FEEDBACK = "feedback"
    NUDGE = "nudge"
    DELEGATION = "delegation"
    PROCESSED_ACTIVITY = "processed_activity"
    STATE = "state"
    AUDIT = "audit"
    EMPLOYEE = "employee"


class Disposal(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        if self.years:
            return f"{self.years}y"
        if self.months:
            return f"{self.months}m"
        return f"{self.days}d"

    def describe(self) -> str:
        for value, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day")):
            if value:
                return f"{value} {unit}{'' if value == 1 else 's'}"
        return "0 days"

    def before(self, day: date) -> date:
        """``day`` minus this period; 29 February goes to 28 February in other years."""
        months = day.year * 12 + (day.month - 1) - (self.years * 12 + self.months)
        year, month = divmod(months, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return date(year, month + 1, min(day.day, last)) - timedelta(days=self.days)


@dataclass(frozen=True)
class Rule:
    kind: Kind
    default: Period
    runs_from: str
    disposal: Disposal
    why: str


RULES: tuple[Rule, ...] = (
    Rule(
        Kind.ONE_TO_ONE,
        Period(years=2),
        "the day the employee left",
        Disposal.DELETE,
        "supervision notes (private notes too) matter for references and any early dispute",
    ),
    Rule(
        Kind.AGENDA,
        Period(years=2),
        "the day the employee left",
        Disposal.DELETE,
        "talking points, prep notes and planned one-to-ones go with the one-to-ones they were for",
    ),
    Rule(
        Kind.ABSENCE,
        Period(years=6),
        "the last day of the absence",
        Disposal.DELETE,
        "sick pay, Equality Act and injury claims: the Limitation Act's six years",
    ),
    Rule(
        Kind.RETURN_TO_WORK,
        Period(years=6),
        "the day of the conversation",
        Disposal.DELETE,
        "goes with the absence it follows, for the same reasons",
    ),
    Rule(
        Kind.OBJECTIVE,
        Period(years=6),
        "the day the employee left",
        Disposal.DELETE,
        "evidence for pay, capability and contract claims (six years)",
    ),
    Rule(
        Kind.APR,
        Period(years=6),
        "the day the employee left",
        Disposal.DELETE,
        "evidence for pay, capability and contract claims (six years)",
    ),
    Rule(
        Kind.QUESTION,
        Period(years=1),
        "the day it was asked",
        Disposal.DELETE,
        "a year of questions is enough to improve the guidance",
    ),
    Rule(
        Kind.FEEDBACK,
        Period(years=1),
        "the day it was sent",
        Disposal.DELETE,
        "read and acted on by HR within weeks",
    ),
    Rule(
        Kind.NUDGE,
        Period(years=1),
        "the day it was queued",
        Disposal.DELETE,
        "reminder history only paces reminders (a week) and escalations (weeks)",
    ),
    Rule(
        Kind.DELEGATION,
        Period(years=6),
        "its last day",
        Disposal.DELETE,
        "says who could see a team's records, so it lives as long as the audit log",
    ),
    Rule(
        Kind.PROCESSED_ACTIVITY,
        Period(days=7),
        "the day it arrived",
        Disposal.DELETE,
        "Teams re-delivers within minutes; a week is generous",
    ),
    Rule(
        Kind.STATE,
        Period(days=30),
        "the day it was last used",
        Disposal.DELETE,
        "a conversation left for a month will not be resumed, and may hold half-typed details",
    ),
    Rule(
        Kind.AUDIT,
        Period(years=6),
        "the day of the event",
        Disposal.DELETE,
        "must outlive the records it accounts for",
    ),
    Rule(
        Kind.EMPLOYEE,
        Period(years=6),
        "the day the employee left",
        Disposal.ANONYMISE,
        "the name goes once nothing kept needs it; the row stays for counts",
    ),
)
RULES_BY_KIND: dict[Kind, Rule] = {r.kind: r for r in RULES}
DEFAULT_PERIODS: dict[Kind, Period] = {r.kind: r.default for r in RULES}

_PERIOD = re.compile(r"^\s*(\d+)\s*([ymd])\s*$", re.IGNORECASE)


class RetentionError(ValueError):
    """CHARTER_RETENTION has something Charter cannot use; the message says what."""


def parse_period(text: str) -> Period:
    match = _PERIOD.match(text)
    if not match:
        raise RetentionError(f"{text.strip()!r} is not a period like 6y, 18m or 30d.")
    value, unit = int(match.group(1)), match.group(2).lower()
    if value < 1:
        raise RetentionError("A retention period must be at least 1 day.")
    if unit == "y":
        return Period(years=value)
    if unit == "m":
        return Period(months=value)
    return Period(days=value)


def parse_retention(text: str) -> dict[Kind, Period]:
    """``one_to_one=2y, absence=6y`` over the defaults; unnamed types keep their default."""
    periods = dict(DEFAULT_PERIODS)
    for part in (p for p in re.split(r"[,;]", text) if p.strip()):
        name, sep, value = part.partition("=")
        if not sep:
            raise RetentionError(f"{part.strip()!r} should look like record_type=period.")
        try:
            kind = Kind(name.strip().lower())
        except ValueError as exc:
            known = ", ".join(k.value for k in Kind)
            raise RetentionError(f"{name.strip()!r} is not a record type ({known}).") from exc
        periods[kind] = parse_period(value)
    return periods


def format_retention(periods: Mapping[Kind, Period]) -> str:
    return ",".join(f"{kind.value}={periods[kind]}" for kind in Kind if kind in periods)


def cutoff(as_of: date, period: Period) -> date:
    """Records whose period runs from a day before this are due on ``as_of``."""
    return period.before(as_of)


def is_due(runs_from: date | None, as_of: date, period: Period) -> bool:
    """True when the record's period has run out. ``None`` (still employed, absence still
    going on) never is."""
    return runs_from is not None and runs_from < cutoff(as_of, period)


@dataclass(frozen=True)
class Schedule:
    """The cut-off of every record type for one day."""

    as_of: date
    cutoffs: dict[Kind, date]


def schedule(as_of: date, periods: Mapping[Kind, Period]) -> Schedule:
    return Schedule(as_of, {kind: cutoff(as_of, periods[kind]) for kind in Kind})
