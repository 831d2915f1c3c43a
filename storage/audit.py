"""The audit_event table: appending events and reading them back for `charter audit`.

Append-only: nothing here updates or deletes an event (retention does, in storage/retention).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.records import EventView, NewEvent
from storage.models import AuditEvent, Employee


def add_events(session: AsyncSession, events: Sequence[NewEvent]) -> None:
    """Add to the session: flushed with the caller's transaction, in the same round trip."""
    session.add_all(
        AuditEvent(
            at=e.at,
            actor_id=e.actor_id,
            actor_label=e.actor_label,
            on_behalf_of_id=e.on_behalf_of_id,
            channel=e.channel,
            action=e.action,
            record_type=e.record_type,
            record_id=e.record_id,
            subject_id=e.subject_id,
            detail=e.detail,
        )
        for e in events
    )


async def events(
    session: AsyncSession,
    *,
    subject_id: int | None = None,
    actor_id: int | None = None,
    actor_label: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[EventView]:
    """Events about a subject and/or by an actor (by id, or by label for CLI users and
    people since erased), oldest first."""
    subject = aliased(Employee)
    behalf = aliased(Employee)
    query = (
        select(AuditEvent, subject.email, behalf.email)
        .outerjoin(subject, subject.id == AuditEvent.subject_id)
        .outerjoin(behalf, behalf.id == AuditEvent.on_behalf_of_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    if actor_id is not None or actor_label is not None:
        who = []
        if actor_id is not None:
            who.append(AuditEvent.actor_id == actor_id)
        if actor_label is not None:
            who.append(AuditEvent.actor_label == actor_label)
        query = query.where(or_(*who))
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if limit is not None:
        query = query.limit(limit)
    rows = await session.execute(query)
    return [
        EventView(
            id=event.id,
            at=event.at,
            actor=event.actor_label,
            on_behalf_of=behalf_email,
            channel=event.channel,
            action=event.action,
            record_type=event.record_type,
            record_id=event.record_id,
            subject=subject_email,
            detail=event.detail,
        )
        for event, subject_email, behalf_email in rows
    ]


async def record_events(
    session: AsyncSession, record_type: str, record_id: str
) -> list[tuple[str, datetime]]:
    """(action, at) of every event about one record, oldest first (e.g. a day's run)."""
    rows = await session.execute(
        select(AuditEvent.action, AuditEvent.at)
        .where(AuditEvent.record_type == record_type, AuditEvent.record_id == record_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return [(action, at) for action, at in rows]
