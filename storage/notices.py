"""The notice outbox: queueing a card for one person, claiming notices so that two senders
never deliver the same one, and recording each outcome (storage/outbox_claims.py)."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox_claims as claims
from storage.models import ConversationReferenceRecord, Notice

# Once a notice's outcome is known its card (what people wrote) is no longer kept.
_CONTENT_CLEARED: dict[str, object] = {"card_json": None, "summary": None}


@dataclass(frozen=True)
class NoticeToSend:
    id: int
    recipient_id: int
    attempts: int
    card: dict[str, Any]
    summary: str


async def has_conversation(session: AsyncSession, recipient_id: int) -> bool:
    """Whether the person has a stored conversation reference (has started a chat)."""
    found = await session.scalar(
        select(ConversationReferenceRecord.id)
        .where(ConversationReferenceRecord.employee_id == recipient_id)
        .limit(1)
    )
    return found is not None


async def queue(
    session: AsyncSession,
    *,
    recipient_id: int,
    card: dict[str, Any],
    summary: str,
    now: datetime,
) -> int:
    """Add one notice, due at once; its id."""
    notice = Notice(
        recipient_id=recipient_id,
        card_json=json.dumps(card),
        summary=summary[:200],
        status="queued",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(notice)
    await session.flush()
    return notice.id


async def claim(
    session: AsyncSession,
    *,
    worker: str,
    token: str,
    now: datetime,
    limit: int,
    stale_after: timedelta,
) -> list[int]:
    return await claims.claim(
        session,
        Notice,
        worker=worker,
        token=token,
        now=now,
        limit=limit,
        stale_after=stale_after,
    )


async def load(session: AsyncSession, ids: Collection[int]) -> dict[int, NoticeToSend]:
    rows = await session.execute(
        select(
            Notice.id, Notice.recipient_id, Notice.attempts, Notice.card_json, Notice.summary
        ).where(Notice.id.in_(ids), Notice.card_json.is_not(None))
    )
    return {
        notice_id: NoticeToSend(notice_id, recipient, attempts, json.loads(card), summary or "")
        for notice_id, recipient, attempts, card, summary in rows.all()
        if card is not None
    }


async def keep_claim(session: AsyncSession, notice_id: int, *, token: str, now: datetime) -> bool:
    return await claims.keep_claim(session, Notice, notice_id, token=token, now=now)


async def finish(
    session: AsyncSession,
    notice_id: int,
    *,
    token: str,
    status: str,
    now: datetime,
    attempts: int,
    error: str | None = None,
) -> bool:
    """Record the outcome (and drop the card) while ``token`` still owns the notice."""
    return await claims.finish(
        session,
        Notice,
        notice_id,
        token=token,
        status=status,
        now=now,
        attempts=attempts,
        error=error,
        **_CONTENT_CLEARED,
    )


async def requeue(
    session: AsyncSession,
    notice_id: int,
    *,
    token: str,
    not_before: datetime,
    attempts: int,
    error: str,
) -> bool:
    return await claims.requeue(
        session,
        Notice,
        notice_id,
        token=token,
        not_before=not_before,
        attempts=attempts,
        error=error,
    )


async def next_due(session: AsyncSession) -> datetime | None:
    """When the earliest queued notice falls due (None if nothing is queued)."""
    when: datetime | None = await session.scalar(
        select(func.min(Notice.next_attempt_at)).where(Notice.status == "queued")
    )
    return when


async def status_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Notice.status, func.count()).group_by(Notice.status))
    return {status: n for status, n in rows.all()}
