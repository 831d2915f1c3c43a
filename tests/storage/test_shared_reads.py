"""A turn's reads share one session until its first write; a failed read or a write ends
the sharing, so nothing later in the turn runs in a spoiled or long-held transaction."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import event, literal_column, select, table, text
from sqlalchemy.exc import DBAPIError

from storage.database import Database, end_shared_reads
from storage.driver_statements import DriverStatement


async def _one(database: Database) -> int:
    async with database.sessions() as session:
        return int((await session.execute(text("SELECT 1"))).scalar_one())


async def test_reads_share_a_session_until_the_first_write(database: Database) -> None:
    async with database.shared_reads():
        async with database.sessions() as first, database.sessions() as second:
            assert first is second
        async with database.transaction() as writing:
            assert writing is not first
        async with database.sessions() as after_write:
            assert after_write is not first
    async with database.sessions() as outside:
        assert outside is not first


async def test_a_failed_read_leaves_the_turns_later_reads_working(database: Database) -> None:
    async with database.shared_reads():
        assert await _one(database) == 1
        with pytest.raises(DBAPIError):
            async with database.sessions() as session:
                await session.execute(text("SELECT * FROM no_such_table"))
        # On PostgreSQL the failed statement aborted the shared transaction.
        assert await _one(database) == 1


async def test_ending_the_shared_reads_gives_later_reads_their_own_session(
    database: Database,
) -> None:
    async with database.shared_reads():
        async with database.sessions() as before:
            pass
        # A task the turn starts copies its context; its write ends only its own sharing.
        await asyncio.create_task(end_shared_reads())
        async with database.sessions() as still:
            assert still is before
        await end_shared_reads()
        async with database.sessions() as after:
            assert after is not before


_ONE = DriverStatement(select(literal_column("1")))
_BROKEN = DriverStatement(select(literal_column("x")).select_from(table("no_such_table")))


async def test_reads_through_the_driver_and_a_session_share_one_connection(
    database: Database,
) -> None:
    checkouts: list[int] = []

    def on_checkout(*_args: Any) -> None:
        checkouts.append(1)

    event.listen(database.engine.sync_engine.pool, "checkout", on_checkout)
    try:
        async with database.shared_reads():
            assert await database.read_rows(_ONE, {}) == [(1,)]
            assert await _one(database) == 1
            assert await database.read_rows(_ONE, {}) == [(1,)]
            assert len(checkouts) == 1
    finally:
        event.remove(database.engine.sync_engine.pool, "checkout", on_checkout)
    assert database.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_failed_read_through_the_driver_leaves_later_reads_working(
    database: Database,
) -> None:
    async with database.shared_reads():
        assert await database.read_rows(_ONE, {}) == [(1,)]
        with pytest.raises(Exception, match="no_such_table"):
            await database.read_rows(_BROKEN, {})
        assert await _one(database) == 1
        assert await database.read_rows(_ONE, {}) == [(1,)]
    assert database.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
