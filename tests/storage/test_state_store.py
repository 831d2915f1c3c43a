"""Optimistic concurrency of bot state, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogSet, DialogTurnStatus, WaterfallDialog
from botbuilder.dialogs.prompts import PromptOptions, TextPrompt
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from sqlalchemy import event, select, text

from bot.teams.state_storage import DatabaseStorage, StateConflict
from storage.activity_log import ActivityLog
from storage.database import Database
from storage.models import ProcessedActivity
from storage.state_store import EtagConflict, ItemWrite, StateStore


async def test_write_read_and_etag_changes_on_every_write(database: Database) -> None:
    store = StateStore(database)
    first = await store.write({"k": ItemWrite('{"n": 1}')})
    read = await store.read(["k", "missing"])
    assert list(read) == ["k"]
    assert read["k"].data == '{"n": 1}' and read["k"].etag == first["k"]
    second = await store.write({"k": ItemWrite('{"n": 2}', expected_etag=first["k"])})
    assert second["k"] != first["k"]


async def test_a_stale_etag_is_refused_and_nothing_is_written(database: Database) -> None:
    store = StateStore(database)
    etag = (await store.write({"k": ItemWrite("v1")}))["k"]
    await store.write({"k": ItemWrite("v2", expected_etag=etag)})
    with pytest.raises(EtagConflict):
        await store.write({"other": ItemWrite("new"), "k": ItemWrite("v3", expected_etag=etag)})
    read = await store.read(["k", "other"])
    assert read["k"].data == "v2"
    assert "other" not in read  # the batch is all or nothing


async def test_wildcard_and_missing_etag_mean_last_write_wins(database: Database) -> None:
    store = StateStore(database)
    await store.write({"k": ItemWrite("v1")})
    await store.write({"k": ItemWrite("v2", expected_etag="*")})
    await store.write({"k": ItemWrite("v3")})
    assert (await store.read(["k"]))["k"].data == "v3"


async def test_delete(database: Database) -> None:
    store = StateStore(database)
    await store.write({"a": ItemWrite("1"), "b": ItemWrite("2")})
    await store.delete(["a"])
    assert list(await store.read(["a", "b"])) == ["b"]


async def test_concurrent_writers_with_the_same_etag_one_wins(database: Database) -> None:
    store = StateStore(database)
    etag = (await store.write({"k": ItemWrite("start")}))["k"]

    async def attempt(value: str) -> bool:
        try:
            await store.write({"k": ItemWrite(value, expected_etag=etag)})
            return True
        except EtagConflict:
            return False

    results = await asyncio.gather(*(attempt(f"v{i}") for i in range(5)))
    assert sorted(results) == [False, False, False, False, True]


def _activity(text: str) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        text=text,
        channel_id="msteams",
        conversation=ConversationAccount(id="conv-1"),
        from_property=ChannelAccount(id="user-1"),
        recipient=ChannelAccount(id="bot"),
        service_url="http://127.0.0.1:1/",
    )


async def test_dialog_state_survives_a_new_storage_instance(database: Database) -> None:
    """What a restart does: a fresh storage object reads the dialog stack back."""

    def make_bot(storage: DatabaseStorage):  # type: ignore[no-untyped-def]
        state = ConversationState(storage)
        dialogs = DialogSet(state.create_property("DialogState"))
        dialogs.add(TextPrompt("name"))

        async def ask(step):  # type: ignore[no-untyped-def]
            return await step.prompt(
                "name", PromptOptions(prompt=Activity(type="message", text="Name?"))
            )

        async def done(step):  # type: ignore[no-untyped-def]
            await step.context.send_activity(f"Hello {step.result}")
            return await step.end_dialog()

        dialogs.add(WaterfallDialog("flow", [ask, done]))

        async def logic(turn: TurnContext) -> None:
            dc = await dialogs.create_context(turn)
            result = await dc.continue_dialog()
            if result.status == DialogTurnStatus.Empty:
                await dc.begin_dialog("flow")
            await state.save_changes(turn)

        return logic

    first = TestAdapter(make_bot(DatabaseStorage(StateStore(database))))
    await first.send("start")
    second = TestAdapter(make_bot(DatabaseStorage(StateStore(database))))
    await second.send("Ada")
    assert [a.text for a in second.activity_buffer] == ["Hello Ada"]


async def test_bot_state_with_a_stale_etag_raises_state_conflict(database: Database) -> None:
    storage = DatabaseStorage(StateStore(database))
    await storage.write({"conv": {"count": 1}})
    one = await storage.read(["conv"])
    two = await storage.read(["conv"])
    one["conv"]["count"] = 2
    await storage.write(one)
    two["conv"]["count"] = 3
    with pytest.raises(StateConflict):
        await storage.write(two)
    assert (await storage.read(["conv"]))["conv"]["count"] == 2


async def test_an_activity_is_claimed_once_even_when_deliveries_race(database: Database) -> None:
    log = ActivityLog(database)
    results = await asyncio.gather(*(log.claim("msteams", "c1", "a1") for _ in range(4)))
    assert sorted(results) == [False, False, False, True]
    await log.release("msteams", "c1", "a1")
    assert await log.claim("msteams", "c1", "a1")


async def test_a_claim_written_through_the_driver_reads_back_as_sqlalchemy_writes_it(
    database: Database,
) -> None:
    """The claim of a turn that wrote nothing skips SQLAlchemy's execution layer: its time
    must still be stored in SQLAlchemy's form, or the clean-up of old claims misses it."""
    log = ActivityLog(database)
    before = datetime.now(UTC)
    assert await log.claim("msteams", "c1", "a1")
    async with database.sessions() as session:
        received = await session.scalar(
            select(ProcessedActivity.received_at).where(ProcessedActivity.activity_id == "a1")
        )
    assert received is not None
    assert abs(received.replace(tzinfo=UTC) - before) < timedelta(seconds=5)
    assert await log.forget_older_than(timedelta(hours=1)) == 0
    assert await log.forget_older_than(timedelta(seconds=-5)) == 1
    assert await log.claim("msteams", "c1", "a1")


async def test_a_failed_claim_discards_its_connection(database: Database) -> None:
    """A driver error on the bare claim path (here, the table gone) is raised, and the
    connection it happened on is not handed to the next caller."""
    log = ActivityLog(database)
    invalidated: list[object] = []
    event.listen(database.engine.sync_engine.pool, "invalidate", lambda *a: invalidated.append(a))
    async with database.transaction() as session:
        await session.execute(text("ALTER TABLE processed_activity RENAME TO gone"))
    with pytest.raises(Exception, match="processed_activity"):
        await log.claim("msteams", "c1", "a1")
    assert len(invalidated) == 1
    async with database.transaction() as session:
        await session.execute(text("ALTER TABLE gone RENAME TO processed_activity"))
    assert await log.claim("msteams", "c1", "a1")
