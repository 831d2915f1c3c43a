"""A reply is copied shallowly when sent (the caller's activity stays as it was, the card is
not walked), deeply when it is buffered for an expectReplies request; the state's change
check sees every change the SDK's would, and state read again unchanged is decoded as new."""

from __future__ import annotations

from typing import Any

import jsonpickle
from botbuilder.core import ConversationState, MemoryStorage, MessageFactory, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogContext, DialogSet, DialogState
from botbuilder.dialogs.memory import DialogStateManager, DialogStateManagerConfiguration
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    DeliveryModes,
)

from bot.teams.adapter import CharterAdapter, CharterTurnContext
from bot.teams.state_storage import DecodedItems, _FingerprintedState


def _incoming(delivery_mode: str | None = None) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id="1",
        text="who am I",
        channel_id="msteams",
        service_url="http://127.0.0.1:1/",
        conversation=ConversationAccount(id="a:1"),
        from_property=ChannelAccount(id="29:1"),
        recipient=ChannelAccount(id="28:bot"),
        delivery_mode=delivery_mode,
    )


def _card_reply() -> Activity:
    card: dict[str, Any] = {"type": "AdaptiveCard", "body": [{"type": "TextBlock"}]}
    return MessageFactory.attachment(
        Attachment(content_type="application/vnd.microsoft.card.adaptive", content=card)
    )


async def test_a_reply_is_sent_as_the_sdk_sends_it_without_changing_the_callers_activity() -> None:
    adapter = TestAdapter()
    context = CharterTurnContext(adapter, _incoming())
    seen: list[Activity] = []

    async def record(_ctx: TurnContext, activities: list[Activity], send: Any) -> Any:
        seen.extend(activities)
        return await send()

    context.on_send_activities(record)
    reply = _card_reply()
    reply.id = "caller's id"
    await context.send_activity(reply)

    [sent] = seen
    assert sent is not reply
    assert sent.conversation.id == "a:1" and sent.reply_to_id == "1"
    assert sent.from_property.id == "28:bot" and sent.recipient.id == "29:1"
    assert sent.id is None and sent.input_hint == "acceptingInput"
    assert context.responded
    # The caller's object is as it was: no reference stamped on it.
    assert reply.conversation is None and reply.reply_to_id is None
    assert reply.id == "caller's id" and reply.input_hint is None
    # The card is shared, not walked.
    assert sent.attachments[0].content is reply.attachments[0].content


async def test_a_reply_buffered_for_expect_replies_is_a_deep_copy() -> None:
    context = CharterTurnContext(TestAdapter(), _incoming(DeliveryModes.expect_replies))
    reply = _card_reply()
    await context.send_activity(reply)
    [buffered] = context.buffered_reply_activities
    assert buffered.attachments[0].content == reply.attachments[0].content
    assert buffered.attachments[0].content is not reply.attachments[0].content
    assert context.responded


async def test_a_trace_alone_does_not_count_as_a_response() -> None:
    context = CharterTurnContext(TestAdapter(), _incoming())
    await context.send_activity(Activity(type=ActivityTypes.trace, name="debug"))
    assert not context.responded


def test_the_change_check_sees_changes_inside_dialog_state() -> None:
    dialog_state = DialogState()
    state: dict[str, Any] = {"DialogState": dialog_state, "Forms": {"open": ["a"]}, "e_tag": "x"}
    cached = _FingerprintedState(state)
    assert not cached.is_changed
    state["Forms"]["open"].append("b")
    assert cached.is_changed
    cached.hash = cached.compute_hash(cached.state)
    dialog_state.dialog_stack.append("step")
    assert cached.is_changed


def test_state_that_cannot_be_pickled_falls_back_to_the_sdks_check() -> None:
    state: dict[str, Any] = {"f": lambda: None}  # pickle refuses a lambda
    cached = _FingerprintedState(state)
    assert not cached.is_changed
    state["g"] = 1
    assert cached.is_changed


def test_state_read_again_unchanged_is_new_objects_equal_to_a_fresh_decode() -> None:
    dialog_state = DialogState()
    dialog_state.dialog_stack.append("step")
    data = jsonpickle.encode({"DialogState": dialog_state, "n": {1: (2, 3)}}, keys=True)
    decoded = DecodedItems()
    first = decoded.decode(data, "etag-1")
    again = decoded.decode(data, "etag-1")
    fresh = jsonpickle.decode(data, keys=True)
    assert again is not first and again["DialogState"] is not first["DialogState"]
    assert again["DialogState"].dialog_stack == fresh["DialogState"].dialog_stack == ["step"]
    assert again["n"] == fresh["n"] == {1: (2, 3)}
    first["n"][1] = "changed by a turn"
    assert decoded.decode(data, "etag-1")["n"] == {1: (2, 3)}
    # Another text under the same eTag is decoded afresh, never taken from the copy kept.
    other = jsonpickle.encode({"n": 4}, keys=True)
    assert decoded.decode(other, "etag-1") == {"n": 4}


def _dialogs() -> DialogSet:
    return DialogSet(ConversationState(MemoryStorage()).create_property("DialogState"))


async def test_every_turn_shares_one_dialog_memory_configuration_that_works() -> None:
    adapter = CharterAdapter()
    contexts = [
        adapter._create_turn_context(_incoming(), None, None, None, None, None, None)
        for _ in range(2)
    ]
    shared = contexts[0].turn_state[DialogStateManagerConfiguration.__name__]
    assert contexts[1].turn_state[DialogStateManagerConfiguration.__name__] is shared
    # The same scopes and resolvers the SDK makes for a turn without one.
    fresh = DialogStateManager(
        DialogContext(_dialogs(), TurnContext(TestAdapter(), _incoming()), DialogState())
    )
    assert [type(s) for s in shared.memory_scopes] == [
        type(s) for s in fresh.configuration.memory_scopes
    ]
    assert [type(r) for r in shared.path_resolvers] == [
        type(r) for r in fresh.configuration.path_resolvers
    ]
    # Each turn's memory is its own, though the scopes are shared.
    first, second = (DialogContext(_dialogs(), c, DialogState()) for c in contexts)
    assert first.state.configuration is shared
    turn = first.state.get_memory_scope("turn")
    turn.get_memory(first)["seen"] = "first"
    assert dict(turn.get_memory(first)) == {"seen": "first"}
    assert dict(turn.get_memory(second)) == {}
