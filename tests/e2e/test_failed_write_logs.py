"""A save that the database refuses leaves no private text in the log.

The database is made to refuse any one-to-one with a private note (a trigger on SQLite, a
check constraint on PostgreSQL, whose error quotes the whole failing row). The manager gets
the apology with a reference; the log has that reference and a short summary of the
failure, and nowhere the note, the SQL parameters or a full traceback.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.logs import SummarisingFormatter
from domain.clock import FixedClock
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.e2e.test_one_to_ones_http import FORM
from tests.support.people import PRIYA_MANAGER
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, activity

NOTE = "Kestrel-7 private: sleeping badly since the diagnosis"

REFUSE_SQLITE = """
CREATE TRIGGER refuse_private_notes BEFORE INSERT ON one_to_one
WHEN NEW.private_note <> '' BEGIN SELECT RAISE(ABORT, 'one_to_one refused'); END
"""
REFUSE_POSTGRES = (
    "ALTER TABLE one_to_one ADD CONSTRAINT refuse_private_notes CHECK (private_note = '')"
)
UNDO_SQLITE = "DROP TRIGGER refuse_private_notes"
UNDO_POSTGRES = "ALTER TABLE one_to_one DROP CONSTRAINT refuse_private_notes"


@pytest.fixture
async def refusing_db(demo_org: Database) -> AsyncIterator[Database]:
    sqlite = demo_org.backend == "sqlite"
    async with demo_org.transaction() as session:
        await session.execute(text(REFUSE_SQLITE if sqlite else REFUSE_POSTGRES))
    try:
        yield demo_org
    finally:
        # The PostgreSQL test database is shared by the run's tests: leave it as it was.
        async with demo_org.transaction() as session:
            await session.execute(text(UNDO_SQLITE if sqlite else UNDO_POSTGRES))


@pytest.fixture
async def org_bot(db_url: str, refusing_db: Database) -> AsyncIterator[RunningBot]:
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    yield running
    await running.stop()


async def test_a_refused_save_logs_the_reference_but_no_private_text(
    org_bot: RunningBot, connector: ConnectorStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await org_bot.post(activity(PRIYA_MANAGER, connector.url, value={**FORM, "private_note": NOTE}))
    [reply] = await connector.wait_for(1)
    ref = re.search(r"ref(?:erence)?\W+([0-9A-F]{8})", json.dumps(reply), re.IGNORECASE)
    assert ref, reply

    [failure] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    logged = SummarisingFormatter().format(failure)
    assert ref.group(1) in logged
    assert "IntegrityError" in logged
    assert len(logged.splitlines()) <= 6
    everything = caplog.text + "\n".join(
        SummarisingFormatter().format(record) for record in caplog.records
    )
    assert "Kestrel-7" not in everything
    assert "Kestrel-7" not in json.dumps(reply)


async def test_the_engine_never_quotes_parameters_in_its_errors(refusing_db: Database) -> None:
    with pytest.raises(IntegrityError) as refused:
        async with refusing_db.transaction() as session:
            await session.execute(
                text(
                    "INSERT INTO one_to_one (employee_id, held_on, managing, developing,"
                    " supporting, wellbeing, shared_notes, private_note, wellbeing_concern,"
                    " logged_at, updated_at) SELECT id, :held, '', '', '', '', '', :note,"
                    " false, :now, :now FROM employee LIMIT 1"
                ),
                {"held": NOW.date(), "note": NOTE, "now": NOW},
            )
    assert refused.value.hide_parameters
    assert "parameters hidden" in str(refused.value)


def test_the_formatter_drops_exception_messages() -> None:
    try:
        try:
            raise ValueError(f"bad value {NOTE}")
        except ValueError as inner:
            raise RuntimeError(NOTE) from inner
    except RuntimeError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed ref=%s", ("AB12",), None
        )
        record.exc_info = sys.exc_info()
    record.exc_text = "a full traceback cached by another handler: " + NOTE
    logged = SummarisingFormatter("%(message)s").format(record)
    assert "Kestrel-7" not in logged
    assert logged.splitlines()[:2] == [
        "failed ref=AB12",
        "RuntimeError <- ValueError",
    ]
    assert "test_failed_write_logs.py" in logged
