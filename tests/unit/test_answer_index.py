"""Ranking on the sample pack: synonyms, typos, plurals, audience and knowing when to say no."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.answer_index import ANSWER_THRESHOLD, AnswerIndex
from domain.content_pack import read_pack

SAMPLE = Path(__file__).parents[1] / "fixtures" / "content_pack_sample"


@pytest.fixture(scope="module")
def index() -> AnswerIndex:
    return AnswerIndex(read_pack(SAMPLE))


def best(index: AnswerIndex, question: str, audience: str = "manager") -> str | None:
    hits = index.search(question, audience)
    return hits[0].section.id if hits and hits[0].answers() else None


@pytest.mark.parametrize(
    "question",
    [
        "how often should I hold one-to-ones",
        "how often should I do 121s",
        "how frequently should 1:1s happen",
        "how often should supervision be",
        "how oftne shuold I hold supervisions",  # typos
    ],
)
def test_synonyms_typos_and_plurals_find_the_same_section(
    index: AnswerIndex, question: str
) -> None:
    assert best(index, question) == "one-to-ones#how-often-to-hold-one-to-ones"


@pytest.mark.parametrize(
    ("question", "section"),
    [
        (
            "when is the back to work interview held",
            "sickness-absence#return-to-work-conversations",
        ),
        ("RTW after being off sick", "sickness-absence#return-to-work-conversations"),
        ("who are the MHFAs", "sickness-absence#mental-health-first-aiders"),
        ("someone is underperforming", "capability#acting-early-on-capability-concerns"),
        ("what to do about poor performance", "capability#acting-early-on-capability-concerns"),
    ],
)
def test_hr_vocabulary_reaches_the_right_section(
    index: AnswerIndex, question: str, section: str
) -> None:
    assert best(index, question) == section


def test_each_audience_gets_its_own_version_first(index: AnswerIndex) -> None:
    assert best(index, "what happens at the appraisal", "manager") == "apr#what-happens-at-the-apr"
    assert best(index, "what happens at my appraisal", "staff") == (
        "apr-for-staff#what-happens-at-your-apr"
    )
    assert best(index, "what happens at my PDR", "staff") == (
        "apr-for-staff#what-happens-at-your-apr"
    )


def test_staff_are_not_offered_manager_sections_when_their_own_answers(
    index: AnswerIndex,
) -> None:
    hits = index.search("what happens at my appraisal", "staff", k=10)
    assert all(h.section.audience in ("staff", "all") for h in hits)
    # …but a manager still sees the staff version, below their own.
    manager_hits = [h.section.id for h in index.search("what happens at the APR", "manager", 10)]
    assert manager_hits.index("apr#what-happens-at-the-apr") < manager_hits.index(
        "apr-for-staff#what-happens-at-your-apr"
    )


def test_staff_may_read_manager_sections_when_nothing_else_answers(index: AnswerIndex) -> None:
    assert best(index, "acting on capability concerns", "staff") == (
        "capability#acting-early-on-capability-concerns"
    )


def test_a_manager_can_read_a_staff_only_section(index: AnswerIndex) -> None:
    assert best(index, "preparing for my one-to-one: what to bring", "manager") is not None


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather like tomorrow",
        "how do I book a meeting room",
        "who won the world cup",
        "what is the capital of France",
        "reset my password",
        "",
        "???",
    ],
)
def test_out_of_scope_questions_are_not_answered(index: AnswerIndex, question: str) -> None:
    assert best(index, question) is None
    assert best(index, question, "staff") is None


def test_confidence_is_a_share_and_hits_are_ranked(index: AnswerIndex) -> None:
    hits = index.search("how often should I hold one-to-ones", "manager", k=4)
    assert 1 < len(hits) <= 4
    assert all(0.0 <= h.confidence <= 1.0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].confidence >= ANSWER_THRESHOLD


def test_unknown_audience_is_refused(index: AnswerIndex) -> None:
    with pytest.raises(ValueError):
        index.search("apr", "director")
