"""A question asking why, when or how to prepare meets the sibling whose title says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain import answer_index
from domain.answer_index import AnswerIndex
from domain.answer_text import asked, title_asks
from domain.content_pack import read_pack


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("why does attendance matter so much", ["why"]),
        ("my team think return to work meetings are a waste of time", ["why"]),
        ("what's the point of supervision", ["why"]),
        ("what is my apr actually for?", ["why"]),
        ("is it too late to do the return to work now", ["when"]),
        ("how soon should i hold it", ["when"]),
        ("what are the options for flexible working", []),  # "for" with more after it
        ("when someone is off sick what do i do", []),  # a when of situation, not of timing
        ("how do i hold a return to work conversation", []),
        ("what should i look at beforehand", ["before"]),
        ("how do i prep for my apr", ["before"]),
        ("i feel sick before work", []),  # before a time, not before doing something
    ],
)
def test_what_a_question_asks_beyond_what_it_is(question: str, kinds: list[str]) -> None:
    assert asked(question) == kinds


def test_titles_that_say_why_or_when() -> None:
    assert title_asks("Why managing attendance matters", "why")
    assert title_asks("What a one-to-one is for", "why")
    assert title_asks("When to hold the return to work conversation", "when")
    # "When someone reports sick" is a situation, not a time to do something.
    assert not title_asks("When someone in your team reports sick", "when")
    assert not title_asks("What to cover in a return to work conversation", "why")
    assert title_asks("Preparing for your APR", "before")
    assert title_asks("What to review before setting targets", "before")
    assert not title_asks("After your APR", "before")


PACK = """---
id: rtw
title: Return to work
audience: manager
tags: [return to work]
source: "Somewhere"
version: 1
owner: HR
---

## Hold a return to work conversation
Return to work meetings after every absence: the person was missed, and support is found
early.

## Why hold a return to work conversation
Return to work meetings after every absence: the person was missed, and support is found
early.
"""


def test_a_why_question_ranks_the_why_section_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rtw.md").write_text(PACK, encoding="utf-8")
    index = AnswerIndex(read_pack(tmp_path), encoder=None)
    question = "my team think return to work meetings are a waste of time"
    assert index.search(question, "manager")[0].section.id == (
        "rtw#why-hold-a-return-to-work-conversation"
    )
    # Without the asking, the two read the same and the first comes first.
    monkeypatch.setattr(answer_index, "ASKING_BONUS", 0.0)
    assert index.search(question, "manager")[0].section.id == (
        "rtw#hold-a-return-to-work-conversation"
    )
