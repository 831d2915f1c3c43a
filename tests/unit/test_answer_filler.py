"""Conversational filler comes out of a question before it is ranked; the question stays."""

from __future__ import annotations

import pytest

from content import PACK_DIR
from domain.answer_everyday import read_everyday_words
from domain.answer_filler import without_filler

# The vocabulary Charter ships (content/pack/_vocabulary.md).
EVERYDAY = read_everyday_words(PACK_DIR)[0]


@pytest.mark.parametrize(
    ("asked", "left"),
    [
        ("hi there, what are the council values?", "what are the council values?"),
        (
            "quick question that's probably a bit daft. how often should i hold one-to-ones?",
            "how often should i hold one-to-ones?",
        ),
        ("long story short, i've got someone struggling", "i've got someone struggling"),
        (
            "i was wondering if you could tell me what the golden thread is",
            "what the golden thread is",
        ),
        ("morning. one of my team is off sick", "one of my team is off sick"),
        ("what is the apr? thanks in advance", "what is the apr?"),
        ("so honestly, what does the council expect of me?", "what does the council expect of me?"),
    ],
)
def test_filler_is_taken_out(asked: str, left: str) -> None:
    assert without_filler(asked) == left


@pytest.mark.parametrize(
    "asked",
    [
        "how do you know if an objective is smart",
        "thanks",
        "what is a one-to-one for",
        "so what",
        "i want to know what the values are",  # the asking words go, the subject stays
    ],
)
def test_the_subject_is_never_taken_out(asked: str) -> None:
    left = without_filler(asked)
    assert left.split()[-1] == asked.split()[-1]
    assert len(left.split()) >= min(2, len(asked.split()))


def test_every_ranker_reads_the_question_without_filler() -> None:
    assert EVERYDAY.in_framework_words("Hiya, sorry to bother you. Catch-ups with my boss?") == (
        "one-to-one with my manager?"
    )


@pytest.mark.parametrize(
    "asked",
    [
        "he keeps phoning in sick",
        "she keeps taking days off",
        "she is always off",
        "he keeps going off sick on mondays",
    ],
)
def test_repeated_absence_is_recognised(asked: str) -> None:
    assert "repeated short-term absence" in EVERYDAY.framework_words(asked)


@pytest.mark.parametrize(
    "asked",
    [
        "i keep putting off the formal stage",
        "i keep putting it off, is that ok",
        "my manager keeps calling me into meetings",
    ],
)
def test_keep_and_off_alone_are_not_absence(asked: str) -> None:
    assert "absence" not in EVERYDAY.framework_words(asked)
