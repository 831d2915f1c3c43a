"""Claiming rows of an outbox (nudge digests, notices) so that two senders never deliver
the same one: SKIP LOCKED on PostgreSQL; SQLite serialises writers.

Both outbox tables share the columns these read and write (status, next_attempt_at,
attempts, last_error, sent_at and the claim's owner, time and token).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Notice, NudgeDigest

OutboxTable = type[NudgeDigest] | type[Notice]

RELEASED: dict[str, object] = {"claimed_by": None, "claimed_at": None, "claim_token": None}


def _rowcount(result: Any) -> bool:
    return bool(result.rowcount)


async def claim(
    session: AsyncSession,
    table: OutboxTable,
    *,
    worker: str,
    token: str,
    now: datetime,
    limit: int,
    stale_after: timedelta,
) -> list[int]:
    """Take up to ``limit`` rows that are due to send (or abandoned by a dead sender).

    Each claimed row carries ``token`` until its outcome is written: a sender whose claim
    went stale and was taken over finds a different token and writes nothing.
    """
    ready = or_(
        (table.status == "queued") & (table.next_attempt_at <= now),
        (table.status == "sending") & (table.claimed_at < now - stale_after),
    )
    query = select(table.id).where(ready).order_by(table.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list((await session.scalars(query)).all())
    if ids:
        await session.execute(
            update(table)
            .where(table.id.in_(ids))
            .values(status="sending", claimed_by=worker, claimed_at=now, claim_token=token)
        )
    return ids


def owned(table: OutboxTable, row_id: int, token: str) -> ColumnElement[bool]:
    return (table.id == row_id) & (table.status == "sending") & (table.claim_token == token)


async def keep_claim(
    session: AsyncSession,
    table: OutboxTable,
    row_id: int,
    *,
    token: str,
    now: datetime,
    **progress: object,
) -> bool:
    """Renew this sender's claim (and record ``progress``) just before a send; False if the
    claim is no longer this sender's (it went stale and another sender took it over), in
    which case nothing may be sent."""
    result = await session.execute(
        update(table).where(owned(table, row_id, token)).values(claimed_at=now, **progress)
    )
    return _rowcount(result)


async def finish(
    session: AsyncSession,
    table: OutboxTable,
    row_id: int,
    *,
    token: str,
    status: str,
    now: datetime,
    attempts: int,
    error: str | None = None,
    **cleared: object,
) -> bool:
    """Record a row's outcome, only while ``token`` still owns it; False if it does not
    (another sender took it over and its outcome is theirs to write)."""
    values: dict[str, object] = {
        **RELEASED,
        **cleared,
        "status": status,
        "attempts": attempts,
        "last_error": error[:500] if error else None,
    }
    if status == "sent":
        values["sent_at"] = now
    result = await session.execute(
        update(table).where(owned(table, row_id, token)).values(**values)
    )
    return _rowcount(result)


async def requeue(
    session: AsyncSession,
    table: OutboxTable,
    row_id: int,
    *,
    token: str,
    not_before: datetime,
    attempts: int,
    error: str,
    **progress: object,
) -> bool:
    """Give a row back to the queue, not to be claimed before ``not_before`` (Teams asked
    for a wait longer than a claim may be held): whichever sender runs then sends it once."""
    result = await session.execute(
        update(table)
        .where(owned(table, row_id, token))
        .values(
            **RELEASED,
            **progress,
            status="queued",
            next_attempt_at=not_before,
            attempts=attempts,
            last_error=error[:500],
        )
    )
    return _rowcount(result)
