"""Calls to the Bot Connector are bounded by CHARTER_OUTBOUND_TIMEOUT_SECONDS: a connector that
accepts the request and never answers cannot hold a turn, a proactive message or a reminder
send for msrest's default 100 seconds. Each call is made once (no hidden retries, no apology
sent the same way), and a hanging connector holds no thread that other users' turns need.
Calls never follow redirects and never turn userinfo in the service URL into credentials."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.config import Settings
from bot.jobs.nudge_sender import TeamsDelivery
from bot.runtime import build_runtime
from bot.teams.proactive import ProactiveNotifier
from domain.clock import FixedClock
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.support.people import DAVID_HEAD, HELEN_HR, PRIYA_MANAGER
from tests.support.server import start_bot
from tests.support.teams import ConnectorStandIn, activity

TIMEOUT_S = 1
BOUND_S = 8  # the call and the apology each give up after TIMEOUT_S; msrest retries reads
# One bounded call and nothing after it: the timeout plus a little for the turn itself.
ONE_CALL_S = TIMEOUT_S + 1.5


class SilentConnector:
    """Accepts every request and never answers (until the test ends)."""

    def __init__(self) -> None:
        self.requests = 0
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _hang(self, request: web.Request) -> web.Response:
        self.requests += 1
        await self._release.wait()
        return web.json_response({"id": "late"})

    async def start(self) -> SilentConnector:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._hang)
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


@pytest.fixture
async def silent() -> AsyncIterator[SilentConnector]:
    connector = await SilentConnector().start()
    yield connector
    await connector.stop()


async def test_a_reply_to_a_silent_connector_gives_up_within_the_timeout(
    db_url: str, demo_db: Database, silent: SilentConnector
) -> None:
    settings = Settings(database_url=db_url, outbound_timeout_seconds=TIMEOUT_S)
    running = await start_bot(settings, FixedClock(NOW))
    try:
        started = time.monotonic()
        status = (await running.post(activity(PRIYA_MANAGER, silent.url, text="help"))).status
        elapsed = time.monotonic() - started
    finally:
        await running.stop()
    assert silent.requests >= 1, "the reply did go to the connector"
    assert status < 500
    assert elapsed < BOUND_S, f"the turn waited {elapsed:.1f} s for a silent connector"


async def test_proactive_and_reminder_sends_give_up_within_the_timeout(
    db_url: str, demo_db: Database, silent: SilentConnector
) -> None:
    settings = Settings(database_url=db_url, outbound_timeout_seconds=TIMEOUT_S)
    runtime = build_runtime(settings, FixedClock(NOW))
    references = ConversationReferences(runtime.database)
    reference = {
        "activityId": "1",
        "user": {"id": PRIYA_MANAGER.user_id, "aadObjectId": PRIYA_MANAGER.aad_object_id},
        "bot": {"id": "28:charter-bot"},
        "conversation": {"id": PRIYA_MANAGER.conversation_id, "conversationType": "personal"},
        "channelId": "msteams",
        "serviceUrl": silent.url,
    }
    priya = await runtime.services.directory.by_email(PRIYA_MANAGER.email)
    assert priya is not None
    await references.save(
        reference,
        user_id=PRIYA_MANAGER.user_id,
        aad_object_id=PRIYA_MANAGER.aad_object_id,
        tenant_id=None,
        employee_id=priya.id,
    )
    notifier = ProactiveNotifier(runtime.adapter, "", references)
    delivery = TeamsDelivery(runtime.adapter, "", references, runtime.database)
    try:
        # A notice is queued, not sent in the caller's time: it never waits on the connector.
        started = time.monotonic()
        assert await notifier.send_card(priya.id, {"type": "AdaptiveCard"}, "hi") is True
        assert time.monotonic() - started < TIMEOUT_S
        # Its sender's send (the same delivery as the reminders', below) is bounded too.
        started = time.monotonic()
        await notifier.close()
        assert time.monotonic() - started < BOUND_S

        started = time.monotonic()
        result = await delivery.deliver(priya.id, {"type": "AdaptiveCard"}, "hi")
        assert time.monotonic() - started < BOUND_S
        assert result.status != 200, "a send nobody answered is not delivered"
    finally:
        await delivery.close()
        await runtime.database.dispose()
    assert silent.requests >= 2


async def test_a_help_turn_against_a_silent_connector_makes_one_call_within_the_bound(
    db_url: str, demo_db: Database, silent: SilentConnector
) -> None:
    settings = Settings(database_url=db_url, outbound_timeout_seconds=TIMEOUT_S)
    running = await start_bot(settings, FixedClock(NOW))
    try:
        started = time.monotonic()
        status = (await running.post(activity(PRIYA_MANAGER, silent.url, text="help"))).status
        elapsed = time.monotonic() - started
    finally:
        await running.stop()
    assert status < 500
    assert silent.requests == 1, f"{silent.requests} calls: retried, or an apology followed"
    assert elapsed < ONE_CALL_S, f"the turn waited {elapsed:.1f} s for a silent connector"


async def test_turns_on_a_healthy_connector_answer_while_many_turns_hang(
    db_url: str, demo_db: Database, silent: SilentConnector, connector: ConnectorStandIn
) -> None:
    hanging_turns = 24  # several times the default thread pool on a small machine
    settings = Settings(database_url=db_url, outbound_timeout_seconds=10)
    running = await start_bot(settings, FixedClock(NOW))
    try:
        hanging = [
            asyncio.create_task(running.post(activity(PRIYA_MANAGER, silent.url, text="help")))
            for _ in range(hanging_turns)
        ]
        deadline = time.monotonic() + 8
        while silent.requests < hanging_turns and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        waiting_on_teams = silent.requests

        waits = []
        for user in (HELEN_HR, DAVID_HEAD, HELEN_HR, DAVID_HEAD):
            started = time.monotonic()
            status = (await running.post(activity(user, connector.url, text="help"))).status
            waits.append(time.monotonic() - started)
            assert status < 300
        await asyncio.gather(*hanging)
    finally:
        await running.stop()
    assert len(connector.received) == 4, "each healthy user got their answer"
    assert max(waits) < 1.5, f"healthy users waited {max(waits):.1f} s behind a hanging Teams"
    assert waiting_on_teams == hanging_turns, "every hanging turn was waiting on Teams at once"


class RedirectingConnector(ConnectorStandIn):
    """Answers every send with a 307 to another path of its own, and records what arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []
        self.authorizations: list[str | None] = []

    async def start(self) -> RedirectingConnector:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._redirect)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def _redirect(self, request: web.Request) -> web.Response:
        self.paths.append(request.path)
        self.authorizations.append(request.headers.get("Authorization"))
        await request.read()
        if request.path.startswith("/elsewhere"):
            return web.json_response({"id": "followed"})
        raise web.HTTPTemporaryRedirect(location=f"{self.url}elsewhere{request.path}")


async def test_connector_calls_follow_no_redirect(db_url: str, demo_db: Database) -> None:
    # A service URL with userinfo is refused before any call (test_hostile_activities); the
    # transport strips userinfo too (test_connector_transport), so here only the redirect.
    redirecting = await RedirectingConnector().start()
    running = await start_bot(Settings(database_url=db_url), FixedClock(NOW))
    try:
        await running.post(activity(PRIYA_MANAGER, redirecting.url, text="help"))
    finally:
        await running.stop()
        await redirecting.stop()
    assert redirecting.paths, "the reply did go to the connector"
    assert not [p for p in redirecting.paths if p.startswith("/elsewhere")], "followed a 307"
    assert redirecting.authorizations == [None] * len(redirecting.paths)
