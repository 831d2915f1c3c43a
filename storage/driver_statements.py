"""Statements run straight through the database driver, for the few every turn runs: its
once-only check and its claim (see :meth:`storage.database.Database.read_rows` and
:meth:`~storage.database.Database.write_alone`). Around one small statement, SQLAlchemy's
connection, execution and result layers cost more CPU than the database's own work; here a
statement is compiled once per dialect and its values converted as SQLAlchemy converts them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.pool import PoolProxiedConnection

from storage import sqlite_driver

_Convert = Callable[[Any], Any] | None


class DriverStatement:
    """A statement run straight through the driver (:meth:`Database.write_alone`,
    :meth:`Database.read_rows`): compiled once per dialect, its parameters put in the driver's
    order and its parameters and result columns converted as SQLAlchemy converts them (on
    SQLite a date travels as text)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, list[tuple[str, _Convert]], list[_Convert]]] = {}
        self._converting: dict[str, tuple[int, tuple[tuple[int, Any], ...]]] = {}

    def _for(self, dialect: Dialect) -> tuple[str, list[tuple[str, _Convert]], list[_Convert]]:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            done = self.statement.compile(dialect=dialect)  # type: ignore[attr-defined]
            order = [
                (name, done.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                for name in done.positiontup or ()
            ]
            columns = getattr(self.statement, "selected_columns", ())
            results = [
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in columns
            ]
            compiled = self._compiled[dialect.name] = (str(done), order, results)
        return compiled

    def driver_form(self, dialect: Dialect, parameters: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL text and positional arguments for ``dialect``'s driver."""
        sql, order, _results = self._for(dialect)
        return sql, [
            convert(parameters[name]) if convert else parameters[name] for name, convert in order
        ]

    def rows(self, dialect: Dialect, driver_rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """The driver's rows as SQLAlchemy would have returned them."""
        width, converting = self._conversions(dialect)
        if not converting:
            return [tuple(row) for row in driver_rows]
        converted = []
        for row in driver_rows:
            values = list(row)
            if len(values) != width:
                raise ValueError(f"a row of {len(values)} columns for {width} selected")
            for index, convert in converting:
                values[index] = convert(values[index])
            converted.append(tuple(values))
        return converted

    def _conversions(self, dialect: Dialect) -> tuple[int, tuple[tuple[int, Any], ...]]:
        """How many columns a row has, and the (index, converter) of those converted: only
        those are touched, row by row (most columns need nothing)."""
        found = self._converting.get(dialect.name)
        if found is None:
            results = self._for(dialect)[2]
            converting = tuple((index, convert) for index, convert in enumerate(results) if convert)
            found = self._converting[dialect.name] = (len(results), converting)
        return found


async def write_on(
    pooled: PoolProxiedConnection, sql: str, arguments: Sequence[Any], busy_timeout_ms: int
) -> int | None:
    """Run one write that commits on its own on the pooled connection: the rows it changed,
    or None if the driver is not one handled here. SQLite waits up to ``busy_timeout_ms``
    for another process's write lock."""
    adapted = pooled.dbapi_connection
    if isinstance(adapted, sqlite_driver.CharterSqliteConnection):
        return await adapted.run_alone(sql, arguments, busy_timeout_ms=busy_timeout_ms)
    driver: Any = pooled.driver_connection
    if _is_asyncpg(driver):
        status = await driver.execute(sql, *arguments)
        return int(status.rsplit(" ", 1)[-1])
    return None


async def fetch_on(
    pooled: PoolProxiedConnection, sql: str, arguments: Sequence[Any]
) -> list[Sequence[Any]] | None:
    """Run one SELECT on the pooled connection (on SQLite inline if the connection reads
    inline): the driver's rows, or None if the driver is not one handled here."""
    adapted = pooled.dbapi_connection
    if isinstance(adapted, sqlite_driver.CharterSqliteConnection):
        return list((await adapted.run(sql, arguments))[1] or [])
    driver: Any = pooled.driver_connection
    if _is_asyncpg(driver):
        return list(await driver.fetch(sql, *arguments))
    return None


def reads_alone(pooled: PoolProxiedConnection) -> None:
    """Ready a connection just checked out of the pool for :func:`fetch_on` reads outside any
    transaction: on SQLite, run inline (as a session's autocommit read connection runs them,
    see storage.database); asyncpg needs nothing (a statement it is given stands alone)."""
    adapted = pooled.dbapi_connection
    if isinstance(adapted, sqlite_driver.CharterSqliteConnection):
        adapted.begin(None, inline_reads=True)


def _is_asyncpg(driver: object) -> bool:
    return type(driver).__module__.startswith("asyncpg")
