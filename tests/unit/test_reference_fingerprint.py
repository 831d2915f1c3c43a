"""A turn rewrites its stored conversation reference only when something in it changed
(issue 17): the fingerprint read from the activity sees every part of the reference except
the id of the message it came with."""

from __future__ import annotations

from typing import Any

from bot.app import activity_from_json
from bot.turn.handler import _reference_fingerprint
from tests.support.people import PRIYA_MANAGER
from tests.support.teams import activity

URL = "http://127.0.0.1:3978/"


def _fingerprint(body: dict[str, Any], tenant: str = "t", employee: int = 1) -> object:
    return _reference_fingerprint(activity_from_json(body), tenant, employee)


def test_another_message_in_the_same_chat_has_the_same_fingerprint() -> None:
    first = activity(PRIYA_MANAGER, URL, text="who am I")
    second = activity(PRIYA_MANAGER, URL, text="help")
    assert first["id"] != second["id"]
    assert _fingerprint(first) == _fingerprint(second)


def test_each_part_of_the_reference_changes_the_fingerprint() -> None:
    body = activity(PRIYA_MANAGER, URL, text="help")
    same = _fingerprint(body)
    changes: list[dict[str, Any]] = [
        {**body, "serviceUrl": "http://127.0.0.1:3979/"},
        {**body, "locale": "cy-GB"},
        {**body, "from": {**body["from"], "name": "Priya S"}},
        {**body, "recipient": {**body["recipient"], "id": "28:other-bot"}},
        {**body, "conversation": {**body["conversation"], "tenantId": "another"}},
        {**body, "conversation": {**body["conversation"], "id": "a:another-chat"}},
    ]
    for changed in changes:
        assert _fingerprint(changed) != same, changed
    assert _fingerprint(body, tenant="other") != same
    assert _fingerprint(body, employee=2) != same
