"""Claims on scheduled job runs, so a job runs once when several workers or instances share
one database: one row per (job, slot), e.g. ("reminder-cycle", "2026-11-23").

Claims are taken one at a time (a PostgreSQL advisory lock for the transaction; SQLite's write
transaction already serialises them), so a claim can also check that no run of a conflicting
job is under way: two reminder sends at once would each pace themselves to Teams' limit and
together break it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobClaim

# Any constant will do: it names job claiming among PostgreSQL's advisory locks.
CLAIM_LOCK_KEY = 0x43484A4F_4253  # "CHJOBS"


async def _take_lock(session: AsyncSession) -> None:
    if session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
        await session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK_KEY)))


async def claim(
    session: AsyncSession,
    *,
    job: str,
    slot: str,
    worker: str,
    now: datetime,
    stale_after: timedelta,
    not_while: Collection[str] = (),
    retake_only: bool = False,
) -> bool:
    """Claim ``job``'s run for ``slot``; True if this worker should run it.

    False when the run is finished, or claimed by someone else less than ``stale_after``
    ago (a claim older than that, never finished, is a run that died: it is taken over), or
    when a job in ``not_while`` is running. With ``retake_only`` only a dead run is taken
    over; a run nobody has claimed is left to its own trigger. Call in a write transaction.
    """
    await _take_lock(session)
    fresh_since = now - stale_after
    existing = await session.scalar(
        select(JobClaim).where(JobClaim.job == job, JobClaim.slot == slot)
    )
    if existing is not None and (
        existing.finished_at is not None or existing.claimed_at >= fresh_since
    ):
        return False
    if existing is None and retake_only:
        return False
    if not_while:
        busy = await session.scalar(
            select(func.count())
            .select_from(JobClaim)
            .where(
                JobClaim.job.in_(sorted(not_while)),
                JobClaim.finished_at.is_(None),
                JobClaim.claimed_at >= fresh_since,
                (JobClaim.job != job) | (JobClaim.slot != slot),
            )
        )
        if busy:
            return False
    if existing is None:
        session.add(JobClaim(job=job, slot=slot, claimed_by=worker, claimed_at=now))
    else:
        existing.claimed_by, existing.claimed_at = worker, now
    await session.flush()
    return True


async def finish(session: AsyncSession, *, job: str, slot: str, worker: str, now: datetime) -> None:
    """Mark this worker's run of ``job`` for ``slot`` done."""
    await session.execute(
        update(JobClaim)
        .where(JobClaim.job == job, JobClaim.slot == slot, JobClaim.claimed_by == worker)
        .values(finished_at=now)
    )


async def release(
    session: AsyncSession,
    *,
    job: str,
    slot: str,
    worker: str,
    now: datetime,
    stale_after: timedelta,
) -> None:
    """Give up this worker's claim (its run failed): the next run may take it at once."""
    await session.execute(
        update(JobClaim)
        .where(JobClaim.job == job, JobClaim.slot == slot, JobClaim.claimed_by == worker)
        .values(claimed_at=now - stale_after - timedelta(seconds=1))
    )


async def forget_before(session: AsyncSession, before: datetime) -> int:
    """Drop claims older than ``before``: they only matter while their slot is current."""
    result = await session.execute(delete(JobClaim).where(JobClaim.claimed_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
