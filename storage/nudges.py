"""The nudge outbox: queueing idempotently, the history the budget needs, and claiming
digests so that two senders never deliver the same one (SKIP LOCKED on PostgreSQL; SQLite
serialises writers)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox_claims as claims
from storage.models import (
    Absence,
    Employee,
    Nudge,
    NudgeDigest,
    NudgeSnooze,
)

LIVE = ("queued", "sending", "sent")


def _live(session: AsyncSession) -> Any:
    """A digest that counts as sent (or about to be), in the form each database reads best.

    Planning reads the outbox by date window. Asked for ``status IN (...)``, SQLite (which
    keeps no statistics) prefers the status index, and so reads every live digest the outbox
    has kept, a year of them or more; wrapped (status is never NULL, so the test is the
    same), it reads the window from the date index. PostgreSQL already does, and the wrapped
    form would only spoil its estimates.
    """
    if session.bind.dialect.name == "sqlite":  # type: ignore[union-attr]
        return func.coalesce(NudgeDigest.status, "").in_(LIVE)
    return NudgeDigest.status.in_(LIVE)


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
class OutboxHistory:
    """What recipients have been sent, snoozed or marked done, as far back as the rules look.

    Read for everyone at once, with no list of recipients: each part is bounded by a date
    window instead (this week, the repeat window, the escalation window), so the cost follows
    what was sent recently, not the size of the council or the age of the outbox.
    """

    digests: dict[int, tuple[int, int]]  # recipient: (today, this ISO week)
    last_sent: dict[int, dict[str, date]]  # within the repeat window only
    sends: dict[tuple[int, str], list[date]]  # escalation kinds, since the escalation window
    snoozed_until: dict[int, dict[str, date]]  # snoozes still running
    done_elsewhere: dict[int, frozenset[str]]
    away: frozenset[int]

    def sends_since(self, recipient_id: int, item_key: str, since: date) -> int:
        return sum(1 for day in self.sends.get((recipient_id, item_key), ()) if day >= since)


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert  # type: ignore[union-attr]


async def history(
    session: AsyncSession,
    today: date,
    *,
    repeat_days: int,
    escalate_kinds: Collection[str] = (),
    escalate_since: date | None = None,
) -> OutboxHistory:
    """The outbox history the budget rules read, for every recipient, set-based.

    Digests count from Monday of this ISO week; an item's last send matters only within
    ``repeat_days``; sends of an escalating kind are listed from ``escalate_since`` (the
    oldest ``due_since`` among the items that could escalate). Older outbox rows are never
    read, however long the outbox is kept.
    """
    digests = await _digests_this_week(session, today)
    last_sent = await _last_sent(session, today, repeat_days)
    sends = await _escalation_sends(session, today, escalate_kinds, escalate_since)
    snoozed, done = await _snoozes(session, today)
    return OutboxHistory(
        digests=digests,
        last_sent=last_sent,
        sends=sends,
        snoozed_until=snoozed,
        done_elsewhere=done,
        away=await _away(session, today),
    )


async def _digests_this_week(session: AsyncSession, today: date) -> dict[int, tuple[int, int]]:
    """{recipient: (digests today, digests this ISO week)}."""
    week_start = today - timedelta(days=today.weekday())
    rows = await session.execute(
        select(
            NudgeDigest.recipient_id,
            func.sum(case((NudgeDigest.run_date == today, 1), else_=0)),
            func.count(NudgeDigest.id),
        )
        .where(
            _live(session),
            NudgeDigest.run_date >= week_start,
            NudgeDigest.run_date <= today,
        )
        .group_by(NudgeDigest.recipient_id)
    )
    return {r: (int(t or 0), int(w or 0)) for r, t, w in rows}


async def _last_sent(
    session: AsyncSession, today: date, repeat_days: int
) -> dict[int, dict[str, date]]:
    """{recipient: {item: the last day it was sent}}, within the repeat window only."""
    recent = await session.execute(
        select(Nudge.recipient_id, Nudge.item_key, func.max(NudgeDigest.run_date))
        .join(NudgeDigest, NudgeDigest.id == Nudge.digest_id)
        .where(
            _live(session),
            NudgeDigest.run_date > today - timedelta(days=repeat_days),
            NudgeDigest.run_date <= today,
        )
        .group_by(Nudge.recipient_id, Nudge.item_key)
    )
    last_sent: dict[int, dict[str, date]] = {}
    for recipient, item, when in recent:
        last_sent.setdefault(recipient, {})[item] = when
    return last_sent


async def _escalation_sends(
    session: AsyncSession,
    today: date,
    escalate_kinds: Collection[str],
    escalate_since: date | None,
) -> dict[tuple[int, str], list[date]]:
    """{(recipient, item): each day it was sent}, for the kinds that escalate, since
    ``escalate_since``; nothing is read when no kind could escalate."""
    sends: dict[tuple[int, str], list[date]] = {}
    if not escalate_kinds or escalate_since is None:
        return sends
    for recipient, item, when in await session.execute(
        select(Nudge.recipient_id, Nudge.item_key, NudgeDigest.run_date)
        .join(NudgeDigest, NudgeDigest.id == Nudge.digest_id)
        .where(
            _live(session),
            Nudge.kind.in_(sorted(escalate_kinds)),
            Nudge.escalated.is_(False),
            NudgeDigest.run_date >= escalate_since,
            NudgeDigest.run_date <= today,
        )
    ):
        sends.setdefault((recipient, item), []).append(when)
    return sends


async def _snoozes(
    session: AsyncSession, today: date
) -> tuple[dict[int, dict[str, date]], dict[int, frozenset[str]]]:
    """({recipient: {item: snoozed until}} for snoozes still running, {recipient: items
    marked done elsewhere})."""
    snoozes = await session.execute(
        select(
            NudgeSnooze.recipient_id,
            NudgeSnooze.item_key,
            NudgeSnooze.until,
            NudgeSnooze.done_reason,
        ).where(or_(NudgeSnooze.done_reason.is_not(None), NudgeSnooze.until > today))
    )
    snoozed: dict[int, dict[str, date]] = {}
    done: dict[int, set[str]] = {}
    for recipient, item, until, reason in snoozes:
        if reason is not None:
            done.setdefault(recipient, set()).add(item)
        elif until is not None:
            snoozed.setdefault(recipient, {})[item] = until
    return snoozed, {r: frozenset(items) for r, items in done.items()}


async def _away(session: AsyncSession, today: date) -> frozenset[int]:
    """Everyone off sick today."""
    return frozenset(
        (
            await session.scalars(
                select(Absence.employee_id)
                .where(
                    Absence.start_date <= today,
                    or_(Absence.end_date.is_(None), Absence.end_date >= today),
                )
                .distinct()
            )
        ).all()
    )


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
    session: AsyncSession,
    *,
    worker: str,
    token: str,
    now: datetime,
    limit: int,
    stale_after: timedelta,
) -> list[int]:
    """Take up to ``limit`` digests that are due to send (or abandoned by a dead sender);
    each carries ``token`` until its outcome is written (storage/outbox_claims.py)."""
    return await claims.claim(
        session,
        NudgeDigest,
        worker=worker,
        token=token,
        now=now,
        limit=limit,
        stale_after=stale_after,
    )


@dataclass(frozen=True)
class DigestToSend:
    id: int
    recipient_id: int
    attempts: int
    nudges: tuple[Nudge, ...]
    parts_sent: int = 0


async def load_digests(
    session: AsyncSession, ids: Collection[int]
) -> dict[int, tuple[DigestToSend, dict[int, str]]]:
    """Claimed digests in three queries: each digest with its nudges (in order), and the
    employee number of every person its nudges are about (for the cards' buttons)."""
    digests = (
        await session.execute(
            select(
                NudgeDigest.id,
                NudgeDigest.recipient_id,
                NudgeDigest.attempts,
                NudgeDigest.parts_sent,
            ).where(NudgeDigest.id.in_(ids))
        )
    ).all()
    nudges: dict[int, list[Nudge]] = {}
    for nudge in await session.scalars(
        select(Nudge).where(Nudge.digest_id.in_(ids)).order_by(Nudge.id)
    ):
        nudges.setdefault(nudge.digest_id, []).append(nudge)
    subjects = {n.subject_id for ns in nudges.values() for n in ns if n.subject_id}
    numbers = await employee_numbers(session, subjects)
    loaded = {}
    for digest_id, recipient, attempts, parts_sent in digests:
        own = tuple(nudges.get(digest_id, ()))
        loaded[digest_id] = (
            DigestToSend(digest_id, recipient, attempts, own, parts_sent),
            {n.subject_id: numbers[n.subject_id] for n in own if n.subject_id in numbers},
        )
    return loaded


async def employee_numbers(session: AsyncSession, pks: Collection[int]) -> dict[int, str]:
    """Employee number by primary key, for the people named."""
    if not pks:
        return {}
    rows = await session.execute(
        select(Employee.id, Employee.employee_id).where(Employee.id.in_(pks))
    )
    return {pk: number for pk, number in rows.all()}


async def keep_claim(
    session: AsyncSession,
    digest_id: int,
    *,
    token: str,
    now: datetime,
    parts_sent: int | None = None,
) -> bool:
    """Renew this sender's claim (and record parts delivered) just before a send; False if
    the claim is no longer this sender's, in which case nothing may be sent."""
    progress: dict[str, object] = {} if parts_sent is None else {"parts_sent": parts_sent}
    return await claims.keep_claim(
        session, NudgeDigest, digest_id, token=token, now=now, **progress
    )


async def finish(
    session: AsyncSession,
    digest_id: int,
    *,
    token: str,
    status: str,
    now: datetime,
    attempts: int,
    error: str | None = None,
) -> bool:
    """Record a digest's outcome, only while ``token`` still owns it."""
    return await claims.finish(
        session,
        NudgeDigest,
        digest_id,
        token=token,
        status=status,
        now=now,
        attempts=attempts,
        error=error,
    )


async def requeue(
    session: AsyncSession,
    digest_id: int,
    *,
    token: str,
    not_before: datetime,
    attempts: int,
    parts_sent: int,
    error: str,
) -> bool:
    """Give a digest back to the queue, not to be claimed before ``not_before``."""
    return await claims.requeue(
        session,
        NudgeDigest,
        digest_id,
        token=token,
        not_before=not_before,
        attempts=attempts,
        error=error,
        parts_sent=parts_sent,
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


async def item_marks(
    session: AsyncSession, recipient_id: int, item_keys: Collection[str]
) -> dict[str, NudgeSnooze]:
    """The recipient's Snooze or Done elsewhere for each of these items, where there is one
    (what a digest card shows once an item was acted on)."""
    if not item_keys:
        return {}
    rows = await session.scalars(
        select(NudgeSnooze).where(
            NudgeSnooze.recipient_id == recipient_id, NudgeSnooze.item_key.in_(item_keys)
        )
    )
    return {row.item_key: row for row in rows}
