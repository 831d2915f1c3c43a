"""The once-only check reads the turn's dialog state in the same statement (issue 17), and
what it read is used once, by the turn's own task, and never after the turn wrote the item."""

from __future__ import annotations

import asyncio

import pytest

from storage.activity_log import ActivityLog
from storage.database import Database
from storage.state_store import EtagConflict, ItemWrite, StateStore, prefetched_state
from tests.support.statements import record_statements

KEY = "msteams/conversations/a:1"


def _count_statements(database: Database) -> list[str]:
    return record_statements(database)


def _selects(statements: list[str]) -> list[str]:
    return [statement for statement in statements if statement.startswith("SELECT")]


async def test_the_check_and_the_state_are_one_statement(database: Database) -> None:
    store, log = StateStore(database), ActivityLog(database)
    etag = (await store.write({KEY: ItemWrite('{"n": 1}')}))[KEY]
    statements = _count_statements(database)
    with prefetched_state():
        assert not await log.is_handled("msteams", "a:1", "act-1", state_key=KEY)
        read = await store.read([KEY])
        again = await store.read([KEY])  # handed out once; the second read asks the database
    assert read[KEY].data == '{"n": 1}' and read[KEY].etag == etag
    assert again == read
    assert len(_selects(statements)) == 2


async def test_a_missing_item_is_known_missing_without_a_query(database: Database) -> None:
    store, log = StateStore(database), ActivityLog(database)
    await log.claim("msteams", "a:1", "act-1")
    with prefetched_state():
        assert await log.is_handled("msteams", "a:1", "act-1", state_key=KEY)
        statements = _count_statements(database)
        assert await store.read([KEY]) == {}
    assert _selects(statements) == []


async def test_a_prefetched_item_is_stale_after_someone_writes_it(database: Database) -> None:
    store, log = StateStore(database), ActivityLog(database)
    etag = (await store.write({KEY: ItemWrite("v1")}))[KEY]
    with prefetched_state():
        await log.is_handled("msteams", "a:1", "act-1", state_key=KEY)
        someone_else = StateStore(database).write({KEY: ItemWrite("v2", expected_etag=etag)})
        await asyncio.create_task(someone_else)
        read = await store.read([KEY])
        # The turn's view is as of its check; its write is refused, as any stale write is.
        assert read[KEY].etag == etag
        with pytest.raises(EtagConflict):
            await store.write({KEY: ItemWrite("v3", expected_etag=read[KEY].etag)})


async def test_the_turn_forgets_what_it_wrote_or_deleted(database: Database) -> None:
    store, log = StateStore(database), ActivityLog(database)
    await store.write({KEY: ItemWrite("v1")})
    with prefetched_state():
        await log.is_handled("msteams", "a:1", "act-1", state_key=KEY)
        new = (await store.write({KEY: ItemWrite("v2")}))[KEY]
        assert (await store.read([KEY]))[KEY].etag == new
        await log.is_handled("msteams", "a:1", "act-1", state_key=KEY)
        await store.delete([KEY])
        assert await store.read([KEY]) == {}


async def test_another_task_reads_the_database(database: Database) -> None:
    store, log = StateStore(database), ActivityLog(database)
    await store.write({KEY: ItemWrite("v1")})
    with prefetched_state():
        await log.is_handled("msteams", "a:1", "act-1", state_key=KEY)
        statements = _count_statements(database)
        other = await asyncio.create_task(store.read([KEY]))
        assert other[KEY].data == "v1" and len(_selects(statements)) == 1
        assert (await store.read([KEY]))[KEY].data == "v1"
    assert len(_selects(statements)) == 1
