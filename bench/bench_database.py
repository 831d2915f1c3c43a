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

from sqlalchemy import text

from domain.demo import seed_demo
from storage.database import Database, normalise_database_url
from storage.migrate import upgrade


async def _admin(sql: str, server_url: str) -> None:
    url = normalise_database_url(server_url)
    admin = Database(url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        async with admin.engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await admin.dispose()


@asynccontextmanager
async def demo_database(server_url: str | None, tmp: Path) -> AsyncIterator[str]:
    created: str | None = None
    if server_url:
        created = f"charter_bench_{uuid.uuid4().hex[:12]}"
        await _admin(f'CREATE DATABASE "{created}"', server_url)
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
            await _admin(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)', server_url)
