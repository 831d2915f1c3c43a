"""Hostile and broken activities against the real HTTP endpoint (property-based).

One bot (and one seeded demo database) is started per backend for the whole module; each
hypothesis example posts to it. The properties, for every example:

* the status is 2xx or 4xx, never 5xx;
* nothing the bot sends to the connector carries Python internals (tracebacks, exception
  names, file paths, SQL);
* invalid or forbidden input changes no record: the record tables are snapshotted before and
  after and must be identical.

Cases the existing HTTP tests already pin (bad JSON, 413, 415, 401, other tenants) are not
repeated here; these generate many variants of the activity and of card payloads instead.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.config import Settings
from dialogs.router import STATELESS_FORMS
from domain.clock import FixedClock
from services.demo import seed_demo
from storage.database import Database
from storage.models import Base, ProcessedActivity
from tests.e2e.conftest import NOW
from tests.support.people import (
    DAVID_HEAD,
    HELEN_HR,
    MARGARET_STAFF,
    PRIYA_MANAGER,
    RHYS_STAFF,
    STRANGER,
    TOM_MANAGER,
)
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, TeamsUser, activity

pytestmark = pytest.mark.asyncio(loop_scope="module")

LIMIT = 32_768  # the body limit this module runs with, so "near and over it" stays fast
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Bookkeeping a turn may write whatever it is asked: claims, dialog state, where to reach the
# person, audit trail and questions asked. Everything else is a record and must not change.
BOOKKEEPING = {
    "processed_activity",
    "state_item",
    "conversation_reference",
    "audit_event",
    "question_asked",
    "alembic_version",
}
INTERNALS = re.compile(
    r"Traceback|Exception|Error\b|File \"|\.py\b|site-packages|/work/|sqlalchemy|asyncpg|"
    r"sqlite3|SELECT |INSERT |UPDATE |DELETE FROM|psycopg|KeyError|TypeError|ValueError",
)
PEOPLE = [PRIYA_MANAGER, TOM_MANAGER, RHYS_STAFF, MARGARET_STAFF, HELEN_HR, DAVID_HEAD, STRANGER]


@dataclass
class Harness:
    bot: RunningBot
    connector: ConnectorStandIn
    database: Database

    async def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        tables: dict[str, list[tuple[Any, ...]]] = {}
        async with self.database.sessions() as session:
            for table in Base.metadata.sorted_tables:
                if table.name in BOOKKEEPING:
                    continue
                rows = (await session.execute(select(table))).all()
                tables[table.name] = sorted(tuple(map(repr, row)) for row in rows)
        return tables

    async def post_json(self, body: object) -> int:
        raw = json.dumps(body).encode()
        return await self.bot.post_raw(raw)

    def replies(self) -> str:
        return json.dumps(self.connector.received, ensure_ascii=False)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """A migrated, empty database for this module alone."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("hostile") / "charter.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    from tests.conftest import _empty_postgres

    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_empty_postgres(url))
    yield url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness(module_db_url: str) -> AsyncIterator[Harness]:
    database = Database(module_db_url)
    await seed_demo(database, NOW.date())
    connector = await ConnectorStandIn().start()
    settings_ = Settings(database_url=module_db_url, max_request_bytes=LIMIT)
    bot = await start_bot(settings_, FixedClock(NOW))
    try:
        yield Harness(bot, connector, database)
    finally:
        await bot.stop()
        await connector.stop()
        await database.dispose()


@pytest.fixture
def h(harness: Harness) -> Harness:
    harness.connector.clear()
    return harness


def assert_polite(h: Harness, status: int) -> None:
    assert status < 500, f"HTTP {status}"
    found = INTERNALS.search(h.replies())
    assert found is None, f"internals leaked to the user: {found.group(0)!r} in {h.replies()}"


# --- strategies -----------------------------------------------------------------------------

ODD_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "\u202eevil\u202c help",  # right-to-left override
            "\u05e9\u05dc\u05d5\u05dd help",  # Hebrew
            "\u0645\u0631\u062d\u0628\u0627",  # Arabic
            "he\u200blp",  # zero-width space
            "\ufeffhelp",  # byte order mark
            "h\u0000elp",  # NUL
            "\U0001f600\U0001f469\u200d\U0001f4bb help",  # emoji, ZWJ sequence
            "\ud800 lone high surrogate",
            "lone low surrogate \udc00",
            "feedback",
            "off sick Rhys \u0000",
            "log one-to-one with \u202eRhys",
            "Rhys is back \U0001f389",
            "%s %n {0} ${jndi:ldap://127.0.0.1/x}",
            "'; DROP TABLE employee; --",
            "=cmd|' /C calc'!A0",
            "\r\n\t" * 50,
        ]
    ),
    st.integers(0, 1000).map(lambda n: "x" * n),
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
# Service URLs that can never leave this machine.
SAFE_SERVICE_URLS = st.sampled_from(
    ["", "not a url", "ftp://127.0.0.1:1/", "/relative/", "javascript:alert(1)"]
)
TOP_LEVEL = [
    "type",
    "id",
    "timestamp",
    "channelId",
    "from",
    "conversation",
    "recipient",
    "text",
    "value",
    "entities",
    "channelData",
    "locale",
    "textFormat",
    "attachments",
    "replyToId",
    "name",
]
NESTED = [("from", "id"), ("from", "aadObjectId"), ("from", "name"), ("conversation", "id")]
NESTED += [("conversation", "tenantId"), ("conversation", "conversationType")]
NESTED += [("channelData", "tenant"), ("recipient", "id")]


@st.composite
def malformed_activities(draw: st.DrawFn, service_url: str) -> tuple[TeamsUser, dict[str, Any]]:
    user = draw(st.sampled_from(PEOPLE))
    body = activity(user, service_url, text=draw(ODD_TEXT))
    for key in draw(st.lists(st.sampled_from(TOP_LEVEL), max_size=3, unique=True)):
        if draw(st.booleans()):
            body.pop(key, None)
        else:
            body[key] = draw(JSON_VALUES)
    for outer, inner in draw(st.lists(st.sampled_from(NESTED), max_size=2, unique=True)):
        if isinstance(body.get(outer), dict):
            body[outer][inner] = draw(JSON_VALUES)
    if draw(st.integers(0, 9)) == 0:
        body["serviceUrl"] = draw(st.one_of(SAFE_SERVICE_URLS, JSON_VALUES))
    body["type"] = body.get("type", draw(st.sampled_from(["message", "invoke", "event", ""])))
    return user, body


# --- malformed activities -----------------------------------------------------------------


@EXAMPLES
@given(data=st.data())
async def test_malformed_activities_never_get_a_5xx_or_internals(
    h: Harness, data: st.DataObject
) -> None:
    h.connector.clear()
    before = await h.snapshot()
    user, body = data.draw(malformed_activities(h.connector.url))
    status = await h.post_json(body)
    assert_polite(h, status)
    await h.post_json(activity(user, h.connector.url, text="cancel"))
    # None of these is a valid request for a record change (text commands only open cards).
    assert await h.snapshot() == before


@settings(EXAMPLES, max_examples=25)
@given(text=ODD_TEXT, user=st.sampled_from(PEOPLE))
async def test_odd_unicode_text_gets_a_polite_answer(
    h: Harness, text: str, user: TeamsUser
) -> None:
    h.connector.clear()
    before = await h.snapshot()
    status = await h.post_json(activity(user, h.connector.url, text=text))
    assert 200 <= status < 300, f"HTTP {status}"
    assert_polite(h, status)
    assert h.connector.received, "a message from a person always gets an answer"
    await h.post_json(activity(user, h.connector.url, text="cancel"))
    assert await h.snapshot() == before


@settings(EXAMPLES, max_examples=12)
@given(size=st.integers(min_value=LIMIT - 2_000, max_value=LIMIT + 2_000))
async def test_texts_near_and_over_the_body_limit(h: Harness, size: int) -> None:
    h.connector.clear()
    body = activity(PRIYA_MANAGER, h.connector.url, text="")
    overhead = len(json.dumps(body).encode())
    body["text"] = "\u00e9" * max(0, (size - overhead) // 2)  # two bytes each in UTF-8
    raw = json.dumps(body, ensure_ascii=False).encode()
    status = await h.bot.post_raw(raw)
    if len(raw) > LIMIT:
        assert status == 413
        assert h.connector.received == []
    else:
        assert 200 <= status < 300
        assert_polite(h, status)


async def test_lone_surrogates_escaped_in_json_are_answered_politely(h: Harness) -> None:
    for text in ("\\ud800", "abc\\udfff", "\\udc00\\ud800", "\\u0000"):
        h.connector.clear()
        body = json.dumps(activity(PRIYA_MANAGER, h.connector.url, text="PLACEHOLDER"))
        raw = body.replace("PLACEHOLDER", text).encode()
        status = await h.bot.post_raw(raw)
        assert 200 <= status < 300, (text, status)
        assert_polite(h, status)
        assert h.connector.received, text


async def test_an_activity_without_a_usable_service_url_is_refused(h: Harness) -> None:
    """Without one the SDK would try the public Bot Framework endpoint for seconds."""
    for service_url in (None, "", "not a url", 42, ["http://127.0.0.1/"], "ftp://127.0.0.1/"):
        body = activity(PRIYA_MANAGER, h.connector.url, text="help")
        body["serviceUrl"] = service_url
        started = asyncio.get_running_loop().time()
        assert await h.post_json(body) == 400, service_url
        assert asyncio.get_running_loop().time() - started < 2
    assert h.connector.received == []


async def test_deeply_nested_bodies_get_a_400_not_a_500(h: Harness) -> None:
    """Nested brackets made json.loads raise RecursionError: an unauthenticated 500 (100,000
    of them fit the default body limit; 16,000 fit this module's 32 KB and fail the same)."""
    for raw in (b"[" * 16_000 + b"]" * 16_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000):
        assert await h.bot.post_raw(raw) == 400
    # Within the parser's reach, but deeper than any activity: refused before anything walks it.
    body = activity(PRIYA_MANAGER, h.connector.url, text="help")
    deep: object = "x"
    for _ in range(200):
        deep = {"a": [deep]}
    body["channelData"]["deep"] = deep
    assert await h.post_json(body) == 400
    assert h.connector.received == []


async def test_activities_from_other_channels_are_refused(h: Harness) -> None:
    """Charter is a Teams bot (the Agents Playground sends msteams too)."""
    for channel in ("webchat", "emulator", "directline", "MSTEAMS", "slack"):
        body = activity(PRIYA_MANAGER, h.connector.url, text="help")
        body["channelId"] = channel
        assert await h.post_json(body) == 400, channel
    assert h.connector.received == []


async def test_local_mode_answers_only_a_service_url_on_this_machine(h: Harness) -> None:
    """Unauthenticated callers must not make the bot call a host of their choice (SSRF), nor
    turn a user name and password in the URL into a Basic Authorization header."""
    with_userinfo = h.connector.url.replace("http://", "http://admin:hunter2@")
    for service_url in (
        with_userinfo,
        "http://169.254.169.254/latest/",
        "http://charter-ssrf-target.invalid:9/",
        "https://smba.trafficmanager.net/uk/",
    ):
        body = activity(PRIYA_MANAGER, service_url, text="help")
        started = asyncio.get_running_loop().time()
        assert await h.post_json(body) == 400, service_url
        assert asyncio.get_running_loop().time() - started < 2
    assert h.connector.received == []


async def test_calls_to_the_connector_never_follow_a_redirect(h: Harness) -> None:
    """A serviceUrl answering 307 must not forward the reply (body, headers) elsewhere."""
    target = await ConnectorStandIn().start()

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(target.url.rstrip("/") + request.path)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", redirect)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        status = await h.post_json(
            activity(PRIYA_MANAGER, f"http://127.0.0.1:{port}/", text="help")
        )
        assert status < 500
        await asyncio.sleep(0.5)
        assert target.received == []
    finally:
        await runner.cleanup()
        await target.stop()


async def test_an_inbound_continue_conversation_event_is_handled_once(h: Harness) -> None:
    """Only the bot's own proactive sends skip the once-only check; a posted event named
    ContinueConversation is an inbound activity like any other."""
    body = activity(PRIYA_MANAGER, h.connector.url, type="event", name="ContinueConversation")
    assert await h.post_json(body) < 300
    assert await h.post_json(body) < 300
    async with h.database.sessions() as session:
        claims = (
            await session.execute(
                select(ProcessedActivity).where(ProcessedActivity.activity_id == body["id"])
            )
        ).all()
    assert len(claims) == 1


# --- card payloads of the wrong type --------------------------------------------------------

ID_KEYS = [
    "employee_id",
    "absence_id",
    "rtw_id",
    "record_id",
    "action_id",
    "objective_id",
    "apr_id",
    "item_key",
    "question_id",
    "section_id",
]
FIELD_KEYS = [
    "held_on",
    "start_date",
    "end_date",
    "expected_return",
    "reason_category",
    "outcome",
    "notes",
    "comment",
    "shared_notes",
    "private_note",
    "managing",
    "wellbeing_concern",
    "title",
    "measure",
    "target_date",
    "percent",
    "rag",
    "priority_id",
    "mode",
    "reason",
    "helpful",
    "smart_ok",
    "fix",
    "action_1_text",
    "action_1_owner",
    "action_1_due",
]
KNOWN_IDS = {f"D{n:03d}" for n in range(1, 100)}
# Ids that name nothing: wrong types, negative, huge, or numbers beyond any demo record.
BAD_IDS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(max_value=-1),
    st.integers(min_value=10**6),
    st.floats(allow_nan=False),
    st.text(max_size=20).filter(lambda s: s.strip() not in KNOWN_IDS and not s.strip().isdigit()),
    st.lists(st.integers(1, 50), min_size=1, max_size=3),
    st.dictionaries(st.sampled_from(["id", "$ne", "employee_id"]), st.integers(1, 50), max_size=2),
    st.just("1 OR 1=1"),
    st.just("D013' --"),
)
ALL_FORMS = sorted({*STATELESS_FORMS, "one_to_one", "pick_report", "carry_over", "one_to_one_edit"})


@st.composite
def wrong_card_values(draw: st.DrawFn) -> object:
    form = draw(st.sampled_from(ALL_FORMS))
    shape = draw(st.integers(0, 5))
    if shape == 0:  # the whole value is not an object
        return draw(st.one_of(st.text(max_size=50), st.lists(JSON_SCALARS, max_size=4)))
    if shape == 1:  # the form name itself of the wrong type
        return {"form": draw(JSON_VALUES), "employee_id": draw(BAD_IDS)}
    value: dict[str, Any] = {"form": form}
    for key in ID_KEYS:
        if draw(st.booleans()):
            value[key] = draw(BAD_IDS)
    for key in draw(st.lists(st.sampled_from(FIELD_KEYS), max_size=8, unique=True)):
        value[key] = draw(st.one_of(JSON_VALUES, ODD_TEXT))
    if shape == 2:  # nesting
        value["value"] = dict(value)
    return value


@settings(EXAMPLES, max_examples=60)
@given(value=wrong_card_values(), user=st.sampled_from(PEOPLE))
async def test_card_values_of_the_wrong_type_change_nothing(
    h: Harness, value: object, user: TeamsUser
) -> None:
    h.connector.clear()
    before = await h.snapshot()
    status = await h.post_json(activity(user, h.connector.url, value=value))
    assert_polite(h, status)
    await h.post_json(activity(user, h.connector.url, text="cancel"))
    assert await h.snapshot() == before


# --- ids of other people ------------------------------------------------------------------

HELD = NOW.date().isoformat()
RTW_VALUES = {
    "held_on": HELD,
    "reason_category": "Cold, cough or flu",
    "notes": "Feeling better",
    "reported_correctly": "true",
    "outcome": "no_further_action",
    "support_offered": "",
    "work_related": "false",
    "accident_at_work": "false",
    "underlying_condition": "false",
    "adjustments_needed": "false",
    "employee_comments": "",
}
ONE_TO_ONE = {
    "form": "one_to_one",
    "held_on": (NOW.date() - timedelta(days=1)).isoformat(),
    "managing": "Went through the rota.",
    "developing": "",
    "supporting": "",
    "wellbeing": "",
    "wellbeing_concern": "false",
    "shared_notes": "Thanks",
    "private_note": "private",
    "action_1_text": "Book the course",
    "action_1_owner": "employee",
    "action_1_due": (NOW.date() + timedelta(days=21)).isoformat(),
}
START = {"form": "absence_start", "start_date": HELD, "reason_category": ""}
# (who submits, what): each names a person or record the sender has no right to.
# Demo data: Priya manages D011-D015, Tom D016-D020, Aisha D021-D025; absence 8 belongs to
# D012 (Priya's, ended, no RTW yet), absence 6 to D023 (Aisha's, ongoing); objective 22 is
# in Tom's team; one-to-one 1 is D015's; RTW 1 is D017's.
FORBIDDEN: list[tuple[TeamsUser, dict[str, Any]]] = [
    (TOM_MANAGER, {"form": "rtw", "absence_id": 8, **RTW_VALUES}),
    (TOM_MANAGER, {**ONE_TO_ONE, "employee_id": "D013"}),
    (TOM_MANAGER, {**START, "employee_id": "D013"}),
    (TOM_MANAGER, {"form": "absence_end", "absence_id": 6, "end_date": HELD}),
    (TOM_MANAGER, {"form": "rtw_card", "absence_id": 8}),
    (PRIYA_MANAGER, {**START, "employee_id": "D002"}),  # her own manager
    (PRIYA_MANAGER, {**START, "employee_id": "D003"}),  # herself
    (PRIYA_MANAGER, {**ONE_TO_ONE, "employee_id": "D016"}),
    (PRIYA_MANAGER, {"form": "objective_agree", "objective_id": 22}),
    (PRIYA_MANAGER, {"form": "objective_discuss", "objective_id": 22, "comment": "hi"}),
    (PRIYA_MANAGER, {"form": "absence_end", "absence_id": 6, "end_date": HELD}),
    (RHYS_STAFF, {**START, "employee_id": "D011"}),
    (RHYS_STAFF, {"form": "rtw", "absence_id": 8, **RTW_VALUES}),
    (RHYS_STAFF, {**ONE_TO_ONE, "employee_id": "D011"}),
    (RHYS_STAFF, {"form": "one_to_one_ack", "record_id": 1}),
    (RHYS_STAFF, {"form": "one_to_one_comment", "record_id": 1, "comment": "mine now"}),
    (RHYS_STAFF, {"form": "rtw_ack", "rtw_id": 1}),
    (RHYS_STAFF, {"form": "rtw_comment", "rtw_id": 1, "comment": "hello"}),
    (RHYS_STAFF, {"form": "apr_ack", "apr_id": 1}),
    (RHYS_STAFF, {"form": "apr_record", "employee_id": "D011", "held_on": HELD}),
    (RHYS_STAFF, {"form": "objective_agree", "objective_id": 8}),
    (RHYS_STAFF, {"form": "action_done", "action_id": 1}),
    (RHYS_STAFF, {"form": "nudge_snooze", "item_key": "rtw:8"}),
    (RHYS_STAFF, {"form": "nudge_done", "item_key": "rtw:8", "reason": "done"}),
    (MARGARET_STAFF, {"form": "objective_progress", "objective_id": 16, "percent": "50"}),
    (MARGARET_STAFF, {"form": "one_to_one_edit", "record_id": 2}),
    (STRANGER, {"form": "rtw", "absence_id": 8, **RTW_VALUES}),
    (STRANGER, {**START, "employee_id": "D013"}),
]


@settings(EXAMPLES, max_examples=40)
@given(case=st.sampled_from(FORBIDDEN), as_string=st.booleans())
async def test_forms_naming_other_peoples_records_are_refused_and_change_nothing(
    h: Harness, case: tuple[TeamsUser, dict[str, Any]], as_string: bool
) -> None:
    user, value = case
    if as_string:  # ids arrive as strings from some clients
        value = {k: str(v) if k.endswith("_id") else v for k, v in value.items()}
    h.connector.clear()
    before = await h.snapshot()
    status = await h.post_json(activity(user, h.connector.url, value=value))
    assert 200 <= status < 300, f"HTTP {status}"
    assert_polite(h, status)
    assert h.connector.received, "a refused submit still gets a polite answer"
    await h.post_json(activity(user, h.connector.url, text="cancel"))
    assert await h.snapshot() == before


@pytest.mark.parametrize("typed", ["Bad\\u0000ly formed", "Half a pair \\ud83d here"])
async def test_feedback_with_nul_or_a_lone_surrogate_is_saved_cleaned(
    h: Harness, typed: str
) -> None:
    """What a person typed is kept (cleaned), on PostgreSQL too, which refuses NUL in text."""
    feedback = Base.metadata.tables["feedback"]
    async with h.database.sessions() as session:
        before = (await session.execute(select(feedback.c.text))).scalars().all()
    for text in ("feedback", "PLACEHOLDER", "yes"):
        h.connector.clear()
        body = json.dumps(activity(RHYS_STAFF, h.connector.url, text=text))
        status = await h.bot.post_raw(body.replace("PLACEHOLDER", typed).encode())
        assert 200 <= status < 300
        assert_polite(h, status)
    assert "passed that on to HR" in h.replies()
    async with h.database.sessions() as session:
        after = (await session.execute(select(feedback.c.text))).scalars().all()
    [saved] = [t for t in after if t not in before]
    assert "\x00" not in saved and saved.encode("utf-8")
    assert saved.startswith(("Badly formed", "Half a pair"))
