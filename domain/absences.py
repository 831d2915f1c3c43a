"""Sickness absence and return-to-work conversations as rules, without a database: HR's
policy and lists, and what a valid absence, end and return-to-work record are.

Absence reasons, return-to-work records and trigger status are special category health data;
who may see them is the service's check (through :mod:`domain.authority`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain import form_values as form
from domain.errors import Invalid, Refused
from domain.people import Person
from domain.records import AbsenceView, RtwView
from domain.rtw import RtwDue
from domain.triggers import TriggerPolicy, TriggerStatus

DEFAULT_REASONS: tuple[str, ...] = (
    "Musculoskeletal",
    "Stress, anxiety or depression",
    "Cold, cough or flu",
    "Stomach, liver or digestion",
    "Injury",
    "Other",
)
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


class AbsenceNotAllowed(Refused):
    """Safe to show: why this person cannot see or do this."""


class InvalidAbsence(Invalid):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


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
