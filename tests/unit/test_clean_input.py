"""What people type is cleaned once, as it arrives, before anything stores or shows it."""

from __future__ import annotations

from bot.turn.middleware import clean_text, clean_value


def test_bidirectional_overrides_and_isolates_are_removed() -> None:
    typed = "Pay rise agreed: \u202e00.05\u202c pounds \u2066x\u2069 \u202a\u202b\u202d\u2067\u2068"
    assert clean_text(typed) == "Pay rise agreed: 00.05 pounds x "


def test_a_lone_carriage_return_becomes_a_new_line() -> None:
    assert clean_text("he shouts at me\rNice bot") == "he shouts at me\nNice bot"
    assert clean_text("one\r\ntwo\nthree") == "one\ntwo\nthree"


def test_card_values_are_cleaned_too_and_ordinary_text_is_kept() -> None:
    assert clean_value({"comment": "a\u202eb\r", "n": 3}) == {"comment": "ab\n", "n": 3}
    assert clean_text("caf\u00e9 \u2014 \u05e9\u05dc\u05d5\u05dd \U0001f44d") == (
        "caf\u00e9 \u2014 \u05e9\u05dc\u05d5\u05dd \U0001f44d"
    )
