"""The Bot Connector transport never sends userinfo from a service URL as credentials."""

from __future__ import annotations

import pytest

from bot.teams.connector_transport import without_userinfo


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://alice:secret@127.0.0.1:3978/v3/x", "http://127.0.0.1:3978/v3/x"),
        ("https://bob@smba.trafficmanager.net/uk/v3/x", "https://smba.trafficmanager.net/uk/v3/x"),
        (
            "https://smba.trafficmanager.net/uk/v3/x?a=1",
            "https://smba.trafficmanager.net/uk/v3/x?a=1",
        ),
    ],
)
def test_userinfo_is_dropped_from_the_url_sent(url: str, expected: str) -> None:
    sent = without_userinfo(url)
    assert str(sent) == expected
    assert sent.user is None and sent.password is None
