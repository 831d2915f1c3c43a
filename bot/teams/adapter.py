"""The adapter Charter's turns run on: the SDK's ``CloudAdapter``, whose turn contexts copy a
reply shallowly before sending it instead of deeply, and send a reply the Bot Connector
throttled once more after its Retry-After (:mod:`bot.teams.throttling`).

``TurnContext.send_activities`` deep-copies every activity it sends, so that stamping the
conversation reference on it does not change the caller's object. For an Adaptive Card that
walks the whole card (hundreds of dicts and lists): the largest cost of sending a reply after
the HTTP call itself. What the SDK changes on the copy are the activity's own attributes
(conversation, from, recipient, reply-to id, id, type, input hint), so a copy of the activity
object keeps the caller's object unchanged just as well; the card is shared, and nothing on the
way to the Bot Connector changes it. Replies buffered for an ``expectReplies`` request are sent
later, at the end of the turn, so they are still copied deeply, as the SDK does.

Every ``DialogContext`` builds a ``DialogStateManager``, which, unless the turn state already
holds a ``DialogStateManagerConfiguration``, makes nine memory scopes and five path resolvers
afresh (15 to 19 microseconds a turn). They hold no state of their own (each reads the
turn or dialog it is given), so every turn is handed one configuration made once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from copy import copy, deepcopy
from functools import cache, partial
from types import SimpleNamespace
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs.memory import DialogStateManager, DialogStateManagerConfiguration
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes, ResourceResponse

from bot.teams.throttling import sent_despite_throttling


class CharterTurnContext(TurnContext):  # type: ignore[misc]  # botbuilder is untyped
    """A turn context whose replies are copied shallowly (see the module's note)."""

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        buffered = self.activity.delivery_mode == DeliveryModes.expect_replies
        reference = TurnContext.get_conversation_reference(self.activity)
        output = [
            _ready_to_send(
                TurnContext.apply_conversation_reference(
                    deepcopy(activity) if buffered else copy(activity), reference
                )
            )
            for activity in activities
        ]
        not_trace = any(activity.type != ActivityTypes.trace for activity in output)

        async def logic() -> list[ResourceResponse]:
            if buffered:
                return self._buffer(output, not_trace)
            responses: list[ResourceResponse] = []
            for activity in output:
                # One at a time (as the adapter sends them anyway), so a throttled one is sent
                # again alone and never repeats one that was taken.
                responses += await sent_despite_throttling(
                    partial(self.adapter.send_activities, self, [activity])
                )
            if not_trace:
                self.responded = True
            return responses

        emit: Callable[..., Awaitable[list[ResourceResponse]]] = self._emit
        return await emit(self._on_send_activities, output, logic())

    def _buffer(self, output: list[Activity], not_trace: bool) -> list[ResourceResponse]:
        """As the SDK does for ``expectReplies``: kept to be returned in the invoke response."""
        responses = []
        for activity in output:
            self.buffered_reply_activities.append(activity)
            if activity.type == ActivityTypes.invoke_response:
                self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity
            responses.append(ResourceResponse())
        if not_trace:
            self.responded = True
        return responses


def _ready_to_send(activity: Activity) -> Activity:
    """The SDK's defaults for an outgoing activity (its ``activity_validator``)."""
    if not getattr(activity, "type", None):
        activity.type = ActivityTypes.message
    if not activity.input_hint:
        activity.input_hint = "acceptingInput"
    activity.id = None
    return activity


class CharterAdapter(CloudAdapter):  # type: ignore[misc]  # botbuilder is untyped
    """``CloudAdapter`` whose turns run on :class:`CharterTurnContext`."""

    def _create_turn_context(self, activity: Activity, *args: Any) -> TurnContext:
        built: TurnContext = super()._create_turn_context(activity, *args)
        context = CharterTurnContext(self, activity)
        context.turn_state.update(built.turn_state)
        context.turn_state[_DIALOG_MEMORY_KEY] = _dialog_memory()
        return context


_DIALOG_MEMORY_KEY = DialogStateManagerConfiguration.__name__  # where the SDK looks for it


@cache
def _dialog_memory() -> DialogStateManagerConfiguration:
    """The memory scopes and path resolvers every turn's dialogs share, made on first use as
    the SDK makes them (from the registered components)."""
    # The manager reads only its dialog context's turn state.
    bare = SimpleNamespace(context=SimpleNamespace(turn_state={}))
    configuration: DialogStateManagerConfiguration = DialogStateManager(bare).configuration
    return configuration
