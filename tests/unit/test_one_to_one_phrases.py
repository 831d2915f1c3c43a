from __future__ import annotations

from datetime import date

import pytest

from domain.one_to_one_phrases import (
    HistoryRequest,
    OneToOneRequest,
    parse_history_request,
    parse_one_to_one_request,
)

TODAY = date(2026, 11, 23)  # a Monday
YESTERDAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("typed", "name", "held_on"),
    [
        ("log 1:1", None, None),
        ("1:1", None, None),
        ("log one-to-one with Rhys", "rhys", None),
        ("1-2-1 with margaret hughes", "margaret hughes", None),
        ("supervision with Mei yesterday", "mei", YESTERDAY),
        ("one to one with rhys evans on 3/11", "rhys evans", date(2026, 11, 3)),
        ("log 121 with Callum last Tuesday", "callum", date(2026, 11, 17)),
        ("I had a 1:1 with Rhys today", "rhys", TODAY),
        ("121 with callum on 3/11", "callum", date(2026, 11, 3)),
        ("<at>Charter</at> Log 1:1 with Rhys.", "rhys", None),
        ("record a supervision session with Niamh O'Brien", "niamh o'brien", None),
        ("new 1-1 with mei", "mei", None),
        ("start a one-2-one with Callum", "callum", None),
        ("add 1to1 with Rhys", "rhys", None),
        ("had a one to one with margaret on 3rd November", "margaret", date(2026, 11, 3)),
        ("yesterday 1:1 with Mei", "mei", YESTERDAY),
        ("log 1:1 yesterday", None, YESTERDAY),
        ("log 1:1 with rhys today at 2pm", "rhys", TODAY),
        ("log 1:1 with rhys on", "rhys", None),
    ],
)
def test_recognises_requests_to_log_a_one_to_one(
    typed: str, name: str | None, held_on: date | None
) -> None:
    assert parse_one_to_one_request(typed, TODAY) == OneToOneRequest(name=name, held_on=held_on)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "help",
        "my one-to-ones",
        "one-to-ones with Rhys",
        "1:1s",
        "1:1s with rhys",
        "supervisions",
        "catch up with rhys",
        "catch-up with rhys",
        "log",
        "rhys yesterday",
        "what is a 1:1 for",
    ],
)
def test_other_text_is_not_a_request_to_log(typed: str) -> None:
    assert parse_one_to_one_request(typed, TODAY) is None


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("one-to-ones with Rhys", "rhys"),
        ("one to ones with rhys evans", "rhys evans"),
        ("1:1s with Mei", "mei"),
        ("supervisions with Callum", "callum"),
        ("history with Margaret", "margaret"),
        ("show 1:1s for mei", "mei"),
        ("1:1s", None),
        ("supervisions", None),
    ],
)
def test_recognises_history_requests(typed: str, name: str | None) -> None:
    assert parse_history_request(typed) == HistoryRequest(name=name)


@pytest.mark.parametrize(
    "typed",
    ["my one-to-ones", "history", "log 1:1 with rhys", "one-to-one with rhys", "help", ""],
)
def test_other_text_is_not_a_history_request(typed: str) -> None:
    assert parse_history_request(typed) is None
