"""Confidence from the rankers agreeing (domain.answer_agreement): a story whose best
section is first by its words and by its meaning answers, a near miss does not."""

from __future__ import annotations

import numpy as np
import pytest

from content import PACK_DIR
from domain.answer_agreement import agreeing_confidence
from domain.answer_index import ANSWER_THRESHOLD, AnswerIndex
from domain.content_pack import read_pack
from domain.sentence_encoder import load_encoder

STORY = "my team leader keeps missing her monthly returns"
CONFIDENCE = np.array([0.09, 0.21, 0.30], dtype=np.float32)
RELEVANCE = np.array([0.66, 0.52, 0.40], dtype=np.float32)
WORDS = np.array([9.0, 7.0, 3.0], dtype=np.float32)
OPENING = np.array([0.10, 0.20, 0.15], dtype=np.float32)
LISTED = np.array([0.68, 0.40, 0.30], dtype=np.float32)


def _agreed(
    question: str = STORY,
    confidence: np.ndarray = CONFIDENCE,
    relevance: np.ndarray = RELEVANCE,
    words: np.ndarray = WORDS,
    meanings: tuple[np.ndarray, ...] = (OPENING, LISTED),
) -> np.ndarray:
    return agreeing_confidence(question, confidence, relevance, words, meanings, ANSWER_THRESHOLD)


def test_a_story_first_by_its_words_and_its_listed_questions_answers() -> None:
    agreed = _agreed()
    # Exactly the threshold, in double precision: a float32 0.35 is a hair below 0.35.
    assert float(agreed[0]) >= ANSWER_THRESHOLD
    assert list(agreed[1:]) == pytest.approx(list(CONFIDENCE[1:]))


@pytest.mark.parametrize(
    ("case", "changes"),
    [
        ("a short question names its subject", {"question": "monthly returns missed"}),
        ("the words pick another section", {"words": np.array([7.0, 9.0, 3.0])}),
        ("no meaning ranks it first", {"meanings": (OPENING, np.array([0.3, 0.4, 0.2]))}),
        ("the runner-up is all but level", {"relevance": np.array([0.66, 0.63, 0.40])}),
        ("sent elsewhere", {"confidence": np.array([0.0, 0.21, 0.30])}),
    ],
)
def test_the_rankers_must_agree_on_a_clear_best_for_a_story(
    case: str, changes: dict[str, object]
) -> None:
    agreed = _agreed(**changes)  # type: ignore[arg-type]
    assert float(agreed[0]) < ANSWER_THRESHOLD, case


def test_a_confident_best_is_left_as_it_is() -> None:
    confident = np.array([0.8, 0.2, 0.1], dtype=np.float32)
    assert list(_agreed(confidence=confident)) == pytest.approx([0.8, 0.2, 0.1])


@pytest.fixture(scope="module")
def pack_index() -> AnswerIndex:
    if load_encoder() is None:
        pytest.skip("agreement needs a ranker by meaning: the sentence encoder")
    return AnswerIndex(read_pack(PACK_DIR))


@pytest.mark.parametrize(
    ("question", "section"),
    [
        (STORY, "capability#spotting-and-tackling-under-performance-early"),
        (
            "customers keep complaining about one of my advisers",
            "capability#spotting-and-tackling-under-performance-early",
        ),
    ],
)
def test_on_the_pack_a_story_the_rankers_agree_on_is_answered(
    pack_index: AnswerIndex, question: str, section: str
) -> None:
    hits = pack_index.search(question, "manager")
    assert hits[0].section.id == section
    assert hits[0].answers(pack_index.threshold)


@pytest.mark.parametrize(
    "question",
    [
        "can you recommend a good pizza place near the office",
        "is there an employee assistance programme phone number for free counselling",
    ],
)
def test_on_the_pack_a_long_near_miss_stays_refused(pack_index: AnswerIndex, question: str) -> None:
    hits = pack_index.search(question, "manager")
    assert not hits or not hits[0].answers(pack_index.threshold)
