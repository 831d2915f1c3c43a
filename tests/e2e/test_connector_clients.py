"""With authentication on, the process keeps one connector client per (app id, service URL,
audience) and one set of credentials, so turns, proactive messages and reminders share one
token: the SDK as shipped makes new credentials, and so acquires a new token from Entra ID,
for every reply. Inbound tokens are checked against a local OpenID stand-in; token
acquisition is counted by a stand-in for MSAL; nothing leaves the machine."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import RUNTIME
from domain.clock import FixedClock
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.support.bot_framework_auth import (
    CountingTokenIssuer,
    OpenIdStandIn,
    settings_with_local_openid,
)
from tests.support.people import DAVID_HEAD, HELEN_HR, PRIYA_MANAGER
from tests.support.server import start_bot
from tests.support.teams import TENANT_ID, ConnectorStandIn, activity

TURNS = 12


@pytest.fixture
async def openid() -> AsyncIterator[OpenIdStandIn]:
    stand_in = OpenIdStandIn().start()
    yield stand_in
    stand_in.stop()


async def test_turns_and_proactive_messages_share_one_client_and_one_token(
    db_url: str, demo_db: Database, openid: OpenIdStandIn, connector: ConnectorStandIn
) -> None:
    settings = settings_with_local_openid(
        openid.metadata_url, database_url=db_url, allowed_tenants=frozenset({TENANT_ID})
    )
    with CountingTokenIssuer.installed() as issuer:
        running = await start_bot(settings, FixedClock(NOW))
        try:
            for i in range(TURNS):
                user = (PRIYA_MANAGER, HELEN_HR, DAVID_HEAD)[i % 3]
                response = await running.post(
                    activity(user, connector.url, text="help"),
                    **openid.authorization(connector.url),
                )
                assert response.status < 300
            runtime = running.runner.app[RUNTIME]
            priya = await runtime.services.directory.by_email(PRIYA_MANAGER.email)
            assert priya is not None
            sent = await runtime.services.notifier.send_card(
                priya.id, {"type": "AdaptiveCard"}, "hello"
            )
            authentication = runtime.adapter.bot_framework_authentication
            clients = len(getattr(authentication, "clients", ()))
        finally:
            await running.stop()
    unauthenticated = await running_without_token_is_refused(settings, connector)
    assert sent, "the proactive message went out"
    assert len(connector.received) == TURNS + 1
    bearers = {message["_authorization"] for message in connector.received}
    assert len(bearers) == 1 and next(iter(bearers)).startswith("Bearer token-")
    assert issuer.acquisitions == 1, f"{issuer.acquisitions} tokens for {TURNS + 1} replies"
    assert clients == 1, "one client for one service URL and audience"
    assert unauthenticated == 401


async def running_without_token_is_refused(settings: object, connector: ConnectorStandIn) -> int:
    """The stand-in is really checked: the same request without a token is refused."""
    running = await start_bot(settings, FixedClock(NOW))  # type: ignore[arg-type]
    try:
        return (await running.post(activity(PRIYA_MANAGER, connector.url, text="help"))).status
    finally:
        await running.stop()
