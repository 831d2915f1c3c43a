"""Passages are short (≤120 words), keep lists as lists and are cut at a clean boundary."""

from __future__ import annotations

import re

from domain.answer_passages import ELLIPSIS, PASSAGE_MAX_WORDS, trim_passage
from services.answers import redact_for_hr


def words(text: str) -> int:
    """Words a reader reads: not list markers, not the ellipsis."""
    return len([w for w in text.split() if w != ELLIPSIS and not re.fullmatch(r"-|\d+\.", w)])


def test_a_short_section_is_unchanged_and_keeps_its_list() -> None:
    body = "The four areas:\n\n- Managing\n- Developing\n\n1. one\n2. two"
    text, trimmed = trim_passage(body)
    assert not trimmed
    assert text == "The four areas:\n\n- Managing\n- Developing\n1. one\n2. two"


def test_a_long_list_is_cut_between_items() -> None:
    items = "\n".join(f"- item number {i} has five words" for i in range(40))
    text, trimmed = trim_passage("Intro sentence here.\n\n" + items)
    assert trimmed
    assert words(text) <= PASSAGE_MAX_WORDS
    lines = text.splitlines()
    assert lines[0] == "Intro sentence here."
    assert all(line.startswith("- item number") for line in lines[2:-2])
    assert text.endswith(f"has five words\n\n{ELLIPSIS}")


def test_a_long_paragraph_is_cut_at_a_sentence() -> None:
    sentence = "This sentence has exactly seven words in it."
    body = " ".join([sentence] * 30)
    text, trimmed = trim_passage(body)
    assert trimmed
    assert words(text) <= PASSAGE_MAX_WORDS
    assert text.endswith(f"in it. {ELLIPSIS}")


def test_later_paragraphs_go_whole_when_they_do_not_fit() -> None:
    first = " ".join(["word"] * 100) + "."
    second = "Another paragraph that is long enough to overflow the limit with many words here."
    text, trimmed = trim_passage(f"{first}\n\n{second} {second}")
    assert trimmed
    assert words(text) <= PASSAGE_MAX_WORDS
    assert text.startswith(first)


def test_continuation_lines_join_their_item_and_links_become_text() -> None:
    body = (
        "- a list item that\n  wraps onto a second line\n- see [the APR](apr.md#x) or "
        "[GOV.UK](https://www.gov.uk/)\n\n### Sub heading\n\nText <!-- note -->."
    )
    text, _ = trim_passage(body)
    assert text.splitlines()[0] == "- a list item that wraps onto a second line"
    assert "see the APR or [GOV.UK](https://www.gov.uk/)" in text
    assert "**Sub heading**" in text
    assert "<!--" not in text


def test_one_enormous_sentence_is_cut_at_a_word() -> None:
    text, trimmed = trim_passage(" ".join(["long"] * 300))
    assert trimmed
    assert words(text) == PASSAGE_MAX_WORDS
    assert text.endswith(ELLIPSIS)


def test_questions_kept_for_hr_have_emails_and_long_numbers_masked() -> None:
    assert redact_for_hr("Can I tell rhys.evans@council.example about 07700 900123?") == (
        "Can I tell [email] about [number]?"
    )
    assert redact_for_hr("What happens at my APR in 2027?") == "What happens at my APR in 2027?"
