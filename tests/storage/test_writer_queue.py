"""A burst of write transactions in one process: on SQLite they take turns in the event loop
(storage.database.WriterQueue) rather than polling SQLite's lock; all of them commit."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from storage import sqlite_driver
from storage.activity_log import ActivityLog
from storage.database import Database, WriterQueue
from storage.state_store import ItemWrite, StateStore


async def test_a_burst_of_writers_all_commit(database: Database) -> None:
    store = StateStore(database)
    await asyncio.gather(*(store.write({f"k{n}": ItemWrite(str(n))}) for n in range(60)))
    read = await store.read([f"k{n}" for n in range(60)])
    assert {key: item.data for key, item in read.items()} == {f"k{n}": str(n) for n in range(60)}


async def test_a_writer_is_not_queued_behind_itself() -> None:
    queue = WriterQueue(queue=True, timeout_seconds=1)
    async with queue.turn(), queue.turn():  # nested in one task: no deadlock
        pass


async def test_a_writer_waiting_past_the_timeout_fails() -> None:
    queue = WriterQueue(queue=True, timeout_seconds=0.05)
    async with queue.turn():
        with pytest.raises(TimeoutError):
            await asyncio.create_task(_enter(queue))
    await _enter(queue)  # the queue is free again


async def _enter(queue: WriterQueue) -> None:
    async with queue.turn():
        pass


async def test_a_lone_write_waits_for_another_process_lock_without_stalling_the_loop(
    database: Database,
) -> None:
    """A turn's claim runs on the event loop's thread when SQLite's write lock is free; when
    another process holds it, the claim waits in its connection's thread (as every write
    does), not on the event loop, and commits once the lock is free."""
    if database.backend != "sqlite":
        pytest.skip("SQLite's write lock")
    log = ActivityLog(database)
    assert await log.claim("msteams", "c1", "warm")  # a pooled connection exists
    other = sqlite3.connect(str(database.url.database), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holding the write lock
        claims = [asyncio.create_task(log.claim("msteams", "c1", f"a{n}")) for n in range(3)]
        ticks = 0
        for _ in range(20):
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 20 and not any(claim.done() for claim in claims)
        other.execute("COMMIT")
        assert await asyncio.gather(*claims) == [True, True, True]
    finally:
        other.close()
    raw = await database.engine.raw_connection()
    try:
        settings = raw.driver_connection._conn  # type: ignore[union-attr]
        # The pooled connection is left as it was set up: waiting for the lock, checkpointing.
        assert settings.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
        assert settings.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    finally:
        raw.close()


async def test_lone_writes_leave_the_write_ahead_log_to_be_checkpointed(
    database: Database,
) -> None:
    """Inline writes never checkpoint (it syncs the disk on the event loop's thread); one in
    THREAD_WRITE_EVERY runs in the connection's thread, where SQLite checkpoints as usual, so
    the log does not grow without bound when the claims are all a process writes."""
    if database.backend != "sqlite":
        pytest.skip("SQLite's write-ahead log")
    log = ActivityLog(database)
    wal = Path(f"{database.url.database}-wal")
    for n in range(3 * sqlite_driver.THREAD_WRITE_EVERY * 8):
        assert await log.claim("msteams", "c1", f"a{n}")
    # Each claim appends a few pages; without checkpoints the log would pass 1,000 pages.
    async with database.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        frames = raw.driver_connection._conn.execute(  # type: ignore[union-attr]
            "PRAGMA wal_checkpoint(PASSIVE)"
        ).fetchone()
    assert wal.exists()
    assert frames[1] <= 1000 + 4 * sqlite_driver.THREAD_WRITE_EVERY
