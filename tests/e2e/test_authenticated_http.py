"""The bot over HTTP with authentication ON, as in production, offline.

Inbound tokens are signed by a local OpenID/JWKS stand-in the SDK's channel validation is
pointed at (its TO_BOT_FROM_CHANNEL_* settings); the bot's own outbound token comes from a
patched credential, so nothing contacts Microsoft. The Bot Connector is the usual local
stand-in, allowed as a service host here by CHARTER_SERVICE_HOSTS=127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botframework.connector.auth import MicrosoftAppCredentials
from sqlalchemy import select

from bot.app import RUNTIME
from bot.config import Settings
from bot.jobs.nudge_sender import TeamsDelivery
from bot.teams.proactive import ProactiveNotifier
from domain.clock import FixedClock
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from storage.models import ConversationReferenceRecord, Employee, Notice
from tests.e2e.conftest import NOW
from tests.support.bot_framework_auth import ISSUER, OpenIdStandIn
from tests.support.people import HELEN_HR, PRIYA_MANAGER
from tests.support.server import RunningBot, start_bot
from tests.support.teams import TENANT_ID, ConnectorStandIn, TeamsUser, activity

APP_ID = "6f1b1c2e-3d4a-4b5c-8d7e-9f0a1b2c3d4e"
OUTBOUND_TOKEN = "outbound-token-from-the-test-credential"
FOREIGN_TENANT = "11111111-2222-4333-8444-555555555555"


@dataclass(frozen=True)
class StandInCloudSettings(Settings):
    """Settings plus the SDK's parameterised-cloud names, pointing validation at the stand-in."""

    openid_metadata_url: str = ""

    @property
    def TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL(self) -> str:
        return self.openid_metadata_url

    @property
    def TO_BOT_FROM_CHANNEL_TOKEN_ISSUER(self) -> str:
        return ISSUER

    @property
    def TO_CHANNEL_FROM_BOT_OAUTH_SCOPE(self) -> str:
        return "https://api.botframework.com"

    @property
    def TO_CHANNEL_FROM_BOT_LOGIN_URL(self) -> str:
        # Never contacted (the credential is patched); a closed local port if it ever were.
        return "http://127.0.0.1:9/botframework.com"

    @property
    def VALIDATE_AUTHORITY(self) -> bool:
        return False


@pytest.fixture
def openid(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenIdStandIn]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    # The bot's token for the Bot Connector, as MSAL would return it from Entra ID.
    monkeypatch.setattr(
        MicrosoftAppCredentials,
        "get_access_token",
        lambda self, force_refresh=False: OUTBOUND_TOKEN,
    )
    stand_in = OpenIdStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
async def second_connector() -> AsyncIterator[ConnectorStandIn]:
    stand_in = await ConnectorStandIn().start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def secured(
    db_url: str, demo_db: Database, openid: OpenIdStandIn
) -> AsyncIterator[RunningBot]:
    # The tenant in upper case: Azure shows GUIDs one way and Teams sends them another.
    settings = StandInCloudSettings(
        database_url=db_url,
        app_id=APP_ID,
        app_password="not-a-real-secret",
        app_type="SingleTenant",
        app_tenant_id=TENANT_ID.upper(),
        service_hosts=("127.0.0.1", "smba.trafficmanager.net"),
        openid_metadata_url=openid.metadata_url,
    )
    running = await start_bot(settings, FixedClock(NOW))
    yield running
    await running.stop()


async def post_signed(bot: RunningBot, openid: OpenIdStandIn, body: dict[str, Any]) -> int:
    token = openid.token(app_id=APP_ID, service_url=body["serviceUrl"])
    response = await bot.post(body, Authorization=f"Bearer {token}")
    return response.status


async def unlink(database: Database, email: str) -> None:
    async with database.transaction() as session:
        employee = await session.scalar(select(Employee).where(Employee.email == email))
        assert employee is not None
        employee.aad_object_id = None


async def linked_aad(database: Database, email: str) -> str | None:
    async with database.sessions() as session:
        return await session.scalar(select(Employee.aad_object_id).where(Employee.email == email))


async def test_a_signed_activity_is_answered_with_the_bots_token(
    secured: RunningBot, openid: OpenIdStandIn, connector: ConnectorStandIn
) -> None:
    body = activity(PRIYA_MANAGER, connector.url, text="help")
    assert await post_signed(secured, openid, body) in (200, 201)
    [reply] = await connector.wait_for(1)
    assert reply["_authorization"] == f"Bearer {OUTBOUND_TOKEN}"
    unsigned = await secured.post(activity(PRIYA_MANAGER, connector.url, text="help"))
    assert unsigned.status == 401


async def test_a_foreign_tenant_user_with_the_hr_admins_email_is_not_linked_and_sees_nothing(
    secured: RunningBot, openid: OpenIdStandIn, connector: ConnectorStandIn, demo_db: Database
) -> None:
    """Helen (HR admin) is not yet linked. Someone in another tenant whose directory gives
    them Helen's address must not become Helen; Helen herself is then linked as usual."""
    await unlink(demo_db, HELEN_HR.email)
    attacker = TeamsUser("Not Helen", "99999999-0000-4000-8000-000000000099", HELEN_HR.email)
    connector.add_member(attacker)
    status = await post_signed(
        secured,
        openid,
        activity(attacker, connector.url, text="who am i", tenant_id=FOREIGN_TENANT),
    )
    assert status == 403
    assert connector.received == []
    assert await linked_aad(demo_db, HELEN_HR.email) is None

    connector.add_member(HELEN_HR)
    helen = TeamsUser(HELEN_HR.name, None, HELEN_HR.email, user_id=HELEN_HR.user_id)
    status = await post_signed(secured, openid, activity(helen, connector.url, text="who am i"))
    assert status in (200, 201)
    await connector.wait_for(1)
    assert "Helen Okafor" in json.dumps(connector.cards())
    assert await linked_aad(demo_db, HELEN_HR.email) == HELEN_HR.aad_object_id


async def test_a_signed_activity_naming_a_host_not_on_the_list_gets_no_call(
    secured: RunningBot, openid: OpenIdStandIn, second_connector: ConnectorStandIn
) -> None:
    """The token is bound to the serviceUrl, but the host must also be a Teams service host."""
    elsewhere = second_connector.url.replace("127.0.0.1", "localhost")
    body = activity(PRIYA_MANAGER, elsewhere, text="help")
    assert await post_signed(secured, openid, body) == 400
    assert second_connector.received == []


async def test_stored_references_to_other_hosts_get_no_token(
    secured: RunningBot,
    connector: ConnectorStandIn,
    second_connector: ConnectorStandIn,
    demo_db: Database,
) -> None:
    """A reference stored in local mode (or a pilot) names a host that is not a Teams service
    host: with authentication on, neither proactive messages nor reminders use it."""
    runtime = secured.runner.app[RUNTIME]
    references = ConversationReferences(demo_db)
    async with demo_db.sessions() as session:
        priya_pk = await session.scalar(
            select(Employee.id).where(Employee.email == PRIYA_MANAGER.email)
        )
        helen_pk = await session.scalar(select(Employee.id).where(Employee.email == HELEN_HR.email))
    assert priya_pk is not None and helen_pk is not None
    stale = second_connector.url.replace("127.0.0.1", "localhost")
    for user, pk, url in ((PRIYA_MANAGER, priya_pk, stale), (HELEN_HR, helen_pk, connector.url)):
        await references.save(
            {
                "channelId": "msteams",
                "serviceUrl": url,
                "conversation": {"id": user.conversation_id, "tenantId": TENANT_ID},
                "user": {"id": user.user_id, "aadObjectId": user.aad_object_id},
                "bot": {"id": "28:charter-bot"},
            },
            user_id=user.user_id,
            aad_object_id=user.aad_object_id,
            tenant_id=TENANT_ID,
            employee_id=pk,
        )
    card = {"type": "AdaptiveCard", "version": "1.5", "body": []}

    # Both have started a chat, so both notices are queued; the sender refuses Priya's host
    # (her notice is unreachable) and brings Helen hers.
    notifier = ProactiveNotifier(runtime.adapter, APP_ID, references)
    assert await notifier.send_card(priya_pk, card, "reminder") is True
    assert await notifier.send_card(helen_pk, card, "reminder") is True
    await notifier.close()  # lets the drain the sends woke finish
    async with demo_db.sessions() as session:
        outcomes = dict((await session.execute(select(Notice.recipient_id, Notice.status))).all())
    assert outcomes == {priya_pk: "undeliverable", helen_pk: "sent"}

    delivery = TeamsDelivery(runtime.adapter, APP_ID, references, demo_db)
    try:
        result = await delivery.deliver(priya_pk, card, "reminder")
    finally:
        await delivery.close()
    assert result.status == 404
    assert "not a Teams or Bot Framework service host" in result.error

    assert second_connector.received == []
    [sent] = await connector.wait_for(1)
    assert sent["_authorization"] == f"Bearer {OUTBOUND_TOKEN}"
    async with demo_db.sessions() as session:
        kept = await session.scalar(
            select(ConversationReferenceRecord.service_url).where(
                ConversationReferenceRecord.employee_id == priya_pk
            )
        )
    assert kept == stale  # not used, and not silently rewritten either
