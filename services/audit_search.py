"""`charter audit`: the audit events about a person and/or by an actor."""

from __future__ import annotations

import contextlib
from datetime import datetime

from domain.records import EventView
from services.subject_access import NotFound, find_subject
from storage import audit as repo
from storage.database import Database


async def search_audit(
    database: Database,
    *,
    employee: str | None,
    actor: str | None,
    since: datetime | None,
) -> list[EventView]:
    """Events about ``employee`` and/or by ``actor`` (an email or employee id; for the actor
    also a label such as cli:USER or system), oldest first. Raises :class:`NotFound` when
    nobody has the employee's (or the employee-id actor's) reference."""
    subject_pk = actor_pk = None
    actor_label = None
    if employee:
        subject_pk = (await find_subject(database, employee)).pk
    if actor:
        actor_label = actor.strip()
        if "@" in actor_label:
            actor_label = actor_label.lower()
            # Labels keep an erased person's email; their row no longer does.
            with contextlib.suppress(NotFound):
                actor_pk = (await find_subject(database, actor_label)).pk
    async with database.sessions() as session:
        return await repo.events(
            session,
            subject_id=subject_pk,
            actor_id=actor_pk,
            actor_label=actor_label,
            since=since,
        )
