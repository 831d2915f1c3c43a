"""The audit trail: who read or changed which personal record, when, and through which channel.

A Data Protection Officer asks two questions of it: "who has looked at this person's health
records?" and "what did this manager do?". So every event names the person the record is
about (the subject), the actor (with a label that survives the actor's erasure) and, when an
acting manager acted under a delegation, the line manager they acted for.

Writes are audited in the same transaction as the write (``note``: one more row in the
session, no extra round trip), so neither can exist without the other. Reads are audited in
one small transaction of their own (``record``) before the data is returned: if the audit
cannot be written, the read fails.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.people import Person
from domain.records import NewEvent
from storage import audit as repo
from storage.database import Database

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
    def cli_user(cls) -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no login name (some containers)
            user = "unknown"
        return cls(f"cli:{user}")

    @classmethod
    def system(cls) -> Actor:
        return cls("system")


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


class AuditTrail:
    """The services' way into the audit log; the channel is fixed when Services are built."""

    def __init__(self, database: Database, clock: Clock, channel: Channel | str) -> None:
        self._db = database
        self._clock = clock
        self.channel = Channel(channel)
        self._default = Actor.cli_user() if self.channel is Channel.CLI else Actor.system()

    def actor(self, by: By, *, on_behalf_of_id: int | None = None) -> Actor:
        """The actor for ``by``: a person, an explicit actor, or this channel's own."""
        if isinstance(by, Person):
            return Actor.of(by, on_behalf_of_id=on_behalf_of_id)
        base = by or self._default
        if on_behalf_of_id is not None:
            return Actor(base.label, base.employee_id, on_behalf_of_id)
        return base

    def _rows(self, by: By, events: Iterable[AuditEvent], now: datetime) -> list[NewEvent]:
        actor = self.actor(by)
        return [
            NewEvent(
                at=now,
                actor_id=actor.employee_id,
                actor_label=actor.label[:320],
                on_behalf_of_id=actor.on_behalf_of_id,
                channel=self.channel.value,
                action=str(e.action),
                record_type=str(e.record_type),
                record_id=None if e.record_id is None else str(e.record_id)[:64],
                subject_id=e.subject_id,
                detail=e.detail[:MAX_DETAIL],
            )
            for e in events
        ]

    def note(self, session: AsyncSession, by: By, *events: AuditEvent) -> None:
        """Add events to the caller's write transaction: committed (or not) with the write."""
        repo.add_events(session, self._rows(by, events, self._clock.now()))

    async def record(self, by: By, *events: AuditEvent) -> None:
        """Write events now, in one transaction of their own (reads, exports)."""
        if not events:
            return
        async with self._db.transaction() as session:
            self.note(session, by, *events)

    def now(self) -> datetime:
        return self._clock.now()


def read(record_type: RecordType, subject_id: int, ids: Sequence[int]) -> AuditEvent:
    """One read event for the records of one type about one person."""
    if len(ids) == 1:
        return AuditEvent(AuditAction.READ, record_type, subject_id, ids[0])
    detail = ids_detail(ids) if ids else "none held"
    return AuditEvent(AuditAction.READ, record_type, subject_id, None, detail)
