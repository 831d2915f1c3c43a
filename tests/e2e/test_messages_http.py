"""The bot over HTTP, as Teams talks to it: activities in, replies out to the serviceUrl."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.config import Settings
from storage.database import Database
from storage.models import ConversationReferenceRecord, Employee, Feedback, ProcessedActivity
from tests.support.people import PRIYA_MANAGER, STRANGER
from tests.support.server import RunningBot, start_bot
from tests.support.teams import TENANT_ID, ConnectorStandIn, TeamsUser, activity, install


async def test_healthz_reports_version_and_database(bot: RunningBot) -> None:
    async with bot.session.get(f"{bot.url}/healthz") as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert body["version"]


async def test_help_is_answered_with_a_card_in_the_same_conversation(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    message = activity(PRIYA_MANAGER, connector.url, text="help")
    resp = await bot.post(message)
    assert resp.status in (200, 201)
    [reply] = await connector.wait_for(1)
    assert reply["_conversation"] == PRIYA_MANAGER.conversation_id
    assert reply["replyToId"] == message["id"]
    [card] = connector.cards()
    assert card["version"] == "1.5"
    titles = [a["title"] for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    assert "Log a 1:1" in titles and "My team" in titles  # what a manager does most
    assert [a["title"] for a in card["actions"]] == ["More"]  # and the rest


async def test_the_same_activity_delivered_twice_gets_one_reply(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    message = activity(PRIYA_MANAGER, connector.url, text="who am I")
    first = await bot.post(message)
    second = await bot.post(message)
    assert first.status in (200, 201) and second.status in (200, 201)
    await connector.wait_for(1)
    assert len(connector.received) == 1
    async with demo_db.sessions() as session:
        claims = await session.scalar(select(func.count()).select_from(ProcessedActivity))
    assert claims == 1


async def test_an_invoke_charter_does_not_handle_is_refused_with_a_400_not_a_500(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    invoke = activity(PRIYA_MANAGER, connector.url, type="invoke", text="")
    response = await bot.post(invoke)
    assert response.status == 400
    assert await response.json() == {"error": "Charter does not handle this kind of request."}


async def test_whoami_shows_role_manager_and_team(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    await bot.post(activity(PRIYA_MANAGER, connector.url, text="Who am I?"))
    await connector.wait_for(1)
    card_text = json.dumps(connector.cards()[0])
    assert "Priya Shah" in card_text
    assert "David Marsh" in card_text  # her line manager
    assert "Your team (5)" in card_text
    assert "manager" in card_text


async def test_someone_not_in_the_org_chart_is_told_how_to_be_added(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    await bot.post(activity(STRANGER, connector.url, text="help"))
    [reply] = await connector.wait_for(1)
    assert "organisation chart" in reply["text"]
    assert not connector.cards()
    async with demo_db.sessions() as session:
        refs = await session.scalar(select(func.count()).select_from(ConversationReferenceRecord))
    assert refs == 0


async def test_a_user_is_found_by_roster_email_and_their_aad_id_is_remembered(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    async with demo_db.transaction() as session:
        priya = await session.scalar(select(Employee).where(Employee.email == PRIYA_MANAGER.email))
        assert priya is not None
        priya.aad_object_id = None
    roster_only = TeamsUser(PRIYA_MANAGER.name, None, PRIYA_MANAGER.email)
    connector.add_member(
        TeamsUser(
            PRIYA_MANAGER.name,
            PRIYA_MANAGER.aad_object_id,
            PRIYA_MANAGER.email,
            user_id=roster_only.user_id,
        )
    )
    await bot.post(activity(roster_only, connector.url, text="who am i"))
    await connector.wait_for(1)
    assert "Priya Shah" in json.dumps(connector.cards()[0])
    async with demo_db.sessions() as session:
        linked = await session.scalar(
            select(Employee.aad_object_id).where(Employee.email == PRIYA_MANAGER.email)
        )
    assert linked == PRIYA_MANAGER.aad_object_id


async def test_install_welcomes_once_and_stores_the_conversation_reference(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    await bot.post(install(PRIYA_MANAGER, connector.url))
    await bot.post(
        activity(
            PRIYA_MANAGER,
            connector.url,
            type="conversationUpdate",
            membersAdded=[{"id": "28:charter-bot"}],
        )
    )
    await connector.wait_for(1)
    cards = connector.cards()
    assert len(cards) == 1
    assert "Welcome to Charter, Priya" in json.dumps(cards[0])
    async with demo_db.sessions() as session:
        ref = await session.scalar(select(ConversationReferenceRecord))
    assert ref is not None
    assert ref.conversation_id == PRIYA_MANAGER.conversation_id
    assert ref.service_url == connector.url
    assert json.loads(ref.reference_json)["user"]["aadObjectId"] == PRIYA_MANAGER.aad_object_id


async def test_conversation_reference_is_refreshed_on_every_turn(
    bot: RunningBot, demo_db: Database
) -> None:
    first = await ConnectorStandIn().start()
    moved = await ConnectorStandIn().start()
    try:
        await bot.post(activity(PRIYA_MANAGER, first.url, text="help"))
        await bot.post(activity(PRIYA_MANAGER, moved.url, text="help"))
        await moved.wait_for(1)
    finally:
        await first.stop()
        await moved.stop()
    async with demo_db.sessions() as session:
        refs = (await session.scalars(select(ConversationReferenceRecord))).all()
    assert [r.service_url for r in refs] == [moved.url]


async def test_feedback_conversation_over_http_is_saved(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    await bot.post(activity(PRIYA_MANAGER, connector.url, text="feedback"))
    await connector.wait_for(1)
    assert "What would you like HR to know" in connector.texts()[0]
    await bot.post(activity(PRIYA_MANAGER, connector.url, text="The team view would save me time"))
    await connector.wait_for(2)
    assert "send that to HR" in json.dumps(connector.received[1])
    await bot.post(activity(PRIYA_MANAGER, connector.url, text="yes"))
    await connector.wait_for(3)
    assert "passed that on to HR" in connector.texts()[2]
    async with demo_db.sessions() as session:
        saved = (await session.scalars(select(Feedback.text))).all()
    assert saved == ["The team view would save me time"]


async def test_unknown_text_is_taken_as_a_question_and_points_to_help(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    await bot.post(activity(PRIYA_MANAGER, connector.url, text="flibbertigibbet"))
    [reply] = await connector.wait_for(1)
    card = json.dumps(reply["attachments"][0]["content"])
    assert "not sure" in card
    assert "type **help**" in card
    assert "Traceback" not in card


async def test_an_internal_error_gets_an_apology_with_a_reference(
    bot: RunningBot, connector: ConnectorStandIn, monkeypatch
) -> None:
    async def broken(*_args: object) -> None:
        raise RuntimeError("database exploded: secret internals")

    monkeypatch.setattr("dialogs.router.Router.on_message", broken)
    resp = await bot.post(activity(PRIYA_MANAGER, connector.url, text="help"))
    assert resp.status in (200, 201)
    [reply] = await connector.wait_for(1)
    assert "Sorry, something went wrong" in reply["text"]
    assert "reference" in reply["text"]
    assert "secret internals" not in reply["text"]


async def test_malformed_requests_get_4xx_and_no_reply(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    assert await bot.post_raw(b"{not json") == 400
    assert await bot.post_raw(b"[1, 2, 3]") == 400
    assert await bot.post_raw(b'{"type": "message"}', content_type="text/plain") == 415
    assert await bot.post_raw(b'{"text": "no type"}') == 400
    huge = json.dumps(activity(PRIYA_MANAGER, connector.url, text="x" * 300_000)).encode()
    assert await bot.post_raw(huge) == 413
    assert connector.received == []


async def test_other_tenants_are_refused_when_an_allow_list_is_set(
    db_url: str, demo_db: Database, connector: ConnectorStandIn
) -> None:
    settings = Settings(database_url=db_url, allowed_tenants=frozenset({"tenant-we-serve"}))
    running = await start_bot(settings)
    try:
        resp = await running.post(activity(PRIYA_MANAGER, connector.url, text="help"))
        assert resp.status == 403
        ok = await running.post(
            activity(PRIYA_MANAGER, connector.url, text="help", tenant_id="tenant-we-serve")
        )
        assert ok.status in (200, 201)
        await connector.wait_for(1)
        assert len(connector.received) == 1
    finally:
        await running.stop()


async def test_with_an_app_id_a_request_without_a_valid_token_gets_401_and_no_reply(
    db_url: str, demo_db: Database, connector: ConnectorStandIn
) -> None:
    settings = Settings(
        database_url=db_url,
        app_id="6f1b1c2e-3d4a-4b5c-8d7e-9f0a1b2c3d4e",
        app_password="not-a-real-secret",
        app_tenant_id=TENANT_ID,
        service_hosts=("127.0.0.1", "smba.trafficmanager.net"),
    )
    running = await start_bot(settings)
    try:
        unsigned = await running.post(activity(PRIYA_MANAGER, connector.url, text="help"))
        assert unsigned.status == 401
        forged = await running.post(
            activity(PRIYA_MANAGER, connector.url, text="help"),
            Authorization="Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.",
        )
        assert forged.status == 401
    finally:
        await running.stop()
    assert connector.received == []
    async with demo_db.sessions() as session:
        claims = await session.scalar(select(func.count()).select_from(ProcessedActivity))
    assert claims == 0


async def test_an_email_match_never_takes_over_another_persons_teams_identity(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    """Priya is unlinked; a roster entry with her email but David's aadObjectId is refused."""
    async with demo_db.transaction() as session:
        priya = await session.scalar(select(Employee).where(Employee.email == PRIYA_MANAGER.email))
        assert priya is not None
        priya.aad_object_id = None
    impostor = TeamsUser("Someone", None, PRIYA_MANAGER.email)
    connector.add_member(
        TeamsUser(
            "Someone",
            "00000000-0000-4000-8000-000000000002",
            PRIYA_MANAGER.email,
            user_id=impostor.user_id,
        )
    )
    await bot.post(activity(impostor, connector.url, text="who am i"))
    [reply] = await connector.wait_for(1)
    assert "organisation chart" in reply["text"]
    async with demo_db.sessions() as session:
        linked = await session.scalar(
            select(Employee.aad_object_id).where(Employee.email == PRIYA_MANAGER.email)
        )
    assert linked is None


async def test_a_posted_continue_conversation_event_meets_the_tenant_guard(
    db_url: str, demo_db: Database, connector: ConnectorStandIn
) -> None:
    """Proactive is the bot's own code path: an inbound event named ContinueConversation from
    another tenant is refused, and cannot repoint where Priya's reminders go."""
    settings = Settings(database_url=db_url, allowed_tenants=frozenset({TENANT_ID.upper()}))
    running = await start_bot(settings)
    try:
        ok = await running.post(activity(PRIYA_MANAGER, connector.url, text="help"))
        assert ok.status in (200, 201)
        await connector.wait_for(1)
        async with demo_db.sessions() as session:
            before = await session.scalar(select(ConversationReferenceRecord.reference_json))
        forged = activity(
            PRIYA_MANAGER,
            connector.url,
            type="event",
            name="ContinueConversation",
            tenant_id="attacker-tenant",
        )
        forged["conversation"]["id"] = "a:attacker-chosen-conversation"
        resp = await running.post(forged)
        assert resp.status == 403
    finally:
        await running.stop()
    async with demo_db.sessions() as session:
        after = await session.scalar(select(ConversationReferenceRecord.reference_json))
    assert after == before
    assert "attacker" not in (after or "")
