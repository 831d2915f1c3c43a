"""A fresh, migrated database with the demo organisation for one benchmark run: a SQLite
file in a temporary directory, or (given a PostgreSQL server URL) a database of its own on
that server, dropped afterwards, so a benchmark never writes into a database it was pointed
at."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from services.demo import seed_demo
from storage.database import Database, execute_as_server_admin, normalise_database_url
from storage.migrate import upgrade


@asynccontextmanager
async def demo_database(server_url: str | None, tmp: Path) -> AsyncIterator[str]:
    created: str | None = None
    if server_url:
        created = f"charter_bench_{uuid.uuid4().hex[:12]}"
        await execute_as_server_admin(server_url, f'CREATE DATABASE "{created}"')
        url = normalise_database_url(server_url).set(database=created)
        db_url = url.render_as_string(hide_password=False).replace("+asyncpg", "")
    else:
        db_url = f"sqlite:///{tmp / 'bench.db'}"
    try:
        await asyncio.to_thread(upgrade, db_url)
        database = Database(db_url)
        try:
            await seed_demo(database, date.today())
        finally:
            await database.dispose()
        yield db_url
    finally:
        if created and server_url:
            await execute_as_server_admin(
                server_url, f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'
            )
