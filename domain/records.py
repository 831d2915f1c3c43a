"""The records Charter talks in: what storage reads back for one-to-ones, actions, absences,
return-to-work conversations, APRs, objectives, delegations, audit events and the reminder
outbox.

Storage maps its rows to these; services, dialogs and reports use them without knowing a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


# Absences and return-to-work conversations
@dataclass(frozen=True)
class AbsenceView:
    id: int
    employee_id: int
    start_date: date
    end_date: date | None
    absence_type: str
    reason_category: str | None
    working_days_lost: int | None
    disability_related: bool
    expected_return: date | None
    last_contact_on: date | None
    source: str


@dataclass(frozen=True)
class RtwView:
    id: int
    absence_id: int
    employee_id: int
    manager_id: int | None
    held_on: date
    reason_category: str | None
    notes: str
    reported_correctly: bool
    fit_note_received: bool | None
    work_related: bool
    accident_at_work: bool
    underlying_condition: bool
    adjustments_needed: bool
    support_offered: tuple[str, ...]
    outcome: str
    employee_comments: str
    trigger_summary: str
    trigger_reached: bool
    acknowledged_at: datetime | None
    employee_comment: str | None


@dataclass(frozen=True)
class StoredAbsence:
    """One absence as the import and the exports see it, with whose it is."""

    id: int
    employee_pk: int
    employee_id: str
    employee_email: str
    working_pattern: str  # "" means the policy's default pattern
    start_date: date
    end_date: date | None
    absence_type: str
    reason_category: str | None
    working_days_lost: int | None
    working_days_given: bool
    disability_related: bool
    source: str


@dataclass(frozen=True)
class RtwHeld:
    """When a return-to-work conversation was held and what it recorded about triggers."""

    absence_id: int
    held_on: date
    trigger_reached: bool
    manager_email: str | None


# Annual performance reviews
@dataclass(frozen=True)
class PreparationView:
    employee_id: int
    cycle_label: str
    achievements: dict[str, str]
    obstacles: str
    development_wishes: str
    support_wanted: str
    updated_at: datetime
    shared_at: datetime | None


@dataclass(frozen=True)
class AprView:
    id: int
    employee_id: int
    manager_id: int | None
    held_on: date
    overall_comments: str
    leadership_themes: tuple[str, ...]
    development_needs: str
    learning_needs: str
    source: str
    acknowledged_at: datetime | None
    employee_comment: str | None
    reviews: tuple[tuple[int, str, str], ...]  # (objective id, outcome, comment)


@dataclass(frozen=True)
class AprExportRow:
    """What the bulk export may hold: no free text, so nothing said in the review leaks."""

    employee_ref: str
    employee_email: str
    manager_email: str
    held_on: date
    source: str
    outcomes: dict[str, int]
    leadership_themes: tuple[str, ...]
    acknowledged: bool
    commented: bool


# Audit events
@dataclass(frozen=True)
class NewEvent:
    at: datetime
    actor_id: int | None
    actor_label: str
    on_behalf_of_id: int | None
    channel: str
    action: str
    record_type: str
    record_id: str | None
    subject_id: int | None
    detail: str


@dataclass(frozen=True)
class EventView:
    id: int
    at: datetime
    actor: str
    on_behalf_of: str | None
    channel: str
    action: str
    record_type: str
    record_id: str | None
    subject: str | None
    detail: str


# Delegations
@dataclass(frozen=True)
class DelegationView:
    id: int
    manager_id: int
    manager_name: str
    manager_email: str
    delegate_id: int
    delegate_name: str
    delegate_email: str
    starts_on: date
    ends_on: date
    created_by_id: int | None
    created_via: str
    created_at: datetime
    revoked_at: datetime | None
    confirmed_at: datetime | None  # None: waiting for an HR admin, grants nothing yet
    # Confirmed by being set up from the manager's own chain, whose acting manager a
    # reorganisation has since moved out of it: grants nothing until an HR admin confirms.
    to_confirm_again: bool = False

    @property
    def awaiting_confirmation(self) -> bool:
        return self.confirmed_at is None or self.to_confirm_again

    def covers(self, day: date) -> bool:
        """Confirmed (and not waiting to be again), started, not past its (inclusive) end, not
        revoked. Where the acting manager sits is checked by :func:`in_force`."""
        return (
            self.revoked_at is None
            and not self.awaiting_confirmation
            and self.starts_on <= day <= self.ends_on
        )


@dataclass(frozen=True)
class InForce:
    """A delegation that lets its acting manager act today."""

    id: int
    manager_id: int
    delegate_id: int


# Objectives on the golden thread
@dataclass(frozen=True)
class ObjectiveView:
    id: int
    employee_id: int
    title: str
    measure: str
    target_date: date | None
    priority_id: int | None
    priority_title: str | None
    plan_id: int | None
    plan_title: str | None
    status: str
    proposed_by: str
    percent_complete: int
    rag: str | None
    smart_overridden: bool
    created_at: datetime
    updated_at: datetime
    agreed_at: datetime | None


@dataclass(frozen=True)
class UpdateView:
    kind: str
    author_id: int | None
    created_at: datetime
    percent: int | None
    rag: str | None
    comment: str
    status_from: str | None
    status_to: str | None


@dataclass(frozen=True)
class Choice:
    id: int
    title: str


@dataclass(frozen=True)
class ListEntry:
    """A council priority or a service plan on HR's list, retired ones included."""

    id: int
    title: str
    department: str  # "" for a priority or a council-wide plan
    active: bool


@dataclass(frozen=True)
class ObjectiveExportRow:
    objective: ObjectiveView
    employee_ref: str
    employee_email: str
    department: str


# One-to-ones and their agreed actions
# The four areas a one-to-one covers, in the order the framework names them.
AREA_COLUMNS = ("managing", "developing", "supporting", "wellbeing")


@dataclass(frozen=True)
class ActionView:
    id: int
    one_to_one_id: int
    employee_id: int
    text: str
    owner: str
    due_on: date | None
    status: str
    created_at: datetime
    done_at: datetime | None
    carried_forward: int


@dataclass(frozen=True)
class OneToOneView:
    id: int
    employee_id: int
    manager_id: int | None
    held_on: date
    notes: dict[str, str]
    shared_notes: str
    private_note: str
    wellbeing_concern: bool
    logged_at: datetime
    updated_at: datetime
    acknowledged_at: datetime | None
    employee_comment: str | None
    actions: tuple[ActionView, ...] = ()

    @property
    def areas_covered(self) -> list[str]:
        return [key for key in AREA_COLUMNS if self.notes.get(key, "").strip()]


@dataclass(frozen=True)
class ExportRow:
    employee_id: str
    employee_email: str
    manager_email: str
    held_on: date
    notes: dict[str, str]
    wellbeing_concern: bool
    shared_notes: str
    actions_open: int
    actions_done: int
    logged_at: datetime
    record_id: int  # the one-to-one's id (to find the planned meeting it settled)


# Feedback about Charter
@dataclass(frozen=True)
class FeedbackEntry:
    created_at: datetime
    author_name: str | None
    author_email: str | None
    text: str


# The reminder outbox
@dataclass(frozen=True)
class ProblemDigest:
    """A digest that did not reach its recipient, and Teams' (or Charter's) reason."""

    recipient_id: int
    status: str
    run_date: date
    last_error: str | None
