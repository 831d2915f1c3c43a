"""Turn middleware: one log line per turn, the tenant allow-list, and once-only handling.

These run after the adapter has authenticated the request, so an unauthenticated caller can
neither claim activity ids nor learn anything from the tenant check.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from botbuilder.core import Middleware, TurnContext

from bot.config import Settings
from storage.activity_log import ActivityAlreadyHandled, ActivityLog
from storage.database import Database, end_shared_reads, turn_writes
from storage.employees import prefetched_people
from storage.state_store import conversation_state_key, prefetched_state

log = logging.getLogger("charter.turn")

OUTCOME_KEY = "charter.outcome"


def set_outcome(turn_context: TurnContext, outcome: str) -> None:
    turn_context.turn_state[OUTCOME_KEY] = outcome


# Set only around the bot's own continue_conversation call (see proactive_turn). The turn
# runs in the same task, so its middleware sees it; an inbound request's task never does.
_PROACTIVE_TURN: ContextVar[bool] = ContextVar("charter_proactive_turn", default=False)
PROACTIVE_KEY = "charter.proactive"
LINK_BY_EMAIL_KEY = "charter.link_by_email"


@contextmanager
def proactive_turn() -> Iterator[None]:
    """Marks the turns started inside it as the bot's own (proactive) turns."""
    token = _PROACTIVE_TURN.set(True)
    try:
        yield
    finally:
        _PROACTIVE_TURN.reset(token)


def is_proactive(turn_context: TurnContext) -> bool:
    """A turn the bot started itself (continue_conversation), not an inbound activity.

    Decided by the code path, never by the activity: anyone can post an event named
    ContinueConversation, and it must meet the tenant guard and the dedupe like any other.
    """
    if _PROACTIVE_TURN.get():
        turn_context.turn_state[PROACTIVE_KEY] = True
    return bool(turn_context.turn_state.get(PROACTIVE_KEY))


class TenantNotAllowed(Exception):
    """The activity comes from a Microsoft 365 tenant not in CHARTER_ALLOWED_TENANTS."""


def tenant_of(turn_context: TurnContext) -> str | None:
    activity = turn_context.activity
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    # Any part may be missing or of the wrong type in a malformed (or forged) activity.
    tenant_info = channel_data.get("tenant")
    tenant = tenant_info.get("id") if isinstance(tenant_info, dict) else None
    if not tenant and activity.conversation is not None:
        tenant = activity.conversation.tenant_id
    return tenant if isinstance(tenant, str) and tenant else None


class TurnLogMiddleware(Middleware):  # type: ignore[misc]  # botbuilder is untyped
    """Logs activity type, conversation id, duration and outcome; never text or names."""

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        started = time.perf_counter()
        outcome = "error"
        try:
            await logic()
            outcome = "ok"
        finally:
            activity = context.activity
            log.info(
                "turn type=%s conversation=%s duration_ms=%.1f outcome=%s",
                activity.type,
                activity.conversation.id if activity.conversation else "-",
                (time.perf_counter() - started) * 1000,
                context.turn_state.get(OUTCOME_KEY) or outcome,
            )


class TenantGuardMiddleware(Middleware):  # type: ignore[misc]  # botbuilder is untyped
    """Refuses other tenants' activities (Settings.tenant_allowed), and records whether this
    turn's tenant is the council's, which an email match needs before it links anyone."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        if is_proactive(context):
            # The bot's own send to a stored reference: nobody is identified by email here.
            context.turn_state[LINK_BY_EMAIL_KEY] = False
            await logic()
            return
        tenant = tenant_of(context)
        if not self._settings.tenant_allowed(tenant):
            set_outcome(context, "refused-tenant")
            log.warning("refused activity from tenant %s (not allowed)", tenant or "(none)")
            raise TenantNotAllowed(tenant or "")
        context.turn_state[LINK_BY_EMAIL_KEY] = self._settings.may_link_by_email(tenant)
        await logic()


class DeduplicationMiddleware(Middleware):  # type: ignore[misc]  # botbuilder is untyped
    """Handles each inbound activity id once, however often Teams delivers it.

    The turn's claim on its id commits with the turn's first write (see storage.activity_log),
    so a crash before that write leaves the activity to be handled on re-delivery, and a
    re-delivery after it never repeats the write.
    """

    def __init__(
        self,
        activity_log: ActivityLog,
        database: Database | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        self._log = activity_log
        self._database = database
        self._today = today

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        activity = context.activity
        if is_proactive(context):
            # The bot's own send from inside a turn (a copy to someone else): its reads and
            # its reply must not hold the turn's shared read connection.
            await end_shared_reads()
            await logic()
            return
        if not activity.id or activity.conversation is None:
            await logic()
            return
        if self._database is None:
            await self._handle_once(context, logic)
            return
        # The turn's reads before its first write or reply (this check, the person, their
        # dialog state) share one session; the first reply ends the sharing, so no
        # connection waits on the Bot Connector.
        # The once-only check reads the conversation's dialog state and the sender's employee
        # record in the same statement.
        with prefetched_state(), prefetched_people():
            async with self._database.shared_reads():
                context.on_send_activities(_end_shared_reads_before_sending)
                await self._handle_once(context, logic, prefetch=True)

    async def _handle_once(
        self, context: TurnContext, logic: Callable[[], Awaitable[None]], prefetch: bool = False
    ) -> None:
        activity = context.activity
        key = (activity.channel_id or "", activity.conversation.id, activity.id)
        state_key = conversation_state_key(*key[:2]) if prefetch and key[0] else None
        sender = activity.from_property
        aad = sender.aad_object_id if sender is not None else None
        who = (aad, self._today()) if self._today and isinstance(aad, str) and aad else None
        if await self._log.is_handled(*key, state_key=state_key, sender=who):
            set_outcome(context, "duplicate")
            return
        writes = self._log.claim_with_work(*key)
        try:
            with turn_writes(writes):
                await logic()
        except ActivityAlreadyHandled:
            set_outcome(context, "duplicate")
            return
        if not writes.carried and not await self._log.claim(*key):
            # A turn that wrote nothing, raced by another delivery of the same activity.
            set_outcome(context, "duplicate")


async def _end_shared_reads_before_sending(
    _context: TurnContext, activities: list[object], send: Callable[[], Awaitable[object]]
) -> object:
    await end_shared_reads()
    return await send()


# Bidirectional embeddings, overrides and isolates: they reorder how the text after them
# is shown (a right-to-left override shows "00.05" as "50.00"), in a card or a terminal.
_NO_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def clean_text(text: str) -> str:
    """What a person typed, storable anywhere and shown as typed: NUL removed (PostgreSQL
    refuses it in text), lone UTF-16 surrogates (valid JSON escapes, but not text) replaced
    with U+FFFD, bidirectional overrides removed, and line ends made newlines (a lone
    carriage return would let a terminal print what follows over what precedes it)."""
    text = text.replace("\x00", "").translate(_NO_BIDI_CONTROLS)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def clean_value(value: object) -> object:
    """A card's submitted value with every string in it cleaned (keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    return value


class CleanInputMiddleware(Middleware):  # type: ignore[misc]  # botbuilder is untyped
    """Cleans the text and card values of every inbound activity before anything reads them."""

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        activity = context.activity
        if isinstance(activity.text, str):
            activity.text = clean_text(activity.text)
        if activity.value is not None:
            activity.value = clean_value(activity.value)
        await logic()
