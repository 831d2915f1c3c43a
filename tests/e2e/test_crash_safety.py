"""SIGKILL in the middle of the work that writes, then start again: the database opens, its
migrations are at head, and nothing is half-written.

* an org import of a large file, killed once the database shows its transaction writing;
* a one-to-one card submit, killed while the bot is replying (the record is committed) and
  killed a moment after the request arrives (the record is wholly there or wholly absent);
  either way submitting it again leaves exactly one;
* a reminder run, killed while it is sending: after the restart everyone has their digest,
  only messages in flight (claimed, not yet marked sent) can go twice, and planning again
  queues nothing new.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func, select, text, update

from domain.working_days import previous_working_day
from services.demo import seed_demo
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from storage.migrate import current_revision, head_revision
from storage.models import Employee, NudgeDigest, OneToOne, OneToOneAction, OneToOneRevision
from tests.support.chat import NOW
from tests.support.people import PRIYA_MANAGER
from tests.support.teams import activity
from tests.support.throttled_connector import ThrottledConnector

pytestmark = pytest.mark.slow

CHARTER = str(Path(sys.executable).parent / "charter")
IMPORT_ROWS = 40_000


# --- helpers ----------------------------------------------------------------------------------


def service_env(db_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "MicrosoftAppId": "",
        "CHARTER_LOG_LEVEL": "WARNING",
        "CHARTER_NUDGE_SCHEDULE": "off",
        **extra,
    }


def kill(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=10)


async def count(database: Database, model: Any, *where: Any) -> int:
    async with database.sessions() as session:
        query = select(func.count()).select_from(model)
        return int(await session.scalar(query.where(*where) if where else query) or 0)


async def assert_opens_at_head(db_url: str) -> None:
    """A fresh engine opens the database, it is intact, and its schema is at the head."""
    async with Database(db_url) as database, database.engine.connect() as conn:
        assert await conn.run_sync(current_revision) == head_revision()
        if database.backend == "sqlite":
            assert (await conn.execute(text("PRAGMA integrity_check"))).scalar() == "ok"


async def import_is_writing(database: Database, db_url: str) -> bool:
    """The import's transaction has started writing rows (and has not committed)."""
    if database.backend == "sqlite":
        wal = Path(db_url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 1_000_000
    async with database.engine.connect() as conn:
        writers = await conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
        )
    return bool(writers)


def big_org_csv(path: Path, rows: int) -> None:
    lines = ["employee_id,name,email,manager_email,department,job_title,start_date"]
    boss = "big.boss@demo-council.example"
    lines.append(f"B000000,Big Boss,{boss},,Libraries,Head of Service,2015-04-01")
    lines += [
        f"B{n:06d},Person {n},person{n}@demo-council.example,{boss},Libraries,Assistant,2020-01-06"
        for n in range(1, rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- (a) an import --------------------------------------------------------------------------


async def test_sigkill_during_an_org_import_writes_nothing_and_a_rerun_imports_all(
    demo_org: Database, db_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "org.csv"
    big_org_csv(source, IMPORT_ROWS)
    before = await count(demo_org, Employee)
    command = [CHARTER, "import", "org", str(source)]
    process = subprocess.Popen(
        command, env=service_env(db_url), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        while not await import_is_writing(demo_org, db_url):
            assert process.poll() is None, "the import finished before it could be killed"
            assert time.monotonic() < deadline, "the import never started writing"
            await asyncio.sleep(0.02)
        assert kill(process) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    await demo_org.dispose()  # a fresh start, as after a crash
    await assert_opens_at_head(db_url)
    assert await count(demo_org, Employee) == before, "part of the import was written"

    rerun = await asyncio.to_thread(
        subprocess.run, command, env=service_env(db_url), capture_output=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert await count(demo_org, Employee) == before + IMPORT_ROWS


# --- (b) a card submit ----------------------------------------------------------------------


class GatedConnector:
    """Records the bot's replies; while ``hold`` is set, takes them and never answers."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.hold = False
        self.arrived = asyncio.Event()
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        self.arrived.set()
        if self.hold:
            await self._release.wait()
        return web.json_response({"id": f"r-{len(self.received)}"})

    async def start(self) -> GatedConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations/{c}/activities", self._send)
        app.router.add_post("/v3/conversations/{c}/activities/{r}", self._send)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def text(self) -> str:
        return str(self.received)


class BotProcess:
    """``charter run`` in its own process, on a free port."""

    def __init__(self, db_url: str, cwd: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        env = service_env(db_url, PORT=str(self.port), HOST="127.0.0.1")
        self.process = subprocess.Popen(
            [CHARTER, "run"], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    async def healthy(self, session: aiohttp.ClientSession) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the bot exited"
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"http://127.0.0.1:{self.port}/healthz") as resp:
                    if resp.status == 200:
                        return
            await asyncio.sleep(0.1)
        raise AssertionError("the bot did not become healthy")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def one_to_one_form(employee_id: str, today: date, note: str) -> dict[str, Any]:
    return {
        "form": "one_to_one",
        "employee_id": employee_id,
        # A working day: these bots run on the real clock, and a one-to-one dated on a
        # weekend or bank holiday is questioned before it's saved.
        "held_on": previous_working_day(today - timedelta(days=2)).isoformat(),
        "managing": "Rota for December.",
        "developing": "",
        "supporting": "",
        "wellbeing": "",
        "wellbeing_concern": "false",
        "shared_notes": note,
        "private_note": "",
        "action_1_text": "Book the course",
        "action_1_owner": "employee",
        "action_1_due": (today + timedelta(days=21)).isoformat(),
    }


async def one_to_ones_with(database: Database, employee_id: str, note: str) -> list[int]:
    async with database.sessions() as session:
        ids = await session.scalars(
            select(OneToOne.id)
            .join(Employee, Employee.id == OneToOne.employee_id)
            .where(Employee.employee_id == employee_id, OneToOne.shared_notes == note)
        )
        return list(ids)


async def assert_whole(database: Database, record_id: int) -> None:
    """The record came with everything written in its transaction: its action, its revision."""
    assert await count(database, OneToOneAction, OneToOneAction.one_to_one_id == record_id) == 1
    assert await count(database, OneToOneRevision, OneToOneRevision.one_to_one_id == record_id) >= 1


@pytest.fixture
async def gated() -> AsyncIterator[GatedConnector]:
    connector = await GatedConnector().start()
    yield connector
    await connector.stop()


async def test_sigkill_during_a_card_submit_leaves_the_record_whole_or_absent(
    db_url: str, tmp_path: Path, gated: GatedConnector
) -> None:
    today = date.today()
    database = Database(db_url)
    await seed_demo(database, today)
    bots: list[BotProcess] = []
    try:
        async with aiohttp.ClientSession() as session:

            async def start() -> BotProcess:
                bots.append(BotProcess(db_url, tmp_path))
                await bots[-1].healthy(session)
                return bots[-1]

            async def post(bot: BotProcess, body: dict[str, Any]) -> None:
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.post(bot.url, json=body) as resp:
                        await resp.read()

            # 1. Killed while replying: the one-to-one was committed before the reply went.
            bot = await start()
            form = one_to_one_form("D013", today, "Killed while replying")
            gated.hold = True
            pending = asyncio.create_task(post(bot, activity(PRIYA_MANAGER, gated.url, value=form)))
            await asyncio.wait_for(gated.arrived.wait(), 20)
            assert "Saved: one-to-one with Rhys Evans" in gated.text()
            assert kill(bot.process) == -signal.SIGKILL
            await pending
            gated.hold = False
            await database.dispose()
            await assert_opens_at_head(db_url)
            [record] = await one_to_ones_with(database, "D013", "Killed while replying")
            await assert_whole(database, record)

            # ...and sending it again after the restart does not record it twice.
            bot = await start()
            gated.received.clear()
            await post(bot, activity(PRIYA_MANAGER, gated.url, value=form))
            assert "already saved" in gated.text()
            assert await one_to_ones_with(database, "D013", "Killed while replying") == [record]

            # 2. Killed a moment after the request arrived: whole or absent, then exactly one.
            form = one_to_one_form("D011", today, "Killed mid-turn")
            pending = asyncio.create_task(post(bot, activity(PRIYA_MANAGER, gated.url, value=form)))
            await asyncio.sleep(0.05)
            kill(bot.process)
            await pending
            await database.dispose()
            await assert_opens_at_head(db_url)
            found = await one_to_ones_with(database, "D011", "Killed mid-turn")
            assert len(found) <= 1
            for record in found:
                await assert_whole(database, record)
            bot = await start()
            gated.received.clear()
            await post(bot, activity(PRIYA_MANAGER, gated.url, value=form))
            assert "Saved: one-to-one" in gated.text() or "already saved" in gated.text()
            assert len(await one_to_ones_with(database, "D011", "Killed mid-turn")) == 1
    finally:
        for bot in bots:
            bot.stop()
        await database.dispose()


async def submit_is_waiting_on_a_lock(database: Database) -> bool:
    """Another session of this database is waiting for a lock (PostgreSQL)."""
    async with database.engine.connect() as conn:
        waiting = await conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


async def test_sigkill_while_a_submit_waits_on_a_lock_and_the_redelivery_saves_it(
    db_url: str, tmp_path: Path, gated: GatedConnector
) -> None:
    """The claim on the activity commits with the submit's write, not before it: Teams'
    re-delivery of the same activity after the crash is handled, not taken for a duplicate."""
    today = date.today()
    database = Database(db_url)
    await seed_demo(database, today)
    bots: list[BotProcess] = []
    form = one_to_one_form("D013", today, "Killed while waiting on a lock")
    submit = activity(PRIYA_MANAGER, gated.url, value=form)
    try:
        async with aiohttp.ClientSession() as session:

            async def start() -> BotProcess:
                bots.append(BotProcess(db_url, tmp_path))
                await bots[-1].healthy(session)
                return bots[-1]

            async def post(bot: BotProcess, body: dict[str, Any]) -> None:
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.post(bot.url, json=body) as resp:
                        await resp.read()

            bot = await start()
            # Hold Rhys's row (on SQLite, the database's write lock) so the submit waits.
            async with database.transaction() as holder:
                await holder.execute(
                    select(Employee.id).where(Employee.employee_id == "D013").with_for_update()
                )
                pending = asyncio.create_task(post(bot, submit))
                if database.backend == "postgresql":
                    deadline = time.monotonic() + 20
                    while not await submit_is_waiting_on_a_lock(database):
                        assert time.monotonic() < deadline, "the submit never waited"
                        await asyncio.sleep(0.05)
                else:
                    await asyncio.sleep(1.5)
                assert not gated.received, "the turn answered before its write"
                assert kill(bot.process) == -signal.SIGKILL
                await pending
            await database.dispose()
            assert await one_to_ones_with(database, "D013", "Killed while waiting on a lock") == []

            # Teams delivers the same activity again (same id) to the restarted bot.
            bot = await start()
            await post(bot, submit)
            assert "Saved: one-to-one with Rhys Evans" in gated.text()
            [record] = await one_to_ones_with(database, "D013", "Killed while waiting on a lock")
            await assert_whole(database, record)

            # And once more: now it is a duplicate, answered by nobody and written once.
            gated.received.clear()
            await post(bot, submit)
            assert gated.received == []
            assert await one_to_ones_with(database, "D013", "Killed while waiting on a lock") == [
                record
            ]
    finally:
        for bot in bots:
            bot.stop()
        await database.dispose()


# --- (c) a reminder run -----------------------------------------------------------------------


async def give_everyone_a_chat(database: Database, url: str) -> None:
    references = ConversationReferences(database)
    async with database.sessions() as session:
        people = (await session.execute(select(Employee.id, Employee.aad_object_id))).all()
    for pk, aad in people:
        await references.save(
            {
                "channelId": "msteams",
                "serviceUrl": url,
                "conversation": {"id": f"a:chat-{pk}"},
                "user": {"id": f"29:{pk}", "aadObjectId": aad},
                "bot": {"id": "28:charter"},
            },
            user_id=f"29:{pk}",
            aad_object_id=aad,
            tenant_id="t",
            employee_id=pk,
        )


async def test_sigkill_during_a_reminder_run_loses_nothing_and_repeats_only_in_flight(
    demo_org: Database, db_url: str
) -> None:
    # Two digests go through; the rest stay in flight, unanswered, until the sender dies.
    connector = await ThrottledConnector(delay=0.4, hold_after=2).start()
    command = [sys.executable, "-m", "tests.support.nudge_run_process"]
    try:
        await give_everyone_a_chat(demo_org, connector.url)
        process = subprocess.Popen(command, env=service_env(db_url), stdout=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while sum(connector.delivered.values()) < 2:
                assert process.poll() is None, "the run finished before it could be killed"
                assert time.monotonic() < deadline, "the run never started sending"
                await asyncio.sleep(0.02)
            assert kill(process) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        queued = await count(demo_org, NudgeDigest)
        assert queued >= 3 and sum(connector.delivered.values()) < queued
        async with demo_org.sessions() as session:
            rows = (
                await session.execute(select(NudgeDigest.recipient_id, NudgeDigest.status))
            ).all()
        finished = {f"a:chat-{pk}" for pk, status in rows if status == "sent"}
        in_flight = sum(1 for _, status in rows if status == "sending")

        await demo_org.dispose()
        await assert_opens_at_head(db_url)
        # The dead run's claim on the digest in flight goes stale (after ten minutes).
        async with demo_org.transaction() as session:
            await session.execute(
                update(NudgeDigest)
                .where(NudgeDigest.status == "sending")
                .values(claimed_at=NOW - timedelta(hours=1))
            )
        connector.delay = 0.0
        connector.release()
        rerun = await asyncio.to_thread(
            subprocess.run, command, env=service_env(db_url), capture_output=True, timeout=120
        )
        assert rerun.returncode == 0, rerun.stderr
        assert b"queued=0" in rerun.stdout, "planning again queued new digests"
    finally:
        await connector.stop()

    assert await count(demo_org, NudgeDigest) == queued
    assert await count(demo_org, NudgeDigest, NudgeDigest.status != "sent") == 0
    counts = sorted(connector.delivered.values())
    assert len(counts) == queued and min(counts) == 1, "someone's reminder was lost"
    # Only a digest the dead run had claimed but not marked sent can go twice.
    assert sum(counts) - queued <= in_flight, "more than the messages in flight went twice"
    assert all(connector.delivered[c] == 1 for c in finished), "a finished digest went twice"
