"""A key-value store with eTags: optimistic concurrency for conversation and user state.

Writes are compare-and-swap: an item written with the eTag it was read with succeeds only if
nobody wrote it since; a stale eTag raises :class:`EtagConflict` and changes nothing. Writing
with no eTag (or ``"*"``) means "last write wins", the Bot Framework's convention.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ScalarSelect, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database
from storage.models import ConversationReferenceRecord, StateItem

ANY_ETAG = "*"


class EtagConflict(Exception):
    """Someone else wrote the item since it was read; the caller's write was not applied."""

    def __init__(self, key: str) -> None:
        super().__init__(f"eTag conflict on state item {key!r}")
        self.key = key


@dataclass(frozen=True)
class StoredItem:
    data: str
    etag: str


@dataclass(frozen=True)
class ItemWrite:
    data: str
    expected_etag: str | None = None


def _new_etag() -> str:
    return uuid.uuid4().hex


class _Prefetched:
    """State items a turn read along with its once-only check (see :func:`prefetched_state`):
    each is handed out once, to the turn's own task, unless the turn wrote it first."""

    def __init__(self) -> None:
        self.owner = asyncio.current_task()
        self.items: dict[str, StoredItem | None] = {}


_PREFETCHED: ContextVar[_Prefetched | None] = ContextVar("charter_prefetched_state", default=None)


@contextmanager
def prefetched_state() -> Iterator[None]:
    """Within the block, state read by :func:`state_columns` and recorded by
    :func:`remember_prefetched` answers this task's next read of those keys, without a query.

    The once-only check and the dialog state are read by every turn: one statement instead
    of two. The item is as the turn's read session saw it, with its eTag, so a write based
    on it is still refused if anyone wrote the item since.
    """
    token = _PREFETCHED.set(_Prefetched())
    try:
        yield
    finally:
        _PREFETCHED.reset(token)


def _prefetched() -> _Prefetched | None:
    prefetched = _PREFETCHED.get()
    if prefetched is None or prefetched.owner is not asyncio.current_task():
        return None
    return prefetched


def state_columns(key: Any) -> tuple[ScalarSelect[str], ScalarSelect[str]]:
    """The data and eTag of one state item, as columns of another query (NULL if absent).
    ``key`` is the key, or a bound parameter that will hold it."""
    items = StateItem.__table__.c
    return (
        select(items.data).where(items.key == key).scalar_subquery(),
        select(items.etag).where(items.key == key).scalar_subquery(),
    )


def remember_prefetched(key: str, data: str | None, etag: str | None) -> None:
    """Record what :func:`state_columns` read for ``key`` (inside :func:`prefetched_state`)."""
    prefetched = _prefetched()
    if prefetched is not None:
        item = StoredItem(data, etag) if data is not None and etag is not None else None
        prefetched.items[key] = item


class StateStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def read(self, keys: Iterable[str]) -> dict[str, StoredItem]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, StoredItem] = {}
        prefetched = _prefetched()
        if prefetched is not None:
            for key in [key for key in wanted if key in prefetched.items]:
                wanted.remove(key)
                item = prefetched.items.pop(key)
                if item is not None:
                    found[key] = item
        if not wanted:
            return found
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(StateItem.key, StateItem.data, StateItem.etag).where(
                    StateItem.key.in_(wanted)
                )
            )
            found.update({key: StoredItem(data, etag) for key, data, etag in rows})
        return found

    @staticmethod
    def _forget_prefetched(keys: Iterable[str]) -> None:
        prefetched = _prefetched()
        if prefetched is not None:
            for key in keys:
                prefetched.items.pop(key, None)

    async def write(self, changes: Mapping[str, ItemWrite]) -> dict[str, str]:
        """Apply every change or none; returns the new eTag of each key."""
        new_etags: dict[str, str] = {}
        self._forget_prefetched(changes)
        async with self._db.transaction() as session:
            for key, change in changes.items():
                etag = _new_etag()
                if change.expected_etag in (None, "", ANY_ETAG):
                    await self._upsert(session, key, change.data, etag)
                else:
                    result = await session.execute(
                        update(StateItem)
                        .where(StateItem.key == key, StateItem.etag == change.expected_etag)
                        .values(data=change.data, etag=etag, updated_at=datetime.now(UTC))
                    )
                    if result.rowcount != 1:  # type: ignore[attr-defined]
                        raise EtagConflict(key)
                new_etags[key] = etag
        return new_etags

    async def delete(self, keys: Iterable[str]) -> None:
        wanted = list(keys)
        if not wanted:
            return
        self._forget_prefetched(wanted)
        async with self._db.transaction() as session:
            await session.execute(delete(StateItem).where(StateItem.key.in_(wanted)))

    async def _upsert(self, session: AsyncSession, key: str, data: str, etag: str) -> None:
        insert = pg_insert if self._db.backend == "postgresql" else sqlite_insert
        values = {"key": key, "data": data, "etag": etag, "updated_at": datetime.now(UTC)}
        statement = insert(StateItem).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[StateItem.key],
            set_={"data": data, "etag": etag, "updated_at": values["updated_at"]},
        )
        await session.execute(statement)


# Whose state is whose. The Bot Framework keys conversation state by conversation and user
# state by user (``{channel}/conversations/{id}``, ``{channel}/users/{id}``); Charter's
# conversations are one-to-one chats, so a person's state is found through the conversation
# reference their last turn stored. State left in an older conversation (a reinstalled app)
# is not found this way: it goes once idle for the state retention period.


def conversation_state_key(channel_id: str, conversation_id: str) -> str:
    return f"{channel_id}/conversations/{conversation_id}"


def user_state_key(channel_id: str, user_id: str) -> str:
    return f"{channel_id}/users/{user_id}"


async def state_keys_of(session: AsyncSession, employee_pk: int) -> list[str]:
    """The state keys of a person's chats with the bot: their user and conversation state."""
    references = await session.execute(
        select(
            ConversationReferenceRecord.channel_id,
            ConversationReferenceRecord.user_id,
            ConversationReferenceRecord.conversation_id,
        ).where(ConversationReferenceRecord.employee_id == employee_pk)
    )
    keys: list[str] = []
    for channel, user, conversation in references:
        keys += [user_state_key(channel, user), conversation_state_key(channel, conversation)]
    return keys


async def state_items_of(
    session: AsyncSession, employee_pk: int
) -> list[tuple[str, str, datetime]]:
    """(key, data, last written) of each state item of the person's chats."""
    keys = await state_keys_of(session, employee_pk)
    if not keys:
        return []
    rows = await session.execute(
        select(StateItem.key, StateItem.data, StateItem.updated_at)
        .where(StateItem.key.in_(keys))
        .order_by(StateItem.key)
    )
    return [(key, data, updated_at) for key, data, updated_at in rows]


async def delete_state_of(session: AsyncSession, employee_pk: int) -> int:
    """Delete the person's state items in the caller's transaction; how many went."""
    keys = await state_keys_of(session, employee_pk)
    if not keys:
        return 0
    result = await session.execute(delete(StateItem).where(StateItem.key.in_(keys)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
