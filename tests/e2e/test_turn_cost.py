"""What one `who am I` turn costs the database and the JSON parser (issue 17): its reads
share one connection and no transaction, it writes once (its claim, one statement), and the
activity is converted once."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import Activity
from sqlalchemy import event, func, select

from bot import app
from bot.app import RUNTIME
from storage.database import AUTOCOMMIT_OPTION, WRITE_OPTION
from storage.models import ProcessedActivity
from tests.support.people import PRIYA_MANAGER
from tests.support.server import RunningBot
from tests.support.statements import record_statements
from tests.support.teams import ConnectorStandIn, activity


async def _who_am_i(bot: RunningBot, connector: ConnectorStandIn) -> dict[str, Any]:
    connector.clear()
    body = activity(PRIYA_MANAGER, connector.url, text="who am I")
    response = await bot.post(body)
    assert response.status in (200, 201)
    await connector.wait_for(1)
    return body


async def test_a_turn_reads_without_a_transaction_and_writes_once(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    await _who_am_i(bot, connector)  # the first turn also stores the conversation reference
    engine = bot.runner.app[RUNTIME].database.engine.sync_engine
    transactions: list[str] = []

    def on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get(AUTOCOMMIT_OPTION) or options.get("isolation_level") == "AUTOCOMMIT":
            transactions.append("none")
        else:
            transactions.append("write" if options.get(WRITE_OPTION) else "read")

    def on_checkout(*_args: Any) -> None:
        checkouts.append(1)

    checkouts: list[int] = []
    database = bot.runner.app[RUNTIME].database
    statements = record_statements(database)
    event.listen(engine, "begin", on_begin)
    event.listen(engine.pool, "checkout", on_checkout)
    try:
        body = await _who_am_i(bot, connector)
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine.pool, "checkout", on_checkout)
    # The reads (the dedupe check with the dialog state and the person in one statement,
    # then their reports) share one connection with no BEGIN or ROLLBACK around them: they
    # run straight through the driver, and no SQLAlchemy session or transaction is made for
    # them. The activity's claim is one INSERT that commits on its own, on a second
    # connection, also straight through the driver. Nothing else is written.
    assert transactions == []
    assert [" ".join(s.split()[:3]) for s in statements] == [
        "SELECT (SELECT PROCESSED_ACTIVITY.ID",
        "SELECT EMPLOYEE.ID, EMPLOYEE.EMPLOYEE_ID,",
        "INSERT INTO PROCESSED_ACTIVITY",
    ]
    assert len(checkouts) == 2
    async with database.sessions() as session:
        claimed = await session.scalar(
            select(func.count())
            .select_from(ProcessedActivity)
            .where(ProcessedActivity.activity_id == body["id"])
        )
    assert claimed == 1


async def test_the_incoming_activity_is_converted_from_json_once(
    bot: RunningBot, connector: ConnectorStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversions: list[str] = []
    original = Activity.deserialize.__func__  # type: ignore[attr-defined]
    original_fast = app.activity_from_json

    def counting(cls: type[Activity], data: Any, content_type: str | None = None) -> Activity:
        if isinstance(data, dict) and data.get("text") == "who am I":
            conversions.append(f"msrest {data.get('id')}")
        return original(cls, data, content_type)  # type: ignore[no-any-return]

    def counting_fast(data: dict[str, Any]) -> Activity:
        if data.get("text") == "who am I":
            conversions.append(f"fast {data.get('id')}")
        return original_fast(data)

    monkeypatch.setattr(Activity, "deserialize", classmethod(counting))
    monkeypatch.setattr(app, "activity_from_json", counting_fast)
    body = await _who_am_i(bot, connector)
    # Once, and without msrest: an activity as Teams sends it is plain JSON.
    assert conversions == [f"fast {body['id']}"]
