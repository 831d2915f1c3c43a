"""Database URLs, engines and sessions.

People write database URLs the way their tools taught them (``sqlite:///charter.db``,
``postgresql://user@host/db``, ``postgres://…``). Charter runs on asyncio, so each form is
normalised to its async driver here, in one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState
from sqlalchemy.util.concurrency import await_only, greenlet_spawn

from storage import sqlite_driver
from storage.driver_statements import DriverStatement, fetch_on, write_on
from storage.shared_reads import (
    BorrowedSession,
    SharedReads,
    shared_reads_for,
    sharing,
)
from storage.shared_reads import (
    end_shared_reads as end_shared_reads,  # where turns and writes find it
)

DEFAULT_DATABASE_URL = "sqlite:///charter.db"

# A stalled database (a stopped server, a lock someone forgot) fails a statement after this
# long instead of holding a turn for minutes: PostgreSQL's statement_timeout (lock waits
# included), asyncpg's client-side command timeout just above it for a server that stopped
# answering at all, and SQLite's busy timeout for the write lock.
STATEMENT_TIMEOUT_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 10.0
# /healthz answers within this, reachable or not.
HEALTH_PROBE_SECONDS = 2.0

# Execution option marking a connection whose transaction will write (see _configure_sqlite).
WRITE_OPTION = "charter_write"
# Execution option: each statement commits on its own, no BEGIN (SQLite; PostgreSQL is told
# by its isolation level, AUTOCOMMIT). Reads on such a connection with INLINE_READS_OPTION
# run on the event loop's thread (storage.sqlite_driver).
AUTOCOMMIT_OPTION = "charter_autocommit"
INLINE_READS_OPTION = "charter_inline_reads"

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


class TurnWrites:
    """What a turn's first committed write must carry with it (its activity claim).

    Set for the duration of one inbound turn (see :func:`turn_writes`); the first write
    transaction of the turn runs ``carry(session)`` just before it commits, so the claim and
    the turn's work commit together or not at all.
    """

    def __init__(self, carry: Callable[[AsyncSession], Awaitable[None]]) -> None:
        self._carry = carry
        self.carried = False

    async def carry(self, session: AsyncSession) -> None:
        await self._carry(session)


_TURN_WRITES: ContextVar[TurnWrites | None] = ContextVar("charter_turn_writes", default=None)


@contextmanager
def turn_writes(writes: TurnWrites | None) -> Iterator[TurnWrites | None]:
    """Within the block, write transactions carry ``writes`` (None: carry nothing)."""
    token = _TURN_WRITES.set(writes)
    try:
        yield writes
    finally:
        _TURN_WRITES.reset(token)


def housekeeping() -> Any:
    """Writes that may be repeated harmlessly (a conversation reference, an identity link):
    they neither carry the turn's claim nor count as its work."""
    return turn_writes(None)


class WriterQueue:
    """SQLite takes one writer at a time; this process's writers take turns in the event loop.

    Without it, every write transaction of a burst asks SQLite for the write lock at once, and
    each one refused polls for it in its driver thread with growing sleeps (SQLite's busy
    handler), while the one holding it waits behind the burst for the event loop to run its
    next step. Queued here, the next writer starts the moment the last one commits. Other
    processes (``charter run --workers N``) still meet SQLite's busy timeout. A task already
    writing is not queued behind itself, and a writer that waits longer than the statement
    timeout fails as a locked database does.
    """

    def __init__(self, *, queue: bool, timeout_seconds: float) -> None:
        self._queue = queue
        self._timeout = timeout_seconds
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._owner: asyncio.Task[Any] | None = None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if not self._queue or (task is not None and self._owner is task):
            yield
            return
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        lock = self._lock
        async with asyncio.timeout(self._timeout):
            await lock.acquire()
        try:
            self._owner = task
            yield
        finally:
            self._owner = None
            lock.release()


class DatabaseUrlError(ValueError):
    """The configured database URL is not one Charter can use."""


def normalise_database_url(raw: str) -> URL:
    """Turn the URL a person wrote into the async-driver URL SQLAlchemy needs.

    Accepts ``sqlite:///path``, ``sqlite+aiosqlite:///path``, ``postgresql://…``,
    ``postgres://…`` and ``postgresql+asyncpg://…``. libpq's ``sslmode`` is translated to
    asyncpg's ``ssl``.
    """
    try:
        url = make_url(raw.strip())
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
        raise DatabaseUrlError(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    backend = url.get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise DatabaseUrlError(
            f"DATABASE_URL uses '{backend}'; Charter supports SQLite and PostgreSQL."
        )
    explicit_driver = url.drivername.partition("+")[2]
    if explicit_driver and f"{backend}+{explicit_driver}" != _ASYNC_DRIVERS[backend]:
        raise DatabaseUrlError(
            f"DATABASE_URL names the driver '{explicit_driver}'; write a plain "
            f"{backend}:// URL and Charter uses its async driver."
        )
    url = url.set(drivername=_ASYNC_DRIVERS[backend])
    if "sslmode" in url.query:
        query = dict(url.query)
        query["ssl"] = query.pop("sslmode")
        url = url.set(query=query)
    return url


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def create_engine(
    raw_url: str,
    *,
    statement_timeout_seconds: float | None = STATEMENT_TIMEOUT_SECONDS,
    **kwargs: Any,
) -> AsyncEngine:
    """An async engine for the URL, with SQLite set up for a multi-task server and every
    statement bounded by ``statement_timeout_seconds`` (None: unbounded)."""
    url = normalise_database_url(raw_url)
    # A failed statement's error would otherwise quote every parameter: private notes and
    # health details would reach the log or a CLI traceback verbatim.
    kwargs.setdefault("hide_parameters", True)
    timeout = statement_timeout_seconds
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"timeout": timeout if timeout else 30})
        # The pool's rollback-on-return runs even when the connection's transaction has
        # already ended (committed, or rolled back by the session): on aiosqlite each is a
        # hand-off to the driver's thread. _configure_sqlite rolls back only a connection
        # still in a transaction.
        kwargs.setdefault("pool_reset_on_return", None)
        # aiosqlite with one thread hand-off per statement (storage.sqlite_driver).
        kwargs.setdefault("module", sqlite_driver.dbapi())
    else:
        # No ping round trip before every checkout (it was a third of a turn's round trips).
        # A connection the server dropped fails the statement that finds it; SQLAlchemy then
        # invalidates the pool, so the next checkout connects afresh. Recycling connections
        # before idle-timeouts of proxies and firewalls makes that rare.
        kwargs.setdefault("pool_recycle", 1800)
        connect_args: dict[str, Any] = {"timeout": CONNECT_TIMEOUT_SECONDS}
        if timeout:
            connect_args["command_timeout"] = timeout + 5
            connect_args["server_settings"] = {"statement_timeout": str(int(timeout * 1000))}
        kwargs.setdefault("connect_args", connect_args)
    resets_itself = kwargs.get("pool_reset_on_return", "rollback") is None
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        _configure_sqlite(
            engine, busy_timeout_ms=int((timeout or 30) * 1000), reset_on_return=resets_itself
        )
    return engine


def _configure_sqlite(engine: AsyncEngine, *, busy_timeout_ms: int, reset_on_return: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself, so transactions mean what they say.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    if reset_on_return:  # the pool's own reset is off (see create_engine)

        @event.listens_for(engine.sync_engine, "reset")
        def _on_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
            # sqlite3 knows without asking the database whether a transaction is open (the
            # adapter's rollback asks it, and forgets a BEGIN no statement followed).
            if state.asyncio_safe and (
                isinstance(dbapi_connection, sqlite_driver.CharterSqliteConnection)
                or dbapi_connection.driver_connection.in_transaction
            ):
                dbapi_connection.rollback()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write transaction takes the write lock up front (IMMEDIATE), so two writers
        # queue instead of failing late on upgrading a read lock. Reads begin deferred:
        # in WAL mode they never wait for a writer, so nested read sessions are safe.
        options = conn.get_execution_options()
        begin: str | None = "BEGIN IMMEDIATE" if options.get(WRITE_OPTION) else "BEGIN"
        if options.get(AUTOCOMMIT_OPTION):
            begin = None
        adapted = conn.connection.dbapi_connection
        if isinstance(adapted, sqlite_driver.CharterSqliteConnection):
            # Sent with the transaction's first statement.
            adapted.begin(begin, inline_reads=bool(options.get(INLINE_READS_OPTION)))
        elif begin is not None:
            conn.exec_driver_sql(begin)


class Database:
    """One engine and its session factory, owned by the app or a CLI command."""

    def __init__(self, raw_url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_database_url(raw_url)
        self.engine = create_engine(raw_url, **engine_kwargs)
        self.new_session = async_sessionmaker(self.engine, expire_on_commit=False)
        timeout = engine_kwargs.get("statement_timeout_seconds", STATEMENT_TIMEOUT_SECONDS)
        if is_sqlite(self.url):
            self.autocommit_options: dict[str, Any] = {AUTOCOMMIT_OPTION: True}
            self.quick_read_options: dict[str, Any] = {
                AUTOCOMMIT_OPTION: True,
                INLINE_READS_OPTION: True,
            }
        else:
            self.autocommit_options = {"isolation_level": "AUTOCOMMIT"}
            self.quick_read_options = self.autocommit_options
        self._driver_listeners: list[Callable[[str], None]] = []
        self._writers = WriterQueue(
            queue=is_sqlite(self.url), timeout_seconds=timeout or STATEMENT_TIMEOUT_SECONDS
        )
        # SQLite's busy timeout, as create_engine sets it on every connection.
        self._busy_timeout_ms = int((timeout or STATEMENT_TIMEOUT_SECONDS) * 1000)

    def sessions(self) -> AsyncSession | BorrowedSession:
        """A read session: a new one, or the turn's shared one (see :class:`SharedReads`)."""
        shared = shared_reads_for(self)
        if shared is not None:
            return shared.borrow()
        return self.new_session()

    @asynccontextmanager
    async def shared_reads(self) -> AsyncIterator[SharedReads]:
        """Within the block, this task's reads share one session until a write or a reply
        ends the sharing (see :class:`SharedReads`)."""
        shared = SharedReads(self)
        try:
            with sharing(shared):
                yield shared
        finally:
            await shared.end()

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one write transaction: committed on success, rolled back on error.

        Read-only work uses ``sessions()``; anything that writes goes through here.
        """
        # A write ends the turn's shared reads first: it never holds two connections at once.
        await end_shared_reads()
        writes = _TURN_WRITES.get()
        if writes is not None and writes.carried:
            writes = None
        async with (
            self._writers.turn(),
            self.new_session() as session,
            session.begin(),
        ):
            await session.connection(execution_options={WRITE_OPTION: True})
            yield session
            if writes is not None:
                await writes.carry(session)
        if writes is not None:
            writes.carried = True

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncConnection]:
        """A connection whose statements each commit on their own, for a write that is one
        statement: no BEGIN and COMMIT around it (one round trip on PostgreSQL, one hand-off
        on SQLite). It carries no turn's claim (see :func:`turn_writes`)."""
        await end_shared_reads()
        async with self._writers.turn(), self.engine.connect() as conn:
            await conn.execution_options(**self.autocommit_options)
            yield conn

    def on_driver_statement(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Calls ``listener`` with the SQL of each statement run straight through the driver
        (:meth:`write_alone`, :meth:`read_rows`), which SQLAlchemy's events do not see;
        returns what removes it."""
        self._driver_listeners.append(listener)
        return lambda: self._driver_listeners.remove(listener)

    def _driver_form(
        self, statement: DriverStatement, parameters: Mapping[str, Any]
    ) -> tuple[str, list[Any]]:
        sql, arguments = statement.driver_form(self.engine.dialect, parameters)
        for listener in self._driver_listeners:
            listener(sql)
        return sql, arguments

    async def write_alone(self, write: DriverStatement, parameters: Mapping[str, Any]) -> int:
        """Run ``write``, one statement that commits on its own, straight through the driver
        (see storage.driver_statements): the rows it changed. Like :meth:`autocommit`, it
        carries no turn's claim. A driver error discards the connection it happened on."""
        await end_shared_reads()
        sql, arguments = self._driver_form(write, parameters)
        async with self._writers.turn():
            changed = await greenlet_spawn(self._write_on_a_connection, sql, arguments)
        if changed is not None:
            return changed
        async with self.autocommit() as conn:  # another driver: through SQLAlchemy
            result = await conn.execute(write.statement, dict(parameters))
            return int(result.rowcount)

    def _write_on_a_connection(self, sql: str, arguments: Sequence[Any]) -> int | None:
        """(In a greenlet.) A connection checked out, the write run on it, the connection
        returned: one hand-off to SQLAlchemy's pool instead of two."""
        pooled = self.engine.sync_engine.raw_connection()
        try:
            return await_only(write_on(pooled, sql, arguments, self._busy_timeout_ms))
        except BaseException:
            pooled.invalidate()
            raise
        finally:
            pooled.close()

    async def read_rows(
        self, read: DriverStatement, parameters: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """Run ``read``, one SELECT, straight through the driver on this task's read
        connection (a turn's shared one, see :class:`SharedReads`): its rows, as SQLAlchemy
        would return them. A driver error discards the connection it happened on."""
        sql, arguments = self._driver_form(read, parameters)
        shared = shared_reads_for(self)
        if shared is not None:
            pooled = await shared.pooled()
            try:
                shared_rows = await fetch_on(pooled, sql, arguments)
            except BaseException:
                await shared.discard()
                raise
            if shared_rows is not None:
                return read.rows(self.engine.dialect, shared_rows)
        async with self.sessions() as session:
            connection = await session.connection()
            try:
                driver_rows = await fetch_on(await connection.get_raw_connection(), sql, arguments)
                if driver_rows is None:  # another driver: through SQLAlchemy
                    result = await connection.execute(read.statement, dict(parameters))
                    return [tuple(row) for row in result.all()]
            except BaseException:
                await connection.invalidate()
                raise
        return read.rows(self.engine.dialect, driver_rows)

    async def is_reachable(self, timeout_seconds: float = HEALTH_PROBE_SECONDS) -> bool:
        """The database answers, within ``timeout_seconds``, a read of the table every turn
        reads (not ``SELECT 1``: a database that is up but locked is not healthy)."""
        try:
            async with asyncio.timeout(timeout_seconds):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1 FROM employee LIMIT 1"))
            return True
        except Exception:
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.dispose()


async def execute_as_server_admin(server_url: str, sql: str) -> None:
    """Run one statement outside a transaction on the server ``server_url`` names, as
    CREATE DATABASE / DROP DATABASE need (tests and benchmarks make their own databases)."""
    url = normalise_database_url(server_url)
    admin = Database(url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        async with admin.engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await admin.dispose()
