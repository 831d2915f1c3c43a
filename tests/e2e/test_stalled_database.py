"""A stalled database fails fast instead of holding everyone: every statement is bounded
(PostgreSQL's statement_timeout with asyncpg's command timeout; SQLite's busy timeout), and
/healthz answers within about two seconds, saying the database is not reachable, while a
session holds a lock on the table every turn reads."""

from __future__ import annotations

import time

import aiohttp
import pytest
from sqlalchemy import select, text

from storage.database import Database
from storage.models import Employee
from tests.support.server import RunningBot

BOUND_S = 1


async def test_a_statement_waiting_on_a_lock_gives_up_after_the_timeout(
    db_url: str, demo_db: Database
) -> None:
    bounded = Database(db_url, statement_timeout_seconds=BOUND_S)
    try:
        async with demo_db.transaction() as holder:
            if demo_db.backend == "postgresql":
                await holder.execute(text("LOCK TABLE employee IN ACCESS EXCLUSIVE MODE"))
            else:
                # SQLite's BEGIN IMMEDIATE travels with the transaction's first statement.
                await holder.execute(select(Employee.id).limit(1))
            started = time.monotonic()
            with pytest.raises(Exception) as failure:
                # A write: SQLite's readers never wait, its writers wait for the write lock.
                async with bounded.transaction() as session:
                    await session.scalar(select(Employee.id).limit(1))
            elapsed = time.monotonic() - started
    finally:
        await bounded.dispose()
    assert elapsed < BOUND_S + 2.5, f"waited {elapsed:.1f} s on a lock"
    assert "lock" in str(failure.value).lower() or "cancel" in str(failure.value).lower()


async def test_healthz_answers_within_two_seconds_while_the_database_is_locked(
    db_url: str, bot: RunningBot, demo_db: Database
) -> None:
    if demo_db.backend != "postgresql":
        pytest.skip("SQLite's readers are never blocked by a lock (WAL)")
    async with demo_db.transaction() as holder:
        await holder.execute(text("LOCK TABLE employee IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        async with bot.session.get(
            f"{bot.url}/healthz", timeout=aiohttp.ClientTimeout(total=15)
        ) as resp:
            status, body = resp.status, await resp.json()
        elapsed = time.monotonic() - started
    assert elapsed < 3.5, f"/healthz took {elapsed:.1f} s"
    assert status == 503 and body["database"]["reachable"] is False
