"""The classifier fitted on a pack's phrasings (domain.answer_section_classifier)."""

from __future__ import annotations

import numpy as np
import pytest

from domain.answer_section_classifier import SectionClassifier


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    normalised: np.ndarray = vector / np.linalg.norm(vector)
    return normalised


def test_a_question_scores_highest_for_the_section_whose_phrasings_it_is_among() -> None:
    # Two sibling sections share the first direction; the second and third tell them apart.
    examples = np.stack([unit(1, 0.5, 0), unit(1, 0.6, 0.1), unit(1, 0, 0.5), unit(1, 0.1, 0.6)])
    classifier = SectionClassifier(examples, np.array([0, 0, 1, 1]), 2)

    scores = classifier.scores(unit(1, 0.4, 0.05))

    assert scores[0] > scores[1]
    other = classifier.scores(unit(1, 0.05, 0.45))
    assert other[1] > other[0]
    assert ((scores >= 0) & (scores <= 1)).all()


def test_a_section_with_many_phrasings_does_not_pull_every_question_towards_it() -> None:
    # Section 0 has twenty phrasings near one direction, section 1 two near another; a
    # question halfway between scores them alike, not by how many phrasings each has.
    many = [unit(1, 0, 0.01 * i) for i in range(20)]
    few = [unit(0, 1, 0), unit(0, 1, 0.01)]
    owners = np.array([0] * 20 + [1] * 2)
    classifier = SectionClassifier(np.stack(many + few), owners, 2)

    scores = classifier.scores(unit(1, 1, 0))

    assert scores[0] == pytest.approx(scores[1], abs=0.05)


def test_a_section_without_examples_scores_nothing_and_nothing_fits_to_nothing() -> None:
    classifier = SectionClassifier(np.stack([unit(1, 0), unit(0, 1)]), np.array([0, 0]), 2)
    assert classifier.scores(unit(0, 1))[1] == 0.0

    empty = SectionClassifier(np.zeros((0, 2), dtype=np.float32), np.zeros(0, dtype=np.int64), 3)
    assert empty.scores(unit(1, 0)).tolist() == [0.0, 0.0, 0.0]


def test_every_example_needs_its_section() -> None:
    with pytest.raises(ValueError, match="one owner per example"):
        SectionClassifier(np.stack([unit(1, 0)]), np.array([0, 1]), 2)
