"""An incoming activity is read from JSON without msrest's cost, into exactly the objects
msrest's Deserializer makes, and anything msrest would coerce or refuse is left to msrest."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pytest
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

from bot.teams.activity_json import NotPlain, activity_from_json
from tests.support.people import PRIYA_MANAGER
from tests.support.teams import activity, install

URL = "https://smba.trafficmanager.net/uk/"


def _shape(value: Any) -> Any:
    """Everything an object holds, recursively, with each value's type."""
    if isinstance(value, Model):
        return (type(value).__name__, {k: _shape(v) for k, v in sorted(vars(value).items())})
    if isinstance(value, dict):
        return ("dict", {k: _shape(v) for k, v in value.items()})
    if isinstance(value, list):
        return ("list", [_shape(v) for v in value])
    if isinstance(value, datetime):
        return ("datetime", value.isoformat(), str(value.tzinfo))
    return (type(value).__name__, value)


def _submit() -> dict[str, Any]:
    body = activity(PRIYA_MANAGER, URL, value={"verb": "save", "n": 3, "x": [1.5, True, None]})
    body["replyToId"] = "1:abc"
    return body


def _mention() -> dict[str, Any]:
    body = activity(PRIYA_MANAGER, URL, text="<at>Charter</at> help")
    body["entities"].append(
        {"type": "mention", "text": "<at>Charter</at>", "mentioned": {"id": "28:bot", "name": "C"}}
    )
    body["attachments"] = [{"contentType": "text/html", "content": "<p>help</p>"}]
    body["channelData"]["team"] = {"id": "19:x"}
    body["unknownField"] = {"kept": ["as", "is"]}
    body["from"]["role"] = "user"
    body["conversation"]["isGroup"] = False
    return body


def _members_added() -> dict[str, Any]:
    body = activity(PRIYA_MANAGER, URL, type="conversationUpdate")
    body["membersAdded"] = [{"id": "28:bot", "name": "Charter"}, None]
    body["localTimestamp"] = "2026-11-23T10:00:00.1234567+01:00"
    return body


BODIES = {
    "message": lambda: activity(PRIYA_MANAGER, URL, text="who am I"),
    "card submit": _submit,
    "mention, attachment, unknown keys": _mention,
    "members added": _members_added,
    "installation": lambda: install(PRIYA_MANAGER, URL),
}


@pytest.mark.parametrize("make", BODIES.values(), ids=BODIES.keys())
def test_an_activity_is_read_into_the_objects_msrest_makes(make: Any) -> None:
    body = make()
    untouched = copy.deepcopy(body)
    fast = activity_from_json(body)
    assert _shape(fast) == _shape(Activity().deserialize(untouched))
    assert body == untouched  # the body is not changed
    # JSON objects are copied, as msrest copies them.
    if isinstance(body.get("channelData"), dict):
        assert fast.channel_data is not body["channelData"]


UNUSUAL = {
    "number as text": {"text": 5},
    "text as object": {"text": {"a": 1}},
    "string for a model": {"from": "29:1"},
    "object for a list": {"membersAdded": {"id": "x"}},
    "int as a bool": {"historyDisclosed": 1},
    "timestamp as a number": {"timestamp": 12},
    "a set in an object": {"value": {1, 2}},
    "a dict of models": {"semanticAction": {"id": "a", "entities": {"e": {"type": "t"}}}},
}


@pytest.mark.parametrize("change", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_anything_msrest_would_coerce_or_refuse_is_left_to_it(change: dict[str, Any]) -> None:
    body = {**activity(PRIYA_MANAGER, URL, text="hi"), **change}
    with pytest.raises(NotPlain):
        activity_from_json(body)


TIMESTAMPS = [
    "2026-11-23T10:00:00.000Z",
    "2026-11-23T10:00:00Z",
    "2026-11-23T10:00:00.9Z",
    "2026-11-23T23:59:59.1234567Z",
    "2026-11-23T10:00:00.999999999Z",
    "2024-02-29T10:00:00Z",
    "2026-11-23t10:00:00z",
    "2026-11-23T10:00:00.5+01:00",
    "2026-11-23T10:00:00.123-05:30",
    # localTimestamp: the sender's own offset, as Teams writes it
    "2026-11-23T10:00:00.000+00:00",
    "2026-11-23T10:00:00-00:00",
    "2026-11-23T10:00:00.1234567+01:00",
    "2026-11-23T23:59:59.999999999-12:00",
    "2026-11-23T10:00:00+14:00",
    "2026-11-23T10:00:00+0100",
    "2026-11-23T10:00:00+01",
    "0001-01-01T10:00:00+01:00",
    "9999-12-31T10:00:00-01:00",
]


@pytest.mark.parametrize("stamp", TIMESTAMPS)
def test_a_timestamp_is_read_as_msrest_reads_it(stamp: str) -> None:
    body = {**activity(PRIYA_MANAGER, URL, text="hi"), "timestamp": stamp}
    ours = activity_from_json(body).timestamp
    theirs = Activity().deserialize(body).timestamp
    assert (ours, ours.utcoffset(), type(ours.tzinfo), repr(ours.tzinfo)) == (
        theirs,
        theirs.utcoffset(),
        type(theirs.tzinfo),
        repr(theirs.tzinfo),
    )


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-02-29T10:00:00Z",
        "2026-13-01T10:00:00Z",
        "0000-01-01T00:00:00Z",
        "soon",
        "2026-02-29T10:00:00+01:00",
        "0001-01-01T00:10:00+01:00",
        "9999-12-31T23:30:00-01:00",
        "2026-11-23T10:00:00+24:00",
    ],
)
def test_a_timestamp_msrest_refuses_is_refused_as_msrest_refuses_it(stamp: str) -> None:
    body = {**activity(PRIYA_MANAGER, URL, text="hi"), "timestamp": stamp}
    with pytest.raises(DeserializationError):
        Activity().deserialize(body)
    with pytest.raises(DeserializationError):
        activity_from_json(body)


def test_both_timestamps_teams_sends_are_read_without_msrest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``timestamp`` (UTC) and ``localTimestamp`` (the sender's offset) on every activity."""
    from bot.teams import activity_json

    def refuse(value: str) -> datetime:
        raise AssertionError(f"msrest read {value}")

    monkeypatch.setattr(activity_json, "_DESERIALIZE_ISO", refuse)
    body = activity(PRIYA_MANAGER, URL, text="hi")
    body["timestamp"] = "2026-11-23T10:00:00.1234567Z"
    body["localTimestamp"] = "2026-11-23T10:00:00.1234567+01:00"
    read = activity_from_json(body)
    assert read.local_timestamp is not None and read.timestamp is not None
    assert read.local_timestamp.utcoffset() is not None
    assert read.local_timestamp.utcoffset().total_seconds() == 3600
