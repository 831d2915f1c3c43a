"""The audit trail: who read or changed which personal record, when, and through which channel.

What an event says (actions, record types, actors) is ``domain.audit``; this is the writing.

Writes are audited in the same transaction as the write (``note``: one more row in the
session, no extra round trip), so neither can exist without the other. Reads are audited in
one small transaction of their own (``record``) before the data is returned: if the audit
cannot be written, the read fails.
"""

from __future__ import annotations

import getpass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import (
    MAX_DETAIL,
    Actor,
    AuditAction,
    AuditEvent,
    By,
    Channel,
    RecordType,
    event_rows,
    ids_detail,
    read,
)
from domain.clock import Clock
from domain.people import Person
from storage import audit as repo
from storage.database import Database

# Compatible names: the audit vocabulary lives in domain.audit.
__all__ = [
    "MAX_DETAIL",
    "Actor",
    "AuditAction",
    "AuditEvent",
    "AuditTrail",
    "By",
    "Channel",
    "RecordType",
    "cli_actor",
    "ids_detail",
    "read",
]


def cli_actor() -> Actor:
    """Whoever runs the admin command, by their login name."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        user = "unknown"
    return Actor.cli(user)


class AuditTrail:
    """The services' way into the audit log; the channel is fixed when Services are built."""

    def __init__(self, database: Database, clock: Clock, channel: Channel | str) -> None:
        self._db = database
        self._clock = clock
        self.channel = Channel(channel)
        self._default = cli_actor() if self.channel is Channel.CLI else Actor.system()

    def actor(self, by: By, *, on_behalf_of_id: int | None = None) -> Actor:
        """The actor for ``by``: a person, an explicit actor, or this channel's own."""
        if isinstance(by, Person):
            return Actor.of(by, on_behalf_of_id=on_behalf_of_id)
        base = by or self._default
        if on_behalf_of_id is not None:
            return Actor(base.label, base.employee_id, on_behalf_of_id)
        return base

    def note(self, session: AsyncSession, by: By, *events: AuditEvent) -> None:
        """Add events to the caller's write transaction: committed (or not) with the write."""
        repo.add_events(
            session, event_rows(self.actor(by), self.channel, events, self._clock.now())
        )

    async def record(self, by: By, *events: AuditEvent) -> None:
        """Write events now, in one transaction of their own (reads, exports)."""
        if not events:
            return
        async with self._db.transaction() as session:
            self.note(session, by, *events)

    def now(self) -> datetime:
        return self._clock.now()
