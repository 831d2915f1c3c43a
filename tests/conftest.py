"""Shared fixtures: every database test runs on SQLite and, when configured, PostgreSQL.

* SQLite: the schema is migrated once into a template file, copied afresh for each test.
* PostgreSQL: ``CHARTER_TEST_DATABASE_URL`` names a server database; this run creates its own
  database beside it (``charter_test_<random>``), migrates it once, empties the tables before
  each test and drops the database at the end, so concurrent runs never collide.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.database import Database, execute_as_server_admin, normalise_database_url
from storage.migrate import upgrade
from storage.models import Base
from storage.reference_data import seed_reference_data

PG_ENV = "CHARTER_TEST_DATABASE_URL"


def pytest_report_header(config: pytest.Config) -> list[str]:
    if os.environ.get(PG_ENV):
        return [f"database backends: sqlite, postgresql ({PG_ENV} is set)"]
    return [f"database backends: sqlite only ({PG_ENV} is not set; PostgreSQL tests skipped)"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "charter.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    server_url = os.environ.get(PG_ENV)
    if not server_url:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} to run these tests on it")
    name = f"charter_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(execute_as_server_admin(server_url, f'CREATE DATABASE "{name}"'))
    url = normalise_database_url(server_url).set(database=name)
    plain = url.render_as_string(hide_password=False).replace("+asyncpg", "")
    upgrade(plain)
    try:
        yield plain
    finally:
        asyncio.run(
            execute_as_server_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        )


async def _empty_postgres(url: str) -> None:
    db = Database(url)
    try:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        async with db.transaction() as session:
            await session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            await (await session.connection()).run_sync(seed_reference_data)
    finally:
        await db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database URL (plain form, as a person would write it)."""
    if request.param == "sqlite":
        path = tmp_path / "charter.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_empty_postgres(url))
    return url


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = Database(db_url)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def demo_org(database: Database) -> Database:
    """The demo organisation chart only (no one-to-one history), as of 23 November 2026."""
    import io
    from datetime import date

    from services.demo import demo_org_csv
    from services.org_import import import_org

    result = await import_org(
        database, io.StringIO(demo_org_csv()), full=False, as_of=date(2026, 11, 23), demo=True
    )
    assert not result.problems
    return database
