"""The aiohttp application: the routes, and the runtime started and stopped with the app.
Built by :func:`create_app`; nothing is created at import time.

Data flows one way: route -> CloudAdapter (authentication) -> middleware -> CharterBot ->
dialogs -> services -> storage. The runtime is composed in :mod:`bot.runtime`, the bot and
its middleware in :mod:`bot.host`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from collections.abc import AsyncIterator, Iterable

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.schema import Activity

# msrest re-exports the class without declaring it (no __all__): a third-party typing gap.
from msrest.exceptions import DeserializationError  # type: ignore[attr-defined]
from msrest.serialization import Model

from bot import report_pages
from bot.config import VERSION, ConfigError, Settings, serving_notice, serving_problem
from bot.host import build_bot
from bot.jobs.reminders import start_scheduler
from bot.runtime import Runtime, build_runtime
from bot.teams.activity_json import NotPlain, activity_from_json
from bot.turn.handler import CharterBot
from bot.turn.middleware import TenantNotAllowed
from domain.clock import Clock
from domain.sentence_encoder import load_encoder

ENCODER_MISSING = "sentence encoder not installed: answers fall back to word matching"
log = logging.getLogger("charter.app")

RUNTIME = web.AppKey("runtime", Runtime)
BOT = web.AppKey("bot", CharterBot)
SETTINGS = web.AppKey("settings", Settings)
# Which of `charter run --workers N`'s processes this is (None: the only one).
WORKER: web.AppKey[int | None] = web.AppKey("worker")
RUNS_JOBS = web.AppKey("runs_jobs", bool)
# The content pack's start-up read and index (a benchmark waits for it before timing turns).
WARMING: web.AppKey[asyncio.Task[None]] = web.AppKey("warming")


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
            auth_header, activity, request.app[BOT].on_turn
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
    body = invoke_response.body
    # A model (the SDK's ExpectedReplies) is written by msrest; plain JSON (Charter's refusal
    # of an invoke it does not handle) as it is: msrest's serializer fails on a dict.
    data = serializer_helper(body) if isinstance(body, Model) else body
    return web.json_response(data=data, status=invoke_response.status)


def _depth_exceeds(value: object, limit: int) -> bool:
    """Is any list or object in ``value`` nested more than ``limit`` deep? (No recursion.)"""
    # Only containers are stacked, each with its depth; scalars (most of an activity) are
    # passed over where they are found, never stacked and popped one by one.
    stack: list[tuple[Iterable[object], int]] = [((value,), 0)]
    while stack:
        children, depth = stack.pop()
        if depth > limit:
            return True
        for child in children:
            if isinstance(child, dict):
                stack.append((child.values(), depth + 1))
            elif isinstance(child, list):
                stack.append((child, depth + 1))
    return False


def _as_activity(body: dict[str, object]) -> Activity | None:
    """The body as an Activity, if it is one this bot can answer; None if not."""
    try:
        try:
            activity = activity_from_json(body)
        except NotPlain:
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
    conversation_id = conversation.get("id") if isinstance(conversation, dict) else None
    has_conversation = (
        isinstance(conversation_id, str)
        and _is_text(conversation_id)
        and _is_ascii_id(conversation_id)
    )
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
            "answers": f"meaning and words (encoder: {encoder.runtime})"
            if encoder is not None
            else ENCODER_MISSING,
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
        async for _ in _running(app, settings, clock, start_jobs, worker):
            yield

    app.cleanup_ctx.append(runtime_context)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    report_pages.register(app, lambda: app[RUNTIME].services)
    return app


async def _running(
    app: web.Application,
    settings: Settings,
    clock: Clock | None,
    start_jobs: bool,
    worker: int | None,
) -> AsyncIterator[None]:
    """The runtime (database, adapter, bot, scheduler) for as long as the app serves."""
    log.log(logging.WARNING if settings.local_mode else logging.INFO, serving_notice(settings))
    runtime = build_runtime(settings, clock)
    app[RUNTIME] = runtime
    app[BOT] = build_bot(runtime)
    scheduler = start_scheduler(runtime) if start_jobs else None
    if runtime.teams is not None:
        runtime.teams.notifier.start()  # notices queued before a restart go out now
    if worker is not None:
        where = "run here" if start_jobs else "run in worker 0"
        log.info("worker %d: scheduled jobs %s", worker, where)
    # Read and index the content pack in the background, so the first question is quick
    # and the port opens at once.
    warming = asyncio.create_task(runtime.services.answers.warm())
    warming.add_done_callback(_settle_start_up_heap)
    app[WARMING] = warming
    if not await runtime.database.is_reachable():
        log.error("database %s is not reachable", runtime.database.backend)
    log.info("Charter %s ready on /api/messages (database: %s)", VERSION, runtime.database.backend)
    yield
    if not warming.done():
        await asyncio.wait([warming], timeout=30)
    if scheduler is not None:
        scheduler.shutdown(wait=False)
    await runtime.close()
    # What start-up made can be collected again once the app is gone (and a warm-up still
    # running after the wait above freezes nothing when it ends).
    warming.remove_done_callback(_settle_start_up_heap)
    gc.unfreeze()
    log.info("Charter stopped")


def _settle_start_up_heap(_warming: asyncio.Task[None]) -> None:
    """Once start-up is done (runtime, route table, content pack and its index), its objects
    live as long as the process: frozen out of the cyclic garbage collector, whose full
    collections otherwise walk all of them again (~180,000 objects, ~80 ms of CPU each time)
    to find nothing, a cost every turn shares. Garbage is collected first, so only what is
    alive is frozen; objects made later are collected as usual."""
    gc.collect()
    gc.freeze()
