"""Replies are written to JSON without msrest's cost, and exactly as msrest writes them."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    Entity,
    Mention,
    SuggestedActions,
)
from botframework.connector.aio import ConnectorClient
from msrest.authentication import BasicTokenAuthentication
from msrest.serialization import Model

from bot.teams.activity_json import (
    NotPlain,
    _model_from_json,
    model_json,
    use_fast_activity_bodies,
)

CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Priya — “quotes”, ünïcode", "wrap": True, "size": None},
        {"type": "FactSet", "facts": [{"title": "Reports", "value": "3"}], "n": 1.5, "ok": True},
        {"type": "Input.Text", "id": "note", "value": "", "maxLength": 500, "choices": []},
    ],
    "actions": [{"type": "Action.Submit", "title": "Save", "data": {"charter": ["a", None]}}],
}


def _incoming() -> Activity:
    return Activity(
        type="message",
        id="1234",
        channel_id="msteams",
        service_url="https://smba.trafficmanager.net/uk/",
        from_property=ChannelAccount(id="29:abc", name="Priya", aad_object_id="aad-1"),
        recipient=ChannelAccount(id="28:bot", name="Charter"),
        conversation=ConversationAccount(
            id="a:personal", tenant_id="t-1", conversation_type="personal"
        ),
        channel_data={"tenant": {"id": "t-1"}},
        locale="en-GB",
    )


def _reply(outgoing: Activity) -> Activity:
    reference = TurnContext.get_conversation_reference(_incoming())
    reply = TurnContext.apply_conversation_reference(copy.deepcopy(outgoing), reference)
    reply.input_hint = reply.input_hint or "acceptingInput"
    return reply


def _replies() -> list[Activity]:
    timestamped = MessageFactory.text("at noon")
    timestamped.timestamp = datetime(2026, 11, 23, 12, 0, 0, 123456, tzinfo=UTC)
    timestamped.local_timestamp = datetime(2026, 11, 23, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    suggested = MessageFactory.text("Pick one")
    suggested.suggested_actions = SuggestedActions(
        actions=[CardAction(type="imBack", title="Yes", value="yes")]
    )
    typing = Activity(type=ActivityTypes.typing)
    update = MessageFactory.attachment(CardFactory.adaptive_card(CARD))
    update.id = "1:99"
    return [
        MessageFactory.text("Hello"),
        MessageFactory.attachment(CardFactory.adaptive_card(CARD)),
        timestamped,
        suggested,
        typing,
        update,
        Activity(type="message", text="x", entities=[Entity(type="clientInfo")]),
    ]


def _msrest_body(activity: Activity) -> Any:
    client = ConnectorClient(BasicTokenAuthentication({"access_token": "x"}), "https://x/")
    return client.conversations._serialize.body(copy.deepcopy(activity), "Activity")


@pytest.mark.parametrize("outgoing", _replies())
def test_a_reply_is_written_as_msrest_writes_it(outgoing: Activity) -> None:
    reply = _reply(outgoing)
    assert model_json(copy.deepcopy(reply)) == _msrest_body(reply)


def test_the_connector_client_sends_fast_bodies_that_match() -> None:
    client = ConnectorClient(BasicTokenAuthentication({"access_token": "x"}), "https://x/")
    use_fast_activity_bodies(client)
    for outgoing in _replies():
        reply = _reply(outgoing)
        assert client.conversations._serialize.body(copy.deepcopy(reply), "Activity") == (
            _msrest_body(reply)
        )


def test_a_conversation_reference_is_written_as_msrest_writes_it() -> None:
    reference = TurnContext.get_conversation_reference(_incoming())
    assert model_json(reference) == reference.serialize()


@pytest.mark.parametrize(
    "unusual",
    [
        # msrest turns a dict into the model the field expects; leave that to msrest.
        Activity(type="message", from_property={"id": "29:x"}),
        # A subclass in a list of its base: msrest writes the subclass's fields.
        Activity(type="message", entities=[Mention(text="<at>P</at>", type="mention")]),
        Activity(type="message", value={1: "not a string key"}),
        Activity(type="message", value={"when": datetime(2026, 1, 1, tzinfo=UTC)}),
        Activity(type="message", text=7),
    ],
)
def test_anything_unusual_is_left_to_msrest(unusual: Activity) -> None:
    with pytest.raises(NotPlain):
        model_json(unusual)
    client = ConnectorClient(BasicTokenAuthentication({"access_token": "x"}), "https://x/")
    use_fast_activity_bodies(client)
    assert client.conversations._serialize.body(copy.deepcopy(unusual), "Activity") == (
        _msrest_body(unusual)
    )


class _Flattened(Model):
    _attribute_map = {
        "name": {"key": "name", "type": "str"},
        "inner": {"key": "properties.inner", "type": "str"},
    }

    def __init__(self, name: str | None = None, inner: str | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # msrest is untyped
        self.name = name
        self.inner = inner


class _Validated(_Flattened):
    _validation = {"name": {"required": True}}
    _attribute_map = {"name": {"key": "name", "type": "str"}}


def test_a_flattened_key_is_msrests_to_write_only_when_it_holds_a_value() -> None:
    assert model_json(_Flattened(name="n")) == {"name": "n"}
    assert model_json(_Flattened(name="n")) == _Flattened(name="n").serialize()  # type: ignore[no-untyped-call]
    for _ in range(2):  # the class's plan is read once and kept: the same answer after
        with pytest.raises(NotPlain):
            model_json(_Flattened(name="n", inner="i"))


def test_a_validated_model_is_msrests_to_write_and_to_read() -> None:
    for _ in range(2):
        with pytest.raises(NotPlain):
            model_json(_Validated(name="n"))
        with pytest.raises(NotPlain):
            _model_from_json(_Validated, {"name": "n"})
    with pytest.raises(NotPlain):
        _model_from_json(_Flattened, {"name": "n"})  # reading: any flattened key at all
