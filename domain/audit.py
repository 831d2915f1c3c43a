"""The audit trail's vocabulary: who read or changed which personal record, when, and through
which channel.

A Data Protection Officer asks two questions of it: "who has looked at this person's health
records?" and "what did this manager do?". So every event names the person the record is
about (the subject), the actor (with a label that survives the actor's erasure) and, when an
acting manager acted under a delegation, the line manager they acted for.

Plain values and rules, no database: ``services.audit.AuditTrail`` writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.people import Person
from domain.records import NewEvent

MAX_DETAIL = 500


class Channel(StrEnum):
    CHAT = "chat"
    CLI = "cli"
    SCHEDULER = "scheduler"


class AuditAction(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    ERASE = "erase"
    ANONYMISE = "anonymise"


class RecordType(StrEnum):
    ABSENCE = "absence"
    RETURN_TO_WORK = "return_to_work"
    ONE_TO_ONE = "one_to_one"
    PRIVATE_NOTES = "one_to_one_private_notes"
    ONE_TO_ONE_ACTION = "one_to_one_action"
    OBJECTIVE = "objective"
    APR = "apr"
    APR_PREPARATION = "apr_preparation"
    CADENCE = "cadence"
    WORKING_PATTERN = "working_pattern"
    DELEGATION = "delegation"
    EMPLOYEE = "employee"
    SUBJECT_ACCESS = "subject_access"
    RETENTION_RUN = "retention_run"
    AGENDA = "one_to_one_agenda"
    PREP_NOTE = "one_to_one_prep_note"
    PREP_CARD = "one_to_one_prep_card"
    PLANNED_ONE_TO_ONE = "planned_one_to_one"


@dataclass(frozen=True)
class Actor:
    """Who acted: an employee (by id, labelled with their email), a CLI user or Charter."""

    label: str
    employee_id: int | None = None
    # The line manager whose team an acting manager acted for, under a delegation.
    on_behalf_of_id: int | None = None

    @classmethod
    def of(cls, person: Person, *, on_behalf_of_id: int | None = None) -> Actor:
        return cls(person.email, person.id, on_behalf_of_id)

    @classmethod
    def cli(cls, user: str) -> Actor:
        """Someone at the admin command, by their login name."""
        return cls(f"cli:{user}")

    @classmethod
    def system(cls) -> Actor:
        return cls("system")


def on_behalf_of(actor_id: int, subject: Person) -> int | None:
    """The line manager an actor acted for: None when they are the subject or the subject's
    line manager, else (an acting manager, under a delegation) the line manager's id."""
    return None if actor_id in (subject.id, subject.manager_id) else subject.manager_id


By = Person | Actor | None


@dataclass(frozen=True)
class AuditEvent:
    """One event as a service describes it; the trail adds who, when and the channel."""

    action: AuditAction | str
    # A RecordType, or a retention record type (domain.retention.Kind) for retention's events.
    record_type: RecordType | str
    subject_id: int | None
    record_id: object = None
    detail: str = ""


def ids_detail(ids: Sequence[int], prefix: str = "ids") -> str:
    """A list read as one event: the record ids, shortened to fit the detail column."""
    text = f"{prefix}: " + ",".join(str(i) for i in ids)
    if len(text) <= MAX_DETAIL:
        return text
    shown: list[str] = []
    for i in ids:
        candidate = f"{prefix}: " + ",".join([*shown, str(i)])
        if len(candidate) > MAX_DETAIL - 20:
            break
        shown.append(str(i))
    return f"{prefix}: " + ",".join(shown) + f",… (+{len(ids) - len(shown)} more)"


def read(record_type: RecordType, subject_id: int, ids: Sequence[int]) -> AuditEvent:
    """One read event for the records of one type about one person."""
    if len(ids) == 1:
        return AuditEvent(AuditAction.READ, record_type, subject_id, ids[0])
    detail = ids_detail(ids) if ids else "none held"
    return AuditEvent(AuditAction.READ, record_type, subject_id, None, detail)


def event_rows(
    actor: Actor, channel: Channel, events: Iterable[AuditEvent], now: datetime
) -> list[NewEvent]:
    """The rows to store for ``events``, cut to the columns' widths."""
    return [
        NewEvent(
            at=now,
            actor_id=actor.employee_id,
            actor_label=actor.label[:320],
            on_behalf_of_id=actor.on_behalf_of_id,
            channel=channel.value,
            action=str(e.action),
            record_type=str(e.record_type),
            record_id=None if e.record_id is None else str(e.record_id)[:64],
            subject_id=e.subject_id,
            detail=e.detail[:MAX_DETAIL],
        )
        for e in events
    ]
