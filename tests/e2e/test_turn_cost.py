"""What one `who am I` turn costs the database and the JSON parser (issue 17): its reads
share one transaction, it writes once (its claim), and the activity is converted once."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import Activity
from sqlalchemy import event

from bot.app import RUNTIME
from storage.database import WRITE_OPTION
from tests.support.people import PRIYA_MANAGER
from tests.support.server import RunningBot
from tests.support.teams import ConnectorStandIn, activity


async def _who_am_i(bot: RunningBot, connector: ConnectorStandIn) -> dict[str, Any]:
    connector.clear()
    body = activity(PRIYA_MANAGER, connector.url, text="who am I")
    response = await bot.post(body)
    assert response.status in (200, 201)
    await connector.wait_for(1)
    return body


async def test_a_turn_reads_in_one_transaction_and_writes_once(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    await _who_am_i(bot, connector)  # the first turn also stores the conversation reference
    engine = bot.runner.app[RUNTIME].database.engine.sync_engine
    transactions: list[str] = []

    def on_begin(conn: Any) -> None:
        writes = conn.get_execution_options().get(WRITE_OPTION, False)
        transactions.append("write" if writes else "read")

    event.listen(engine, "begin", on_begin)
    try:
        await _who_am_i(bot, connector)
    finally:
        event.remove(engine, "begin", on_begin)
    # The dedupe check, the person, their dialog state and their reports: one read. The
    # activity's claim: one write.
    assert transactions == ["read", "write"]


async def test_the_incoming_activity_is_converted_from_json_once(
    bot: RunningBot, connector: ConnectorStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversions: list[str] = []
    original = Activity.deserialize.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Activity], data: Any, content_type: str | None = None) -> Activity:
        if isinstance(data, dict) and data.get("text") == "who am I":
            conversions.append(str(data.get("id")))
        return original(cls, data, content_type)  # type: ignore[no-any-return]

    monkeypatch.setattr(Activity, "deserialize", classmethod(counting))
    body = await _who_am_i(bot, connector)
    assert conversions == [body["id"]]
