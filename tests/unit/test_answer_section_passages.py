"""Ranking sibling sections by the passage of their body a long question describes
(domain.answer_section_passages)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from domain import answer_index, answer_section_passages
from domain.answer_index import AnswerIndex
from domain.answer_section_passages import SectionPassages
from domain.answer_text import PASSAGE_WORDS, passage_texts
from domain.content_pack import read_pack
from domain.sentence_encoder import SentenceEncoder, model_dir

OPENING = (
    "Good attendance matters to the service and to the people who cover for colleagues. As a "
    "manager you {verb} attendance in your team, talk to people about it and make sure the "
    "policy is applied fairly and the same way for everyone in the team."
)
# Two sibling sections that open alike; what tells them apart is after their opening words.
SIBLINGS = f"""---
id: attendance
title: Attendance
audience: manager
tags: [attendance, absence]
source: "Somewhere"
version: 1
owner: HR
---

## Keeping an eye on attendance
<!-- questions: how do I spot a pattern of absence | when should I hold an attendance review -->
{OPENING.format(verb="keep an eye on")} Sometimes a pattern appears: a person is often absent
at the start of the week or next to their days off. Look at the dates together and hold an
attendance review meeting to agree what happens next.

## Supporting attendance in your team
<!-- questions: how do I support someone's return | what is a phased return -->
{OPENING.format(verb="support")} After an operation or a long illness, a person may need a
phased return: fewer hours at first, lighter duties, and a weekly check in until they are back
to full strength.
"""


def _siblings(tmp_path: Path) -> AnswerIndex:
    folder = model_dir()
    if folder is None:
        pytest.skip("the sentence encoder is not installed")
    (tmp_path / "attendance.md").write_text(SIBLINGS, encoding="utf-8")
    # The model as packaged: the shipped tuning (domain.encoder_tuning) learned the shipped
    # pack's siblings, which tells these apart from their openings alone too.
    return AnswerIndex(read_pack(tmp_path), encoder=_packaged(folder))


@cache
def _packaged(folder: Path) -> SentenceEncoder:
    return SentenceEncoder(folder, tuning=None)


def test_a_section_body_is_read_in_passages_of_whole_sentences_under_its_title(
    tmp_path: Path,
) -> None:
    (tmp_path / "attendance.md").write_text(SIBLINGS, encoding="utf-8")
    section = read_pack(tmp_path).sections[1]
    passages = passage_texts(section)
    assert len(passages) == 3
    assert all(p.startswith("Supporting attendance in your team. ") for p in passages)
    title_words = len(section.title.split())
    assert all(len(p.split()) - title_words <= PASSAGE_WORDS for p in passages)
    # Whole sentences: the last passage starts where a sentence does.
    assert passages[-1].split(". ", 1)[1].startswith("After an operation")
    # Short sentences share a passage.
    short = replace(section, body="Be fair. Be kind.\n\nBe quick.")
    assert passage_texts(short) == [
        "Supporting attendance in your team. Be fair. Be kind. Be quick."
    ]


def test_a_passage_reads_a_link_as_its_words_and_a_section_without_a_body_as_its_title(
    tmp_path: Path,
) -> None:
    (tmp_path / "attendance.md").write_text(SIBLINGS, encoding="utf-8")
    section = read_pack(tmp_path).sections[0]
    linked = replace(section, body="See [the policy](policy.md#top).")
    assert passage_texts(linked) == ["Keeping an eye on attendance. See [the policy]."]
    empty = replace(section, body="")
    assert passage_texts(empty) == ["Keeping an eye on attendance"]


def test_ranking_reads_the_mean_of_a_section_opening_and_its_closest_passage() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    passages = SectionPassages(vectors, [2, 1])  # section 0 has two passages, section 1 one
    query = np.array([0.0, 1.0], dtype=np.float32)
    opening = np.array([0.2, 0.4], dtype=np.float32)
    ranked = passages.ranking_similarity(query, opening, np.zeros(2, dtype=np.float32))
    assert ranked.tolist() == pytest.approx([(0.2 + 1.0) / 2, (0.4 + 0.8) / 2])


def test_a_large_pack_reads_passages_only_for_its_most_relevant_sections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(answer_section_passages, "PASSAGE_CANDIDATES", 1)
    vectors = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    passages = SectionPassages(vectors, [1, 2])
    query = np.array([0.0, 1.0], dtype=np.float32)
    opening = np.array([0.2, 0.4], dtype=np.float32)
    first_relevant = passages.ranking_similarity(query, opening, np.array([0.9, 0.1]))
    assert first_relevant.tolist() == pytest.approx([0.6, 0.4])
    second_relevant = passages.ranking_similarity(query, opening, np.array([0.1, 0.9]))
    assert second_relevant.tolist() == pytest.approx([0.2, 0.7])


def test_every_section_needs_a_passage() -> None:
    with pytest.raises(ValueError, match="at least one passage"):
        SectionPassages(np.zeros((1, 2), dtype=np.float32), [1, 0])


def test_a_long_question_finds_the_sibling_whose_body_describes_its_situation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _siblings(tmp_path)
    question = (
        "a member of my team is coming back after surgery next week and I want to ease her "
        "back in gently, how should I go about it"
    )
    best = index.search(question, "manager")[0].section.id
    assert best == "attendance#supporting-attendance-in-your-team"
    # Their openings alone put the other sibling first: the passage is what tells them apart
    # (with the classifier fitted on their listed questions switched off: it tells them apart
    # too, test_answer_section_classifier).
    monkeypatch.setattr(answer_section_passages, "PASSAGE_SHARE", 0.0)
    monkeypatch.setattr(answer_index, "CLASSIFIER_WEIGHT", 0.0)
    index.forget_questions()
    assert (
        index.search(question, "manager")[0].section.id == "attendance#keeping-an-eye-on-attendance"
    )


def test_a_short_question_is_ranked_by_section_openings_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _siblings(tmp_path)
    with_passages = [(h.section.id, h.score) for h in index.search("phased return", "manager")]
    monkeypatch.setattr(answer_section_passages, "PASSAGE_SHARE", 0.0)
    index.forget_questions()
    assert [(h.section.id, h.score) for h in index.search("phased return", "manager")] == (
        with_passages
    )
