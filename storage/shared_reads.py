"""A turn's first reads on one shared connection (see :class:`SharedReads`)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util.concurrency import greenlet_spawn

from storage.driver_statements import reads_alone


class Database(Protocol):
    """What shared reads need of :class:`storage.database.Database` (which holds them)."""

    engine: AsyncEngine
    new_session: async_sessionmaker[AsyncSession]
    quick_read_options: dict[str, Any]


class SharedReads:
    """One read connection shared by the reads at the start of an inbound turn.

    A turn reads its activity id, the person and their dialog state before it writes or
    answers; each read in a session of its own cost a BEGIN, a pool checkout and a rollback
    (about 1.5 ms of CPU each on SQLite). Within :meth:`Database.shared_reads` those reads
    share one connection, until the turn's first write transaction or first reply ends the
    sharing (:func:`end_shared_reads`): no connection is held across a network call, and a
    turn never waits for a second connection while holding one.

    Reads straight through the driver (:meth:`Database.read_rows`) use the connection alone;
    a session is made on it only for the first read that needs one (setting up and closing a
    session cost more than the reads of a turn that needs none).
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self.owner = asyncio.current_task()
        self._pooled: PoolProxiedConnection | None = None
        self._connection: Connection | None = None
        self._session: AsyncSession | None = None
        self.ended = False

    def lends_to(self, database: Database) -> bool:
        # Only the turn's own task: a task it starts copies the context, not the session.
        return (
            not self.ended and database is self._database and asyncio.current_task() is self.owner
        )

    @property
    def read_options(self) -> dict[str, Any]:
        return self._database.quick_read_options

    def borrow(self) -> BorrowedSession:
        return BorrowedSession(self)

    async def pooled(self) -> PoolProxiedConnection:
        """The shared connection, as the driver's (checked out on first use). Each statement
        run on it straight through the driver stands alone (as each does in PostgreSQL's READ
        COMMITTED anyway): no BEGIN or ROLLBACK is sent; on SQLite reads run inline."""
        if self._pooled is None:
            self._pooled = await greenlet_spawn(self._check_out)
        return self._pooled

    def _check_out(self) -> PoolProxiedConnection:
        pooled = self._database.engine.sync_engine.raw_connection()
        reads_alone(pooled)
        return pooled

    async def session(self) -> AsyncSession:
        """A session on the shared connection (made on first use)."""
        if self._session is None:
            pooled = await self.pooled()
            if self._connection is None:
                self._connection = await greenlet_spawn(self._open, pooled)
            connection = AsyncConnection(self._database.engine, self._connection)
            self._session = self._database.new_session(bind=connection)
        return self._session

    def _open(self, pooled: PoolProxiedConnection) -> Connection:
        """SQLAlchemy's connection on the pooled one, with no transaction: each statement
        stands alone, as the driver's do."""
        connection = Connection(self._database.engine.sync_engine, pooled)
        connection.execution_options(**self.read_options)
        connection.begin()
        return connection

    async def discard(self) -> None:
        """After a driver error on the shared connection: drop it, and end the sharing."""
        if self._pooled is not None:
            await greenlet_spawn(self._pooled.invalidate)
        await self.end()

    async def end(self) -> None:
        self.ended = True
        session, self._session = self._session, None
        connection, self._connection = self._connection, None
        pooled, self._pooled = self._pooled, None
        try:
            if session is not None:
                await session.close()
        finally:
            if connection is not None:
                await greenlet_spawn(connection.close)  # and so the pooled connection
            elif pooled is not None:
                await greenlet_spawn(pooled.close)


class BorrowedSession:
    """The shared session, entered like a new one but closed only by its owner."""

    def __init__(self, owner: SharedReads) -> None:
        self._owner = owner

    async def __aenter__(self) -> AsyncSession:
        return await self._owner.session()

    async def __aexit__(self, exc_type: object, *_exc: object) -> None:
        if exc_type is not None:
            # A failed statement can leave the transaction unusable (PostgreSQL aborts it):
            # the turn's later reads get sessions of their own, as they did before sharing.
            await self._owner.end()


_SHARED_READS: ContextVar[SharedReads | None] = ContextVar("charter_shared_reads", default=None)


async def end_shared_reads() -> None:
    """End this turn's shared read session, if any: later reads get sessions of their own.
    Only the turn's own task ends it: a task the turn starts copies the context, and its
    writes must not take the connection from under the turn's next read."""
    shared = _SHARED_READS.get()
    if shared is not None and asyncio.current_task() is shared.owner:
        await shared.end()


def shared_reads_for(database: Database) -> SharedReads | None:
    """This task's shared reads on ``database``, if it has some still open."""
    shared = _SHARED_READS.get()
    return shared if shared is not None and shared.lends_to(database) else None


@contextmanager
def sharing(shared: SharedReads) -> Iterator[SharedReads]:
    """Within the block, this task's reads on its database share ``shared``."""
    token = _SHARED_READS.set(shared)
    try:
        yield shared
    finally:
        _SHARED_READS.reset(token)
