"""The activity handler: identifies the person, keeps their conversation reference fresh,
welcomes them on install and hands messages to the dialogs."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

from botbuilder.core import (
    ConversationState,
    InvokeResponse,
    MessageFactory,
    TurnContext,
    UserState,
)
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ChannelAccount, ConversationReference
from msrest.serialization import Model

from bot.teams.activity_json import NotPlain, model_json
from bot.teams.state_storage import StateConflict
from bot.turn.identity import identify
from bot.turn.middleware import set_outcome, tenant_of
from dialogs import cards, views
from dialogs.context import identified_person, remember_person
from dialogs.general import show_waiting_records
from dialogs.one_to_ones.handlers import show_waiting
from dialogs.router import Router
from dialogs.table import ROUTES
from domain.people import Person
from services.registry import Services
from storage.activity_log import ActivityLog
from storage.conversation_refs import ConversationReferences
from storage.database import housekeeping

log = logging.getLogger("charter.bot")

WELCOME_MARKER = "charter:welcome"


class CharterBot(TeamsActivityHandler):  # type: ignore[misc]  # botbuilder is untyped
    def __init__(
        self,
        services: Services,
        conversation_state: ConversationState,
        user_state: UserState,
    ) -> None:
        self._services = services
        self._conversation_state = conversation_state
        self._user_state = user_state
        self._references = ConversationReferences(services.database)
        self._saved_references = SavedReferences()
        self._markers = ActivityLog(services.database)
        self._router = Router(services, conversation_state)

    async def on_turn(self, turn_context: TurnContext) -> None:
        # Identifying someone (linking their Teams id) and storing where to reach them can be
        # repeated harmlessly: they do not carry the turn's claim (see DeduplicationMiddleware).
        with housekeeping():
            person = await identify(turn_context, self._services.directory)
            if person is not None and self._services.directory.is_current(person):
                remember_person(turn_context, person)
                await self._save_reference(turn_context, person)
        await super().on_turn(turn_context)
        try:
            await self._conversation_state.save_changes(turn_context)
            await self._user_state.save_changes(turn_context)
        except StateConflict:
            set_outcome(turn_context, "state-conflict")
            await turn_context.send_activity(
                "Your last two messages crossed over, so I didn't keep the second one. "
                "Please send it again."
            )

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """Charter's cards use Action.Submit (messages); other invokes are refused with a
        4xx, not the SDK's 501, so that a stray or forged invoke is not a server error."""
        response = await super().on_invoke_activity(turn_context)
        if response is not None and response.status == 501:
            set_outcome(turn_context, "unsupported-invoke")
            return InvokeResponse(
                status=400, body={"error": "Charter does not handle this kind of request."}
            )
        return response

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        if identified_person(turn_context) is None:
            set_outcome(turn_context, "unknown-user")
            await turn_context.send_activity(views.NOT_REGISTERED)
            return
        await self._router.on_message(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        conversation = turn_context.activity.conversation
        if conversation is not None:
            await self._markers.release(
                turn_context.activity.channel_id or "", conversation.id, WELCOME_MARKER
            )

    async def on_teams_members_added(
        self,
        teams_members_added: list[ChannelAccount],
        team_info: object,
        turn_context: TurnContext,
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in teams_members_added):
            await self._welcome(turn_context)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        await self.on_teams_members_added(members_added, None, turn_context)

    async def _welcome(self, turn_context: TurnContext) -> None:
        """Welcome once per conversation, however many install events Teams sends."""
        conversation = turn_context.activity.conversation
        if conversation is None:
            return
        first = await self._markers.claim(
            turn_context.activity.channel_id or "", conversation.id, WELCOME_MARKER
        )
        if not first:
            return
        person = identified_person(turn_context)
        if person is None:
            await turn_context.send_activity(views.NOT_REGISTERED)
            return
        await turn_context.send_activity(
            MessageFactory.attachment(
                cards.attachment(views.welcome_card(person, ROUTES.commands_for(person)))
            )
        )
        await show_waiting(turn_context, self._services, person)
        await show_waiting_records(turn_context, self._services, person)

    async def _save_reference(self, turn_context: TurnContext, person: Person) -> None:
        activity = turn_context.activity
        sender = activity.from_property
        if sender is None or not sender.id:
            return
        tenant = tenant_of(turn_context)
        fingerprint = _reference_fingerprint(activity, tenant, person.id)
        if self._saved_references.unchanged(sender.id, fingerprint):
            return
        # Remembered before the write, so the person's other messages arriving meanwhile (a
        # burst) do not write the same reference again; forgotten if the write fails.
        self._saved_references.remember(sender.id, fingerprint)
        reference = _reference_json(TurnContext.get_conversation_reference(activity))
        try:
            await self._references.save(
                reference,
                user_id=sender.id,
                aad_object_id=sender.aad_object_id,
                tenant_id=tenant,
                employee_id=person.id,
            )
        except BaseException:
            self._saved_references.forget(sender.id)
            raise


def _reference_json(reference: ConversationReference) -> dict[str, object]:
    """The reference as stored: msrest's JSON for it (written directly when it is plain)."""
    try:
        return model_json(reference)
    except NotPlain:
        serialized: dict[str, object] = reference.serialize()
        return serialized


def _reference_fingerprint(
    activity: Activity, tenant: str | None, employee: int
) -> tuple[object, ...]:
    """What a stored reference says, less the id of the message it came with (which changes
    every turn and matters to nobody: proactive messages start no thread in a personal chat).
    Read from the parts of the activity a reference is made of (TurnContext's
    get_conversation_reference), without making it and its JSON: that cost an unchanged
    turn more than the comparison it serves."""
    return (
        activity.channel_id,
        activity.locale,
        activity.service_url,
        _state(activity.from_property),
        _state(activity.recipient),
        _state(activity.conversation),
        tenant,
        employee,
    )


def _state(value: object) -> object:
    """A comparable snapshot of a model and everything in it."""
    if isinstance(value, Model):
        return (type(value).__name__, _state(vars(value)))
    if isinstance(value, dict):
        return tuple(sorted((str(key), _state(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_state(item) for item in value)
    return value


class SavedReferences:
    """The references this process wrote lately, so an unchanged one is not written again on
    every turn. Entries expire, so a reference removed elsewhere (erasure, a reset) is
    written again within minutes of the person's next message."""

    def __init__(self, ttl_seconds: float = 600.0, limit: int = 50_000) -> None:
        self._ttl = ttl_seconds
        self._limit = limit
        self._saved: OrderedDict[str, tuple[object, float]] = OrderedDict()

    def unchanged(self, user_id: str, fingerprint: object) -> bool:
        entry = self._saved.get(user_id)
        return (
            entry is not None
            and entry[0] == fingerprint
            and time.monotonic() - entry[1] < self._ttl
        )

    def forget(self, user_id: str) -> None:
        self._saved.pop(user_id, None)

    def remember(self, user_id: str, fingerprint: object) -> None:
        self._saved[user_id] = (fingerprint, time.monotonic())
        self._saved.move_to_end(user_id)
        while len(self._saved) > self._limit:
            self._saved.popitem(last=False)
