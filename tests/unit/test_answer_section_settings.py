"""A section's settings and listed questions in the content pack (domain.answer_question_lists),
and the small ranking helpers (domain.answer_ranking). No database."""

from __future__ import annotations

import numpy as np

from domain.answer_question_lists import MAX_LISTED_QUESTION_CHARS, section_settings
from domain.answer_ranking import bm25_idf, top


def lines(*texts: str) -> list[tuple[int, str]]:
    return list(enumerate(texts, start=10))


def test_settings_and_a_questions_list_are_read_and_taken_off_the_body() -> None:
    body = lines(
        "<!-- audience: Staff -->",
        "<!-- tags: APR, review -->",
        "<!-- questions:",
        "- when is my APR",
        "2. how do I prepare",
        "-->",
        "The body starts here.",
    )
    settings, problems = section_settings(body, "all")
    assert problems == []
    assert (settings.audience, settings.tags) == ("staff", ["apr", "review"])
    assert settings.questions == ["when is my APR", "how do I prepare"]
    assert body == [(16, "The body starts here.")]


def test_an_unclosed_list_and_a_line_that_is_not_an_item_are_problems_with_line_numbers() -> None:
    _, problems = section_settings(lines("<!-- questions:", "- fine", "not an item", "-->"), "all")
    assert problems == [(12, "each line of a questions list must be '- the question'")]
    settings, problems = section_settings(lines("<!-- questions:", "- never closed"), "all")
    assert problems == [(10, "the questions list is not closed with a '-->' line")]
    assert not settings.ok and settings.questions == []


def test_a_pasted_passage_an_empty_list_and_unknown_settings_are_refused() -> None:
    long = "- " + "x" * (MAX_LISTED_QUESTION_CHARS + 1)
    _, problems = section_settings(lines("<!-- questions:", long, "-->"), "all")
    assert problems == [(11, f"a listed question is over {MAX_LISTED_QUESTION_CHARS} characters")]
    _, problems = section_settings(lines("<!-- questions:", "-->"), "all")
    assert problems == [(10, "the questions list has no questions")]
    _, problems = section_settings(lines("<!-- colour: red -->"), "all")
    assert problems == [
        (10, "unknown section setting 'colour' (use tags or audience or questions)")
    ]
    _, problems = section_settings(lines("<!-- audience: everyone -->"), "all")
    assert problems == [(10, "audience 'everyone' must be one of manager, staff, all")]


def test_one_line_questions_setting_splits_on_bars() -> None:
    settings, _ = section_settings(lines("<!-- questions: a? | b? -->"), "manager")
    assert settings.questions == ["a?", "b?"] and settings.audience == "manager"


def test_rarer_words_weigh_more_and_top_returns_the_best_first() -> None:
    assert bm25_idf(1, 100) > bm25_idf(50, 100) > 0
    assert top(np.array([0.1, 0.9, 0.5, 0.9]), 3) == [1, 3, 2]
    assert top(np.array([0.2, 0.1]), 5) == [0, 1]
    assert top(np.array([]), 3) == [] and top(np.array([1.0]), 0) == []
