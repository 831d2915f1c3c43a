from __future__ import annotations

import pytest

from domain.absence_phrases import AbsencePhrase, parse_absence_phrase


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rhys is off sick", AbsencePhrase("off_sick", "rhys")),
        ("margaret hughes is off sick today", AbsencePhrase("off_sick", "margaret hughes")),
        ("Mei is ill", AbsencePhrase("off_sick", "mei")),
        ("Callum has called in sick", AbsencePhrase("off_sick", "callum")),
        ("Rhys is back", AbsencePhrase("back", "rhys")),
        ("Rhys Evans is back at work", AbsencePhrase("back", "rhys evans")),
        ("oluwaseun has returned", AbsencePhrase("back", "oluwaseun")),
    ],
)
def test_phrases(text: str, expected: AbsencePhrase) -> None:
    assert parse_absence_phrase(text) == expected


@pytest.mark.parametrize(
    "text", ["help", "is back", "who is off sick", "is anyone off sick?", "log 1:1 with rhys", ""]
)
def test_not_absence_phrases(text: str) -> None:
    assert parse_absence_phrase(text) is None


def test_questions_about_sickness_are_not_news_about_a_person() -> None:
    for question in (
        "what do I do if Sam is off sick",
        "how long can someone be off sick",
        "my colleague is off sick",
        "should I call them if they are off sick",
    ):
        assert parse_absence_phrase(question) is None, question
    assert parse_absence_phrase("Sam is off sick") is not None
