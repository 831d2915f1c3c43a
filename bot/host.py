"""The Teams host behind /api/messages: the adapter's middleware, the error turn, the
conversation and user state, and the bot they carry turns to.

Built on a :class:`bot.runtime.Runtime` (which owns the adapter); the aiohttp app serves it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from botbuilder.core import ConversationState, TurnContext

from bot.logs import summarise_exception
from bot.runtime import Runtime
from bot.teams.connector_transport import is_connector_unavailable
from bot.teams.state_storage import (
    CharterConversationState,
    CharterUserState,
    DatabaseStorage,
)
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
from storage.activity_log import ActivityLog
from storage.state_store import StateStore

log = logging.getLogger("charter.app")

APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't finish that. Please try again; "
    "if it keeps happening, tell your HR team and quote reference {ref}."
)


def build_bot(runtime: Runtime) -> CharterBot:
    """The bot that answers turns, with the adapter's middleware and error turn in place."""
    database, adapter = runtime.database, runtime.adapter
    storage = DatabaseStorage(StateStore(database))
    conversation_state = CharterConversationState(storage)
    user_state = CharterUserState(storage)

    adapter.use(TurnLogMiddleware())
    adapter.use(TenantGuardMiddleware(runtime.settings))
    adapter.use(
        DeduplicationMiddleware(ActivityLog(database), database, runtime.services.clock.today)
    )
    adapter.use(CleanInputMiddleware())
    adapter.on_turn_error = _turn_error_handler(conversation_state)
    return CharterBot(runtime.services, conversation_state, user_state)


def _turn_error_handler(
    conversation_state: ConversationState,
) -> Callable[[TurnContext, Exception], Awaitable[None]]:
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
        await _apologise(turn_context, conversation_state, ref)

    return on_turn_error


async def _apologise(
    turn_context: TurnContext, conversation_state: ConversationState, ref: str
) -> None:
    try:
        await turn_context.send_activity(APOLOGY.format(ref=ref))
    except Exception:
        log.warning("could not send the apology for ref=%s", ref)
    try:
        # Drop the dialog stack so one broken step cannot trap the person in it.
        await conversation_state.delete(turn_context)
    except Exception:
        log.warning("could not reset conversation state for ref=%s", ref)
