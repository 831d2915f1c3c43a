"""Every statement a database runs, whether through SQLAlchemy or straight through the driver
(storage.database.Database.read_rows and write_alone, which SQLAlchemy's events miss)."""

from __future__ import annotations

from sqlalchemy import event

from storage.database import Database


def record_statements(database: Database) -> list[str]:
    """From now on, each statement's SQL (upper case, leading space removed) is appended."""
    statements: list[str] = []

    def record(sql: str) -> None:
        statements.append(sql.lstrip().upper())

    event.listen(
        database.engine.sync_engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_rest: record(statement),
    )
    database.on_driver_statement(record)
    return statements
