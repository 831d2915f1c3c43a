"""A burst of write transactions in one process: on SQLite they take turns in the event loop
(storage.database.WriterQueue) rather than polling SQLite's lock; all of them commit."""

from __future__ import annotations

import asyncio

import pytest

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
