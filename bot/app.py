"""The aiohttp application. Built by :func:`create_app`; nothing is created at import time.

Data flows one way: route -> CloudAdapter (authentication) -> middleware -> CharterBot ->
dialogs -> domain services -> storage.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import ConversationState, TurnContext, UserState, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError

from bot.config import VERSION, ConfigError, Settings, serving_notice, serving_problem
from bot.jobs.reminders import start_scheduler
from bot.logs import summarise_exception
from bot.teams.connector_transport import is_connector_unavailable
from bot.teams.outbound import CharterBotFrameworkAuthentication
from bot.teams.proactive import ProactiveNotifier
from bot.teams.state_storage import DatabaseStorage
from bot.turn.handler import CharterBot
from bot.turn.middleware import (
    CleanInputMiddleware,
    DeduplicationMiddleware,
    TenantGuardMiddleware,
    TenantNotAllowed,
    TurnLogMiddleware,
    is_proactive,
    set_outcome,
)
from domain.clock import Clock
from domain.sentence_encoder import load_encoder
from services.registry import Services
from storage.activity_log import ActivityLog
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from storage.state_store import StateStore

ENCODER_MISSING = "sentence encoder not installed: answers fall back to word matching"
log = logging.getLogger("charter.app")

APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't finish that. Please try again; "
    "if it keeps happening, tell your HR team and quote reference {ref}."
)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    services: Services
    adapter: CloudAdapter
    bot: CharterBot
    authentication: CharterBotFrameworkAuthentication


RUNTIME = web.AppKey("runtime", Runtime)
SETTINGS = web.AppKey("settings", Settings)
# Which of `charter run --workers N`'s processes this is (None: the only one).
WORKER = web.AppKey("worker", int | None)  # type: ignore[arg-type]
RUNS_JOBS = web.AppKey("runs_jobs", bool)


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    database = Database(settings.database_url)
    authentication = CharterBotFrameworkAuthentication(
        settings, timeout_seconds=settings.outbound_timeout_seconds
    )
    adapter = CloudAdapter(authentication)
    clock = clock or Clock(settings.tz)
    notifier = ProactiveNotifier(
        adapter, settings.app_id, ConversationReferences(database), clock=clock
    )
    services = Services.build(
        database,
        clock,
        notifier=notifier,
        one_to_one_policy=settings.one_to_one_policy(),
        apr_policy=settings.apr_policy,
        absence_policy=settings.absence_policy,
        nudge_policy=settings.nudge_policy,
        scorecard_targets=dict(settings.scorecard_targets),
        content_dir=settings.content_dir,
        answer_threshold=settings.answer_threshold,
    )
    storage = DatabaseStorage(StateStore(database))
    conversation_state = ConversationState(storage)
    user_state = UserState(storage)

    adapter.use(TurnLogMiddleware())
    adapter.use(TenantGuardMiddleware(settings))
    adapter.use(DeduplicationMiddleware(ActivityLog(database), database))
    adapter.use(CleanInputMiddleware())

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        if isinstance(error, TenantNotAllowed) or is_proactive(turn_context):
            # A failed proactive send is the sender's to report (the notifier returns False);
            # an apology would reach someone who asked nothing, and their dialog would reset.
            raise error
        ref = uuid.uuid4().hex[:8].upper()
        if is_connector_unavailable(error):
            # Teams did not take the reply in time (or could not be reached): an apology
            # would go the same way and wait as long again. The dialog is not at fault, so
            # its state stays as it was.
            set_outcome(turn_context, "connector-unavailable")
            log.warning("turn ref=%s: the Bot Connector did not answer; no apology sent", ref)
            return
        set_outcome(turn_context, "error")
        # A summary, not the traceback: the error's message may hold what the person typed.
        log.error("turn failed ref=%s: %s", ref, summarise_exception(error))
        try:
            await turn_context.send_activity(APOLOGY.format(ref=ref))
        except Exception:
            log.warning("could not send the apology for ref=%s", ref)
        try:
            # Drop the dialog stack so one broken step cannot trap the person in it.
            await conversation_state.delete(turn_context)
        except Exception:
            log.warning("could not reset conversation state for ref=%s", ref)

    adapter.on_turn_error = on_turn_error
    bot = CharterBot(services, conversation_state, user_state)
    return Runtime(settings, database, services, adapter, bot, authentication)


# Deeper than any activity Teams sends (channelData and card values nest a few levels); a
# body nested deeper is refused before anything recursive (msrest, cleaning) walks it.
MAX_JSON_DEPTH = 32


async def messages(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    if "application/json" not in request.headers.get("Content-Type", ""):
        return _problem(415, "Activities must be sent as application/json.")
    try:
        body = await request.read()
        parsed = json.loads(body)
    except web.HTTPRequestEntityTooLarge:
        return _problem(413, "The request is larger than this bot accepts.")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _problem(400, "The request body is not valid JSON.")
    if _depth_exceeds(parsed, MAX_JSON_DEPTH):
        return _problem(400, "The request body is nested too deeply to be an activity.")
    activity = _as_activity(parsed) if isinstance(parsed, dict) else None
    if activity is None:
        return _problem(400, "The request body is not a valid activity.")
    if parsed.get("channelId") != "msteams":
        return _problem(400, "This bot only answers Microsoft Teams (channelId msteams).")
    # Replies, roster look-ups and (with authentication on) the bot's token go to the
    # serviceUrl: only a Teams service host, or in local mode this machine (bot.teams.service_urls).
    refused = runtime.settings.service_url_refusal(parsed["serviceUrl"])
    if refused:
        log.warning("request refused: %s", refused)
        return _problem(400, "The activity's serviceUrl is not one this bot may answer.")
    try:
        # The activity checked above is the one the turn runs on: converted from JSON once.
        # The adapter authenticates the request's Authorization header as its process() does.
        auth_header = request.headers.get("Authorization", "")
        invoke_response = await runtime.adapter.process_activity(
            auth_header, activity, runtime.bot.on_turn
        )
    except TenantNotAllowed:
        return _problem(403, "This bot is not available to your organisation.")
    except web.HTTPException:
        raise
    except Exception as error:
        # Turn errors are handled by on_turn_error; what escapes the adapter happened while
        # authenticating (the SDK raises KeyError/DecodeError on malformed tokens).
        log.warning("request refused: authentication failed (%s)", type(error).__name__)
        return _problem(401, "Unauthorized.")
    if invoke_response is None:
        return web.Response(status=201)
    return web.json_response(
        data=serializer_helper(invoke_response.body), status=invoke_response.status
    )


def _depth_exceeds(value: object, limit: int) -> bool:
    """Is any list or object in ``value`` nested more than ``limit`` deep? (No recursion.)"""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[object] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _as_activity(body: dict[str, object]) -> Activity | None:
    """The body as an Activity, if it is one this bot can answer; None if not."""
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError, KeyError):
        return None
    # Replies go to the serviceUrl; without an http(s) one the SDK would fall back to the
    # public Bot Framework endpoint (and retry it for seconds) rather than answer anyone.
    service_url = body.get("serviceUrl")
    has_service_url = isinstance(service_url, str) and service_url.startswith(
        ("https://", "http://")
    )
    # Conversation state is keyed by channel and conversation id: a turn needs both. Channel
    # ids are ASCII (the id travels in the reply's URL and headers).
    conversation = body.get("conversation")
    has_conversation = isinstance(conversation, dict) and _is_text(conversation.get("id"))
    if has_conversation and not _is_ascii_id(conversation["id"]):  # type: ignore[index]
        has_conversation = False
    answerable = (
        _is_text(activity.type)
        and has_service_url
        and _is_text(body.get("channelId"))
        and has_conversation
    )
    return activity if answerable else None


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_ascii_id(value: str) -> bool:
    return value.isascii() and value.isprintable()


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    reachable = await runtime.database.is_reachable()
    encoder = await asyncio.to_thread(load_encoder)  # loaded once per process
    return web.json_response(
        {
            "status": "ok" if reachable else "degraded",
            "version": VERSION,
            "database": {"backend": runtime.database.backend, "reachable": reachable},
            "auth": "local-mode" if runtime.settings.local_mode else "bot-framework",
            "worker": request.app[WORKER],
            "scheduled_jobs": request.app[RUNS_JOBS],
            "answers": "meaning and words" if encoder is not None else ENCODER_MISSING,
        },
        status=200 if reachable else 503,
    )


def _problem(status: int, detail: str) -> web.Response:
    return web.json_response({"error": detail}, status=status)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    start_jobs: bool = True,
    worker: int | None = None,
) -> web.Application:
    """A new application; the runtime (database, adapter, bot, scheduler) starts with it."""
    problem = serving_problem(settings)
    if problem:
        raise ConfigError(problem)
    app = web.Application(client_max_size=settings.max_request_bytes)
    app[SETTINGS] = settings
    app[WORKER] = worker
    app[RUNS_JOBS] = start_jobs

    async def runtime_context(app: web.Application) -> AsyncIterator[None]:
        if settings.local_mode:
            log.warning(serving_notice(settings))
        else:
            log.info(serving_notice(settings))
        runtime = build_runtime(settings, clock)
        app[RUNTIME] = runtime
        scheduler = start_scheduler(runtime) if start_jobs else None
        notifier = runtime.services.notifier
        if isinstance(notifier, ProactiveNotifier):
            notifier.start()  # notices queued before a restart go out now
        if worker is not None:
            log.info(
                "worker %d: scheduled jobs %s",
                worker,
                "run here" if start_jobs else "run in worker 0",
            )
        # Read and index the content pack in the background, so the first question is quick
        # and the port opens at once.
        warming = asyncio.create_task(runtime.services.answers.warm())
        if not await runtime.database.is_reachable():
            log.error("database %s is not reachable", runtime.database.backend)
        log.info(
            "Charter %s ready on /api/messages (database: %s)", VERSION, runtime.database.backend
        )
        yield
        if not warming.done():
            await asyncio.wait([warming], timeout=30)
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if isinstance(notifier, ProactiveNotifier):
            await notifier.close()
        await runtime.database.dispose()
        await runtime.authentication.close()
        log.info("Charter stopped")

    app.cleanup_ctx.append(runtime_context)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app
