"""The nudge outbox: queueing idempotently, the history the budget needs, and claiming
digests so that two senders never deliver the same one (SKIP LOCKED on PostgreSQL; SQLite
serialises writers)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Absence, Nudge, NudgeDigest, NudgeSnooze

LIVE = ("queued", "sending", "sent")


@dataclass(frozen=True)
class QueuedNudge:
    idempotency_key: str
    kind: str
    item_key: str
    subject_id: int | None
    title: str
    detail: str
    due_since: date
    escalated: bool


@dataclass(frozen=True)
class RawHistory:
    digests_today: int
    digests_this_week: int
    on_leave: bool
    last_sent_by_item: dict[str, date]
    sent_count_by_item: dict[str, int]
    snoozed_until_by_item: dict[str, date]
    done_elsewhere: frozenset[str]


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert  # type: ignore[union-attr]


async def history(
    session: AsyncSession, recipient_ids: Sequence[int], today: date
) -> dict[int, RawHistory]:
    """What each recipient has already been sent, snoozed or marked done (set-based)."""
    ids = list(recipient_ids)
    if not ids:
        return {}
    week_start = today - timedelta(days=today.weekday())
    digest_counts = await session.execute(
        select(
            NudgeDigest.recipient_id,
            func.sum(case((NudgeDigest.run_date == today, 1), else_=0)),
            func.count(NudgeDigest.id),
        )
        .where(
            NudgeDigest.recipient_id.in_(ids),
            NudgeDigest.status.in_(LIVE),
            NudgeDigest.run_date >= week_start,
            NudgeDigest.run_date <= today,
        )
        .group_by(NudgeDigest.recipient_id)
    )
    counts = {r: (int(t or 0), int(w or 0)) for r, t, w in digest_counts}
    sent_rows = await session.execute(
        select(Nudge.recipient_id, Nudge.item_key, func.max(NudgeDigest.run_date), func.count())
        .join(NudgeDigest, NudgeDigest.id == Nudge.digest_id)
        .where(Nudge.recipient_id.in_(ids), NudgeDigest.status.in_(LIVE))
        .group_by(Nudge.recipient_id, Nudge.item_key)
    )
    last: dict[int, dict[str, date]] = {}
    sent_counts: dict[int, dict[str, int]] = {}
    for recipient, item, when, n in sent_rows:
        last.setdefault(recipient, {})[item] = when
        sent_counts.setdefault(recipient, {})[item] = n
    snoozes = await session.execute(
        select(
            NudgeSnooze.recipient_id,
            NudgeSnooze.item_key,
            NudgeSnooze.until,
            NudgeSnooze.done_reason,
        ).where(NudgeSnooze.recipient_id.in_(ids))
    )
    snoozed: dict[int, dict[str, date]] = {}
    done: dict[int, set[str]] = {}
    for recipient, item, until, reason in snoozes:
        if reason is not None:
            done.setdefault(recipient, set()).add(item)
        elif until is not None:
            snoozed.setdefault(recipient, {})[item] = until
    away = set(
        (
            await session.scalars(
                select(Absence.employee_id).where(
                    Absence.employee_id.in_(ids),
                    Absence.start_date <= today,
                    or_(Absence.end_date.is_(None), Absence.end_date >= today),
                )
            )
        ).all()
    )
    return {
        r: RawHistory(
            digests_today=counts.get(r, (0, 0))[0],
            digests_this_week=counts.get(r, (0, 0))[1],
            on_leave=r in away,
            last_sent_by_item=last.get(r, {}),
            sent_count_by_item=sent_counts.get(r, {}),
            snoozed_until_by_item=snoozed.get(r, {}),
            done_elsewhere=frozenset(done.get(r, set())),
        )
        for r in ids
    }


async def queue_digest(
    session: AsyncSession,
    *,
    recipient_id: int,
    run_date: date,
    nudges: Iterable[QueuedNudge],
    now: datetime,
) -> int:
    """Queue today's digest for a recipient with its nudges; returns nudges newly queued.

    Re-running the same cycle changes nothing: the digest is unique per recipient and day,
    and each nudge's idempotency key is unique.
    """
    insert = _insert(session)
    await session.execute(
        insert(NudgeDigest)
        .values(
            recipient_id=recipient_id,
            run_date=run_date,
            status="queued",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["recipient_id", "run_date"])
    )
    digest = await session.scalar(
        select(NudgeDigest).where(
            NudgeDigest.recipient_id == recipient_id, NudgeDigest.run_date == run_date
        )
    )
    assert digest is not None
    if digest.status != "queued":
        return 0  # already being sent or sent today: nothing joins it afterwards
    added = 0
    for nudge in nudges:
        result = await session.execute(
            insert(Nudge)
            .values(
                idempotency_key=nudge.idempotency_key,
                digest_id=digest.id,
                recipient_id=recipient_id,
                subject_id=nudge.subject_id,
                kind=nudge.kind,
                item_key=nudge.item_key,
                title=nudge.title[:300],
                detail=nudge.detail[:500],
                due_since=nudge.due_since,
                escalated=nudge.escalated,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
        )
        added += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return added


async def claim(
    session: AsyncSession, *, worker: str, now: datetime, limit: int, stale_after: timedelta
) -> list[int]:
    """Take up to ``limit`` digests that are due to send (or abandoned by a dead sender)."""
    ready = or_(
        (NudgeDigest.status == "queued") & (NudgeDigest.next_attempt_at <= now),
        (NudgeDigest.status == "sending") & (NudgeDigest.claimed_at < now - stale_after),
    )
    query = select(NudgeDigest.id).where(ready).order_by(NudgeDigest.id).limit(limit)
    if session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
        query = query.with_for_update(skip_locked=True)
    ids = list((await session.scalars(query)).all())
    if ids:
        await session.execute(
            update(NudgeDigest)
            .where(NudgeDigest.id.in_(ids))
            .values(status="sending", claimed_by=worker, claimed_at=now)
        )
    return ids


@dataclass(frozen=True)
class DigestToSend:
    id: int
    recipient_id: int
    attempts: int
    nudges: tuple[Nudge, ...]


async def load_digest(session: AsyncSession, digest_id: int) -> DigestToSend | None:
    digest = await session.get(NudgeDigest, digest_id)
    if digest is None:
        return None
    nudges = (
        await session.scalars(select(Nudge).where(Nudge.digest_id == digest_id).order_by(Nudge.id))
    ).all()
    return DigestToSend(digest.id, digest.recipient_id, digest.attempts, tuple(nudges))


async def finish(
    session: AsyncSession,
    digest_id: int,
    *,
    status: str,
    now: datetime,
    error: str | None = None,
    next_attempt_at: datetime | None = None,
) -> None:
    """Record the outcome of one delivery attempt."""
    values: dict[str, object] = {
        "status": status,
        "attempts": NudgeDigest.attempts + 1,
        "last_error": error[:500] if error else None,
        "claimed_by": None,
        "claimed_at": None,
    }
    if status == "sent":
        values["sent_at"] = now
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    await session.execute(update(NudgeDigest).where(NudgeDigest.id == digest_id).values(**values))


async def status_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(NudgeDigest.status, func.count()).group_by(NudgeDigest.status)
    )
    return {status: n for status, n in rows}


async def problem_digests(session: AsyncSession, statuses: Sequence[str]) -> list[NudgeDigest]:
    return list(
        (
            await session.scalars(
                select(NudgeDigest)
                .where(NudgeDigest.status.in_(statuses))
                .order_by(NudgeDigest.run_date.desc(), NudgeDigest.id)
            )
        ).all()
    )


async def set_snooze(
    session: AsyncSession,
    *,
    recipient_id: int,
    item_key: str,
    until: date | None,
    done_reason: str | None,
    now: datetime,
) -> None:
    insert = _insert(session)
    values = {
        "recipient_id": recipient_id,
        "item_key": item_key,
        "until": until,
        "done_reason": done_reason,
        "created_at": now,
    }
    await session.execute(
        insert(NudgeSnooze)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["recipient_id", "item_key"],
            set_={"until": until, "done_reason": done_reason, "created_at": now},
        )
    )


async def was_sent_to(session: AsyncSession, recipient_id: int, item_key: str) -> bool:
    """Whether this item was ever queued for this recipient (a Snooze button can't be forged
    for someone else's reminder)."""
    found = await session.scalar(
        select(Nudge.id)
        .where(Nudge.recipient_id == recipient_id, Nudge.item_key == item_key)
        .limit(1)
    )
    return found is not None
