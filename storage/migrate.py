"""Run Alembic migrations programmatically, so no alembic.ini has to be found on disk."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Stored raw; env.py normalises it to the async driver. '%' must be escaped for ConfigParser.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database up to ``revision``. Blocking: call from sync code or a thread."""
    command.upgrade(alembic_config(database_url), revision)


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(sync_connection: object) -> str | None:
    """The revision a database is at; for use inside ``AsyncConnection.run_sync``."""
    return MigrationContext.configure(sync_connection).get_current_revision()  # type: ignore[arg-type]
