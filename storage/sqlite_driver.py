"""SQLAlchemy's aiosqlite adapter, crossing to the connection's thread once per statement, or
not at all for a turn's quick reads.

aiosqlite runs each SQLite connection in a thread of its own, and SQLAlchemy's adapter hands
every step of a statement to that thread separately: make a cursor, execute, fetch the rows,
close the cursor. Each hand-off wakes the thread and then the event loop (on a virtual
machine, each wake-up of another CPU is an interrupt the host handles); a ``who am I`` turn
made 23 of them, more CPU time than everything else in the turn. Here:

- a statement runs in one hand-off (cursor, execute, rows, close);
- a transaction's ``BEGIN`` travels with its first statement (SQLite starts it there anyway);
- ``commit``/``rollback`` of a connection with no transaction open (a read that already ended,
  a ``BEGIN`` that no statement followed) do not cross to the thread at all: sqlite3 knows
  without asking the database whether a transaction is open;
- a connection set to *inline reads* (a turn's first reads, see
  :meth:`storage.database.Database.shared_reads`) runs its SELECTs on the event loop's own
  thread, each on its own (no transaction). In WAL mode a read never waits for a lock, and a
  look-up by key takes a few tens of microseconds, less than one hand-off. A read that runs
  longer than :data:`INLINE_STEPS` of SQLite's virtual machine is interrupted and run again
  in the thread, and that statement goes to the thread from then on: a big query holds up
  the event loop for a millisecond or so, once.

Errors, results and transactions are SQLite's as before; only the crossings are fewer. The
dialect is SQLAlchemy's own (``sqlite+aiosqlite``); only its DB-API module is this one
(``create_engine(..., module=...)``, see :mod:`storage.database`).
"""

from __future__ import annotations

import collections
import itertools
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

_Outcome = tuple[Any, list[Any] | None, int, int | None]

# SQLite calls the progress handler every PROGRESS_STEP virtual-machine instructions; an
# inline read is interrupted after INLINE_STEPS of them (about a millisecond of work).
PROGRESS_STEP = 1_000
INLINE_STEPS = 50_000
_SLOW_STATEMENTS: set[str] = set()
_SLOW_LIMIT = 1_000
# One lone write in this many runs in the connection's thread, where SQLite may checkpoint
# the write-ahead log (inline writes never do: a checkpoint syncs the disk).
THREAD_WRITE_EVERY = 64
_lone_writes = itertools.count()


def _run(
    conn: sqlite3.Connection, begin: str | None, operation: str, parameters: Any, many: bool
) -> _Outcome:
    """The pending BEGIN, the statement, its rows (in whichever thread calls it)."""
    if begin is not None:
        conn.execute(begin)
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _write_inline(
    conn: sqlite3.Connection, busy_timeout_ms: int, operation: str, parameters: Any
) -> int | None:
    """One statement on its own, on the calling thread, if the database's write lock is free
    now: the rows it changed, or None if another process holds the lock (nothing changed).
    It never waits for the lock and never checkpoints the write-ahead log."""
    conn.execute("PRAGMA busy_timeout=0")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    try:
        return conn.execute(operation, parameters).rowcount
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
            raise
        return None
    finally:
        conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        conn.execute("PRAGMA wal_autocheckpoint=1000")


def _may_inline(operation: str) -> bool:
    return operation.lstrip()[:6].upper() == "SELECT" and operation not in _SLOW_STATEMENTS


class _InlineBudget:
    """SQLite's progress handler for one connection: interrupts an inline read that runs
    past its budget (only while one runs; statements in the thread are never interrupted)."""

    __slots__ = ("active", "steps")

    def __init__(self) -> None:
        self.active = False
        self.steps = 0

    def __call__(self) -> int:
        if not self.active:
            return 0
        self.steps += PROGRESS_STEP
        return 1 if self.steps >= INLINE_STEPS else 0

    def run(self, conn: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome | None:
        """The read's outcome, or None if it ran past its budget (nothing was changed)."""
        self.active, self.steps = True, 0
        try:
            return _run(conn, None, operation, parameters, False)
        except sqlite3.OperationalError:
            if self.steps < INLINE_STEPS:
                raise
            if len(_SLOW_STATEMENTS) < _SLOW_LIMIT:
                _SLOW_STATEMENTS.add(operation)
            return None
        finally:
            self.active = False


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose statement, rows and close take one trip to the thread."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: CharterSqliteConnection) -> None:
        # No aiosqlite cursor (making one is a hand-off of its own).
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # none is made
        self._soft_closed_memoized = EMPTY_DICT
        self._rows: collections.deque[Any] = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: Any = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return int(self._lastrowid) if self._lastrowid is not None else 0

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        return None

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._one_hop(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._one_hop(operation, seq_of_parameters, many=True)

    async def _one_hop(self, operation: str, parameters: Any, *, many: bool) -> None:
        adapt: CharterSqliteConnection = self._adapt_connection  # type: ignore[assignment]
        self._keep(await adapt.run(operation, parameters, many=many))

    def _keep(self, outcome: _Outcome) -> None:
        description, rows, self._rowcount, self._lastrowid = outcome
        self._description = description
        self._rows = collections.deque(rows) if rows is not None else collections.deque()

    def nextset(self) -> None:
        return None

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None

    def fetchall(self) -> Sequence[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows


class CharterSqliteConnection(AsyncAdapt_aiosqlite_connection):
    """The adapted connection: statements in one hand-off, BEGIN deferred to the first one,
    and (when told) reads inline."""

    __slots__ = ("_pending_begin", "budget", "inline_reads")
    _cursor_cls = OneHopCursor  # type: ignore[assignment]  # a subclass of the adapter's

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection) -> None:
        super().__init__(dbapi, connection)  # type: ignore[arg-type]  # aiosqlite's own
        self._pending_begin: str | None = None
        self.inline_reads = False
        self.budget = _InlineBudget()
        connection._conn.set_progress_handler(self.budget, PROGRESS_STEP)

    def begin(self, statement: str | None, *, inline_reads: bool = False) -> None:
        """How this transaction starts: ``BEGIN`` (or ``BEGIN IMMEDIATE``), sent with its first
        statement; or None, each statement on its own (autocommit), its SELECTs inline if
        ``inline_reads``."""
        self._pending_begin = statement
        self.inline_reads = inline_reads and statement is None

    async def run(self, operation: str, parameters: Any, *, many: bool = False) -> _Outcome:
        """The statement in one hand-off (with the pending BEGIN), or inline if this
        connection reads inline and it is a SELECT (see :meth:`begin`)."""
        async with self._execute_mutex:
            begin, self._pending_begin = self._pending_begin, None
            conn = self._connection._conn
            outcome: _Outcome | None = None
            if self.inline_reads and begin is None and not many and _may_inline(operation):
                outcome = self.budget.run(conn, operation, parameters)
            if outcome is None:
                outcome = await self._connection._execute(
                    _run, conn, begin, operation, parameters, many
                )
        return outcome

    async def run_alone(
        self, operation: str, parameters: Sequence[Any], *, busy_timeout_ms: int
    ) -> int:
        """One write statement outside any transaction (it commits on its own), without
        SQLAlchemy's cursor; the rows it changed. It runs on the event loop's thread when the
        write lock is free (a one-row write takes tens of microseconds, less than a hand-off
        to the connection's thread), else in that thread, waiting up to ``busy_timeout_ms``
        for the lock as every write does. The caller holds this process's writer turn
        (storage.database.WriterQueue), so only another process can hold the lock."""
        async with self._execute_mutex:
            conn = self._connection._conn
            if next(_lone_writes) % THREAD_WRITE_EVERY:
                changed = _write_inline(conn, busy_timeout_ms, operation, parameters)
                if changed is not None:
                    return changed
            outcome = await self._connection._execute(
                _run, conn, None, operation, parameters, False
            )
        return int(outcome[2])

    def in_transaction(self) -> bool:
        conn = self._connection._connection
        return conn is not None and conn.in_transaction

    def rollback(self) -> None:
        self._pending_begin = None
        if self.in_transaction():
            super().rollback()

    def commit(self) -> None:
        self._pending_begin = None
        if self.in_transaction():
            super().commit()


class CharterSqliteDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """aiosqlite as SQLAlchemy's dialect sees it, handing out :class:`CharterSqliteConnection`."""

    def connect(self, *arg: Any, **kw: Any) -> CharterSqliteConnection:
        # Inline reads use the connection from the event loop's thread, never at the same
        # time as its own thread (every statement is awaited before the next).
        kw["check_same_thread"] = False
        connection = self.aiosqlite.connect(*arg, **kw)
        # The thread must not keep the process alive (as SQLAlchemy's own adapter does).
        connection._thread.daemon = True
        return CharterSqliteConnection(self, await_(connection))


def dbapi() -> CharterSqliteDBAPI:
    return CharterSqliteDBAPI(aiosqlite, sqlite3)
