"""Sickness absence and return-to-work conversations as rules, without a database: HR's
policy and lists, and what a valid absence, end and return-to-work record are.

Absence reasons, return-to-work records and trigger status are special category health data;
who may see them is the service's check (through :mod:`domain.authority`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain import form_values as form
from domain.date_words import format_uk, non_working_day
from domain.errors import Invalid, Refused
from domain.people import Person
from domain.records import AbsenceView, RtwView
from domain.rtw import RtwDue
from domain.triggers import TriggerPolicy, TriggerStatus
from domain.working_days import BankHolidays, WorkingPattern, working_days_between

DEFAULT_REASONS: tuple[str, ...] = (
    "Musculoskeletal",
    "Stress, anxiety or depression",
    "Cold, cough or flu",
    "Stomach, liver or digestion",
    "Injury",
    "Other",
)
# The short reason codes HR systems export, mapped to the default labels. HR adds its own
# (``AbsencePolicy.reason_aliases``); an alias for a label the council doesn't use is ignored.
DEFAULT_REASON_ALIASES: Mapping[str, str] = {
    "msk": "Musculoskeletal",
    "back": "Musculoskeletal",
    "back pain": "Musculoskeletal",
    "stress": "Stress, anxiety or depression",
    "anxiety": "Stress, anxiety or depression",
    "depression": "Stress, anxiety or depression",
    "mental health": "Stress, anxiety or depression",
    "cold/flu": "Cold, cough or flu",
    "cold": "Cold, cough or flu",
    "flu": "Cold, cough or flu",
    "cough": "Cold, cough or flu",
    "stomach": "Stomach, liver or digestion",
    "gastro": "Stomach, liver or digestion",
    "digestive": "Stomach, liver or digestion",
}
SUPPORT: dict[str, str] = {
    "oh_referral": "Occupational Health referral",
    "eap": "Employee Assistance Programme",
    "mhfa": "Mental Health First Aider",
    "phased_return": "Phased return",
    "adjustments": "Reasonable adjustments",
}
OUTCOMES: dict[str, str] = {
    "no_further_action": "No further action",
    "keep_under_review": "Keep under review",
    "attendance_review_meeting": "Attendance review meeting",
    "oh_referral": "Occupational Health referral",
}
MAX_TEXT = 4000


@dataclass(frozen=True)
class AbsencePolicy:
    reasons: tuple[str, ...] = DEFAULT_REASONS
    rtw_deadline_days: int = 3
    triggers: TriggerPolicy = field(default_factory=TriggerPolicy)
    default_pattern: str = "Mon-Fri"
    # Other words for a reason, as HR's exports write them: alias -> configured label.
    reason_aliases: Mapping[str, str] = field(default_factory=lambda: DEFAULT_REASON_ALIASES)

    def reason_named(self, text: str) -> str | None:
        """The configured reason ``text`` names, whatever the case: its label, its code
        (``cold_cough_or_flu``) or an alias (``cold/flu``); None if it names none."""
        return reason_lookup(self.reasons, self.reason_aliases).get(_reason_key(text))


def _reason_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def reason_code(label: str) -> str:
    """A reason's code: its words, lower case, joined by underscores (``cold_cough_or_flu``)."""
    return "_".join(re.findall(r"[a-z0-9]+", label.casefold()))


def reason_lookup(reasons: Sequence[str], aliases: Mapping[str, str]) -> dict[str, str]:
    """Every way of naming a reason (label, code, alias; case-folded) -> its label."""
    found: dict[str, str] = {}
    labels = {_reason_key(r): r for r in reasons}
    for alias, label in aliases.items():
        if _reason_key(label) in labels:
            found[_reason_key(alias)] = labels[_reason_key(label)]
    for reason in reasons:
        found[reason_code(reason)] = reason
        found[_reason_key(reason)] = reason
    return found


def parse_reason_aliases(text: str, reasons: Sequence[str]) -> dict[str, str]:
    """HR's alias setting, ``cold/flu=Cold, cough or flu|stomach=Stomach, liver or digestion``,
    checked against the configured reasons (a ValueError names the first that isn't one)."""
    labels = {_reason_key(r): r for r in reasons}
    aliases: dict[str, str] = {}
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        alias, equals, label = part.partition("=")
        if not equals or not alias.strip() or not label.strip():
            raise ValueError(f"{part!r} should read alias=reason")
        if _reason_key(label) not in labels:
            raise ValueError(f"{label.strip()!r} is not one of the absence reasons")
        aliases[alias.strip()] = labels[_reason_key(label)]
    return aliases


class AbsenceNotAllowed(Refused):
    """Safe to show: why this person cannot see or do this."""


class InvalidAbsence(Invalid):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class DatesToConfirm(Exception):
    """The dates hold no working day for the person: ask before saving (message safe to
    show). Not a refusal: "Record anyway" saves them as they are."""

    def __init__(self, question: str) -> None:
        super().__init__(question)
        self.question = question


CONFIRMED_DATES = "dates_ok"  # a submit carrying this as "true" was asked, and said save


def dates_confirmed(values: Mapping[str, object]) -> bool:
    return values.get(CONFIRMED_DATES) == "true"


def absence_dates_question(
    name: str,
    start: date,
    end: date | None,
    *,
    pattern: WorkingPattern,
    holidays: BankHolidays,
) -> str | None:
    """What to ask before saving an absence whose days hold no working day for ``name``; None
    when there is nothing to ask. With no ``end`` yet (the first day only), it is asked when
    the first day is not a working day; with an end, when no day from start to end is one
    (such an absence loses no working days, so no return to work follows it)."""
    works = f"{name} works {pattern.describe()}"
    if end is None:
        why = non_working_day(start, pattern, holidays)
        if why is None:
            return None
        return (
            f"{format_uk(start)} is {why}, not a working day for {name} ({works}). "
            "Record the absence from that day anyway?"
        )
    if working_days_between(start, end, pattern=pattern, holidays=holidays) > 0:
        return None
    if start == end:
        why = non_working_day(start, pattern, holidays) or "not a working day"
        said = f"{format_uk(start)} is {why}, not a working day for {name} ({works})"
    else:
        said = f"{format_uk(start)} to {format_uk(end)} hold no working day for {name} ({works})"
    return (
        f"{said}, so this absence loses no working days and needs no return-to-work "
        "conversation. Record it anyway?"
    )


def rtw_date_question(
    name: str, held_on: date, *, pattern: WorkingPattern, holidays: BankHolidays
) -> str | None:
    """What to ask before saving a return-to-work conversation dated on a day ``name``
    doesn't work; None when it is a working day."""
    why = non_working_day(held_on, pattern, holidays)
    if why is None:
        return None
    return (
        f"{format_uk(held_on)} is {why}, not a working day for {name} "
        f"({name} works {pattern.describe()}). Save the conversation as held that day anyway?"
    )


def needs_rtw(working_days_lost: int | None) -> bool:
    """Whether an ended sickness absence is followed by a return-to-work conversation: not
    when it lost no working days (every day of it was a day off), since nobody returned."""
    return working_days_lost != 0


@dataclass(frozen=True)
class RtwContext:
    report: Person
    absence: AbsenceView
    due: RtwDue
    triggers: TriggerStatus
    fit_note_expected: bool
    existing: RtwView | None
    # The line manager an acting manager acts for (audit), None for the line manager.
    on_behalf_of_id: int | None = None


@dataclass(frozen=True)
class AbsenceSummary:
    person: Person
    absences: list[AbsenceView]
    triggers: TriggerStatus
    waiting: list[tuple[AbsenceView, RtwDue]]


def latest_first(absences: Iterable[AbsenceView]) -> list[AbsenceView]:
    """Absences newest first: the one a manager means is almost always the latest."""
    return sorted(absences, key=lambda a: (a.start_date, a.id), reverse=True)


def start_problems(
    report: Person,
    start: date | None,
    expected: date | None,
    reason: str | None,
    *,
    today: date,
    policy: AbsencePolicy,
    existing: Sequence[AbsenceView],
) -> list[str]:
    """What is wrong with a new absence from ``start`` (``existing``: the report's absences)."""
    problems = []
    if start is None:
        problems.append("Please give the first day of absence.")
    elif start > today:
        problems.append("The first day of absence can't be in the future.")
    elif start < report.start_date:
        problems.append(f"{report.first_name} started on {report.start_date:%-d %B %Y}.")
    if expected is not None and start is not None and expected <= start:
        problems.append("The expected return must be after the first day of absence.")
    if reason is not None and reason not in policy.reasons:
        problems.append("Choose one of the reasons listed, or leave it blank.")
    if start is not None and any(
        a.end_date is None or a.end_date >= start for a in existing if a.start_date <= start
    ):
        problems.append(
            f"{report.first_name} already has an absence covering that date; "
            f"say \u201c{report.first_name} is back\u201d to close it first."
        )
    return problems


def end_problems(absence: AbsenceView, end: date | None, *, today: date) -> list[str]:
    """What is wrong with ending ``absence`` on ``end`` (its last day absent)."""
    problems = []
    if absence.end_date is not None:
        problems.append("That absence has already ended.")
    if end is None:
        problems.append("Please give the last day of absence.")
    elif end < absence.start_date:
        problems.append("The last day of absence can't be before the first.")
    elif end > today:
        problems.append("The last day of absence can't be in the future.")
    return problems


@dataclass(frozen=True)
class RtwAnswers:
    """What a manager recorded on the return-to-work card, read and checked."""

    held_on: date
    reason_category: str | None
    notes: str
    reported_correctly: bool
    fit_note_received: bool | None  # None: no fit note was expected
    work_related: bool
    accident_at_work: bool
    underlying_condition: bool
    adjustments_needed: bool
    support_offered: tuple[str, ...]
    outcome: str
    employee_comments: str


def read_rtw_form(
    values: Mapping[str, object],
    absence: AbsenceView,
    *,
    today: date,
    policy: AbsencePolicy,
    fit_note_expected: bool,
) -> RtwAnswers:
    """The return-to-work card's answers for an ended absence; raises :class:`InvalidAbsence`
    with every problem found."""
    assert absence.end_date is not None
    held_on = form.iso_date(values, "held_on")
    problems = []
    if held_on is None:
        problems.append("Please give the date of the conversation.")
    elif held_on > today:
        problems.append("The date can't be in the future.")
    elif held_on <= absence.end_date:
        problems.append("The conversation is held after the absence has ended.")
    reason = form.text(values, "reason_category") or None
    if reason is not None and reason not in policy.reasons:
        problems.append("Choose one of the reasons listed.")
    outcome = form.text(values, "outcome")
    if outcome not in OUTCOMES:
        problems.append("Choose the outcome of the conversation.")
    support = [s.strip() for s in form.text(values, "support_offered").split(",") if s.strip()]
    if any(s not in SUPPORT for s in support):
        problems.append("Choose support from the list.")
    notes, comments = form.text(values, "notes"), form.text(values, "employee_comments")
    if len(notes) > MAX_TEXT or len(comments) > MAX_TEXT:
        problems.append(f"Please keep notes and comments under {MAX_TEXT:,} characters.")
    if problems:
        raise InvalidAbsence(problems)
    assert held_on is not None
    return RtwAnswers(
        held_on=held_on,
        reason_category=reason,
        notes=notes,
        reported_correctly=form.flag(values, "reported_correctly"),
        fit_note_received=form.flag(values, "fit_note_received") if fit_note_expected else None,
        work_related=form.flag(values, "work_related"),
        accident_at_work=form.flag(values, "accident_at_work"),
        underlying_condition=form.flag(values, "underlying_condition"),
        adjustments_needed=form.flag(values, "adjustments_needed"),
        support_offered=tuple(support),
        outcome=outcome,
        employee_comments=comments,
    )
