"""Issue #16: sections carry the questions people ask for them; one normalised question for
every ranker; two-part questions; definitional questions; `charter content eval`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cli.main import main
from content import PACK_DIR
from domain import answer_index, answer_listed_match
from domain.answer_everyday import SEPARATOR
from domain.answer_index import (
    LONG_QUESTION_MATCH_FLOOR,
    QUESTION_MATCH_FLOOR,
    AnswerIndex,
    Hit,
)
from domain.answer_ranking import listed_votes
from domain.content_pack import check_pack, read_pack
from domain.hr_vocabulary import HrVocabulary, analyse, expand_abbreviations
from domain.sentence_encoder import load_encoder
from services.answers import answer_question, question_parts
from services.qa_evaluation import EvalSet, EvalSetError, evaluate

FRONT = """---
id: late
title: Lateness
audience: manager
tags: [timekeeping]
source: "Somewhere"
version: 1
owner: HR
---

## Talking about timekeeping
<!-- questions:
- my team member is always late back from lunch
- someone keeps turning up after ten
-->
Talk to them early about the hours agreed.

## Another section
<!-- questions: how do I praise someone | saying well done -->
Recognise good work.
"""


def test_a_section_lists_its_questions_in_a_marked_block_or_one_line(tmp_path: Path) -> None:
    (tmp_path / "late.md").write_text(FRONT, encoding="utf-8")
    pack = read_pack(tmp_path)
    first, second = pack.sections
    assert first.questions == (
        "my team member is always late back from lunch",
        "someone keeps turning up after ten",
    )
    assert first.body == "Talk to them early about the hours agreed."
    assert second.questions == ("how do I praise someone", "saying well done")


def test_a_broken_questions_block_is_a_problem_with_its_line(tmp_path: Path) -> None:
    broken = FRONT.replace("- someone keeps turning up after ten\n-->\n", "not a list item\n")
    (tmp_path / "late.md").write_text(broken, encoding="utf-8")
    problems = [(p.line, p.message) for p in check_pack(tmp_path)]
    assert (12, "the questions list is not closed with a '-->' line") in problems


def test_a_listed_phrasing_answers_though_the_text_never_says_it(tmp_path: Path) -> None:
    (tmp_path / "late.md").write_text(FRONT, encoding="utf-8")
    index = AnswerIndex(read_pack(tmp_path), encoder=None)
    answer, _ = answer_question(index, "My team member is always late back from lunch!", "manager")
    assert answer.answered
    assert answer.best is not None and answer.best.section_id == "late#talking-about-timekeeping"


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("mgr keeps cancelling my 1:1", "manager keeps cancelling my 1:1"),
        ("setting objs for my ppl", "setting objectives for my people"),
        ("strat priorities", "strategic priorities"),
        ("notes do i need 2 record them", "notes do i need to record them"),
        ("appraisal prep 4 mgrs", "appraisal prep for managers"),
        ("dev plan b4 my pdr", "development plan before my pdr"),
        ("a 1-2-1 or a 121", "a 1-2-1 or a 121"),  # digits inside a concept are left alone
        ("off for 2 months", "off for 2 months"),  # a count stays a count
        ("4 people in my team", "4 people in my team"),
        ("some1 doesnt hav a mtg this wk", "someone does not have a meeting this week"),
        ("hows it diff", "how is it different"),
    ],
)
def test_work_abbreviations_and_slang_are_written_out(typed: str, plain: str) -> None:
    assert expand_abbreviations(typed) == plain


def test_real_words_are_never_corrected_into_pack_words() -> None:
    vocabulary = HrVocabulary.of_texts(["start support supervision strategic frequency"])
    assert vocabulary.normalise("what am I supposed to do") == "what am i supposed to do"
    assert vocabulary.normalise("strat") == "strategic"
    assert vocabulary.normalise("supervison") == "supervision"  # a real typo still is
    # Not even to a pack word that starts the same: another word is another meaning.
    assert vocabulary.normalise("frequently") == "frequently"


def test_every_ranker_reads_the_same_normalised_question() -> None:
    index = AnswerIndex(read_pack(PACK_DIR), encoder=None)
    assert index.vocabulary.normalise("wot is the brafdord factor") == (
        "what is the bradford factor"
    )


def test_a_two_part_question_is_split_where_it_asks_again() -> None:
    assert question_parts(
        "what does the council promise its staff and what does it want back from us?"
    ) == ["what does the council promise its staff", "what does it want back from us"]
    assert question_parts("how often should I do 121s?") == []
    assert question_parts("pros and cons of supervision") == []


@pytest.fixture(scope="module")
def shipped() -> AnswerIndex:
    return AnswerIndex(read_pack(PACK_DIR))


def test_a_two_part_question_gets_both_passages(shipped: AnswerIndex) -> None:
    answer, _ = answer_question(
        shipped, "How often should I hold one-to-ones, and what is the Bradford factor?", "manager"
    )
    assert [p.section_id for p in answer.passages] == [
        "one-to-ones#how-often-to-hold-one-to-ones",
        "sickness-absence#the-bradford-factor",
    ]
    assert all(p.section_id not in {"sickness-absence#the-bradford-factor"} for p in answer.related)


@pytest.mark.parametrize(
    ("question", "audience", "section"),
    [
        ("openness and transparency", "staff", "values#the-council-s-four-corporate-values"),
        ("what is the Bradford factor?", "manager", "sickness-absence#the-bradford-factor"),
        (
            "leadership behaviours",
            "staff",
            "leadership-behaviours#what-the-leadership-behaviours-framework-is",
        ),
        (
            "what are the leadership priorities?",
            "staff",
            "management-development#leading-for-high-performance-and-the-four-leadership-priorities",
        ),
        (
            "what are the five leadership themes?",
            "staff",
            "leadership-behaviours#the-five-leadership-themes",
        ),
        (
            "How do I handle someone who keeps phoning in sick?",
            "manager",
            "sickness-absence#repeated-short-term-absence",
        ),
    ],
)
def test_questions_the_issue_saw_fail_are_answered(
    shipped: AnswerIndex, question: str, audience: str, section: str
) -> None:
    answer, _ = answer_question(shipped, question, audience)
    assert answer.answered and answer.best is not None
    assert answer.best.section_id == section


def test_an_eval_file_with_kinds_and_second_parts_is_scored_per_kind(tmp_path: Path) -> None:
    questions = {
        "questions": [
            {
                "question": "openness and transparency",
                "audience": "staff",
                "expected": "values#the-council-s-four-corporate-values",
                "kind": "short",
            },
            {
                "question": "council values",
                "audience": "staff",
                "expected": "apr#what-the-apr-is",
                "kind": "short",
            },
        ],
        "out_of_scope": [{"question": "what's the weather tomorrow", "audience": "staff"}],
    }
    path = tmp_path / "set.json"
    path.write_text(json.dumps(questions), encoding="utf-8")
    result = evaluate(AnswerIndex(read_pack(PACK_DIR), encoder=None), EvalSet.load(path))
    assert result.by_kind["short"].questions == 2
    assert result.by_kind["short"].top1 == 0.5
    assert result.rejection == 1.0
    assert len(result.misses) == 1 and "council values" in result.misses[0]


def test_a_malformed_eval_file_is_refused_with_where(tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    path.write_text(json.dumps({"questions": [{"question": "x", "audience": "boss"}]}))
    with pytest.raises(EvalSetError, match="questions #1: 'audience' must be manager or staff"):
        EvalSet.load(path)


def test_charter_content_eval_prints_the_table_and_the_misses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHARTER_CONTENT_DIR", raising=False)
    path = tmp_path / "set.json"
    path.write_text(
        json.dumps(
            {
                "questions": [
                    {
                        "question": "what is the golden thread",
                        "audience": "staff",
                        "expected": "golden-thread#what-the-golden-thread-is",
                        "kind": "short",
                    }
                ],
                "out_of_scope": [{"question": "tell me a joke", "audience": "staff"}],
            }
        ),
        encoding="utf-8",
    )
    assert main(["content", "eval", str(path), "--dir", str(PACK_DIR)]) == 0
    out = capsys.readouterr().out
    assert "top-1" in out and "short" in out and "1/1 refused" in out
    assert "No misses." in out
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert main(["content", "eval", str(tmp_path / "bad.json")]) == 2


def test_the_answer_card_shows_both_halves_with_their_sources(shipped: AnswerIndex) -> None:
    from dialogs.answers.views import answer_card

    answer, _ = answer_question(
        shipped, "How often should I hold one-to-ones, and what is the Bradford factor?", "manager"
    )
    card = json.dumps(answer_card(answer))
    assert "How often to hold one-to-ones" in card and "The Bradford factor" in card
    assert card.count("Source:") == 2


def test_a_listed_question_that_boils_down_to_one_word_does_not_match_by_words(
    tmp_path: Path,
) -> None:
    """ "What should I do before my appraisal?" is only "appraisal" once filler and stop words
    go; it must not claim every question about appraisals."""
    text = FRONT.replace(
        "- someone keeps turning up after ten\n", "- what should I do before my appraisal?\n"
    ).replace("Talk to them early", "Talk to them early about appraisal")
    (tmp_path / "late.md").write_text(text, encoding="utf-8")
    index = AnswerIndex(read_pack(tmp_path), encoder=None)
    first = index.sections[0]
    assert first.questions[1] == "what should I do before my appraisal?"
    listed = index._listed.scores(["apr"], None)[0]
    assert listed.tolist() == [0.0, 0.0]


def test_a_long_scenario_is_answered_by_the_listed_question_it_paraphrases(
    tmp_path: Path,
) -> None:
    """A long question says more than the short phrasing HR listed, so even a true paraphrase
    reaches a cosine of only 0.6-0.75: for long questions that is enough to answer."""
    if load_encoder() is None:
        pytest.skip("the sentence encoder is not installed")
    (tmp_path / "late.md").write_text(FRONT, encoding="utf-8")
    index = AnswerIndex(read_pack(tmp_path))
    long_question = (
        "a member of my team keeps arriving at work late and I have already spoken to them once"
    )
    hits = index.search(long_question, "manager")
    assert hits[0].section.title == "Talking about timekeeping"
    normalised = index.vocabulary.normalise(long_question)
    listed = index._listed.scores(analyse(normalised), index._meaning_vector(normalised))[0]
    # Below the mark a short question needs, at or above the one a long question needs.
    assert LONG_QUESTION_MATCH_FLOOR <= listed[0] < QUESTION_MATCH_FLOOR
    assert hits[0].answers() and hits[0].confidence >= listed[0]


def test_a_manager_describing_a_situation_gets_the_section_for_it(shipped: AnswerIndex) -> None:
    if not shipped.has_encoder:
        pytest.skip("the sentence encoder is not installed")
    answer, _ = answer_question(
        shipped,
        "one of my team looks exhausted and snappy lately, I'm worried about them",
        "manager",
    )
    assert answer.answered
    assert answer.best is not None
    assert answer.best.section_id == "wellbeing#supporting-a-team-member-s-wellbeing"


@pytest.fixture
def encoder_passes(shipped: AnswerIndex, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The texts in each pass through the shipped index's encoder from now on (its
    remembered questions forgotten)."""
    encoder = shipped._encoder
    if encoder is None:
        pytest.skip("the sentence encoder is not installed")
    passes: list[int] = []
    real = encoder._run_pass

    def counted(encoded: list[list[int]]) -> object:
        passes.append(len(encoded))
        return real(encoded)

    monkeypatch.setattr(encoder, "_run_pass", counted)
    shipped.forget_questions()
    return passes


def test_a_two_part_question_and_its_halves_take_one_pass_through_the_encoder(
    shipped: AnswerIndex, encoder_passes: list[int]
) -> None:
    passes = encoder_passes
    answer, _ = answer_question(
        shipped, "what is the bradford factor and what are the trigger points", "manager"
    )
    assert answer.second is not None
    # One pass: both halves together; the whole question's meaning is read from them.
    assert passes == [2]


def test_a_two_part_question_read_with_framework_words_embeds_its_halves_only_if_answered(
    shipped: AnswerIndex, encoder_passes: list[int]
) -> None:
    """The whole carries the framework's words, which its halves do not, so it is embedded
    itself; unanswered, its halves are never read, so they cost no pass."""
    question = "how long is the probation period for new starters and can I extend it?"
    assert SEPARATOR in shipped.normalise(question)
    answer, _ = answer_question(shipped, question, "manager")
    assert not answer.answered
    assert encoder_passes == [1]


def test_a_large_pack_compares_listed_questions_by_meaning_for_its_best_sections_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if load_encoder() is None:
        pytest.skip("the sentence encoder is not installed")
    (tmp_path / "late.md").write_text(FRONT, encoding="utf-8")
    index = AnswerIndex(read_pack(tmp_path))
    assert index._listed.rows(np.array([1])).tolist() == [2, 3]
    question = "my team member keeps coming back late from lunch, what do I do"
    normalised = index.vocabulary.normalise(question)
    terms, query = analyse(normalised), index._meaning_vector(normalised)
    everything = index._listed.scores(terms, query)[0]
    monkeypatch.setattr(answer_listed_match, "LISTED_CANDIDATES", 1)
    lateness_first = index._listed.scores(terms, query, np.array([1.0, 0.5], dtype=np.float32))[0]
    praise_first = index._listed.scores(terms, query, np.array([0.5, 1.0], dtype=np.float32))[0]
    assert lateness_first[0] == pytest.approx(everything[0])
    assert praise_first[1] == pytest.approx(everything[1])
    # Outside the candidates only shared words count, never the cosine.
    assert lateness_first[1] == 0.0 < everything[1]


def test_a_second_half_that_points_back_names_the_first_halfs_subject() -> None:
    assert question_parts("what are the council values and how should I use them with my team") == [
        "what are the council values",
        "how should I use the council values with my team",
    ]


def test_both_halves_of_a_question_that_points_back_are_answered_in_order(
    shipped: AnswerIndex,
) -> None:
    answer, _ = answer_question(
        shipped, "what happens at my APR? And how do I get ready for it", "staff"
    )
    assert [p.section_id for p in answer.passages] == [
        "apr-for-staff#what-happens-at-your-apr",
        "apr-for-staff#preparing-for-your-apr",
    ]


def test_the_best_section_answers_when_its_level_neighbour_in_the_topic_is_confident() -> None:
    from dataclasses import replace

    from services.answers import answer_from_hits

    pack = read_pack(PACK_DIR)
    values, using = (
        pack.section("values#the-council-s-four-corporate-values"),
        pack.section("values#using-the-values-in-everyday-work-and-performance-conversations"),
    )
    assert values is not None and using is not None
    unsure, sure = Hit(values, 0.75, 0.33), Hit(using, 0.74, 0.49)
    answer = answer_from_hits("remind me what the values are", [unsure, sure], 0.35)
    assert answer.answered and answer.best is not None
    assert answer.best.section_id == values.id and answer.score == pytest.approx(0.49)
    # Another topic's confidence, or a runner-up well behind, says nothing about the best.
    far_behind = answer_from_hits("x", [unsure, replace(sure, score=0.5)], 0.35)
    assert not far_behind.answered


def test_everyday_words_for_a_situation_bring_the_framework_s_words() -> None:
    from domain.answer_everyday import as_asked, read_everyday_words

    everyday = read_everyday_words(PACK_DIR)[0]
    in_framework_words, with_framework_words = (
        everyday.in_framework_words,
        everyday.with_framework_words,
    )

    assert "one-to-one" in in_framework_words("My boss keeps cancelling our catch-ups")
    assert "manager" in in_framework_words("My boss keeps cancelling our catch-ups")
    added = with_framework_words("she was in tears in our meeting")
    assert "wellbeing" in added
    assert as_asked(added) == "she was in tears in our meeting"
    assert "repeated short-term absence" in with_framework_words(
        "he keeps phoning in sick on mondays"
    )
    # A locked account is not a disability; a question naming no situation is unchanged.
    assert with_framework_words("teams says my account is disabled") == (
        "teams says my account is disabled"
    )
    assert with_framework_words("how often should one-to-ones happen") == (
        "how often should one-to-ones happen"
    )


def test_a_long_question_puts_its_asking_sentences_first() -> None:
    from domain.answer_text import asks_first

    story = (
        "I have just taken over a team of six after my old manager retired and she never "
        "really held formal meetings with anyone. I want to set something up properly. "
        "What should the sessions focus on?"
    )
    assert asks_first(story).startswith("What should the sessions focus on?")
    assert asks_first("what should a one-to-one cover? and how often?") == (
        "what should a one-to-one cover? and how often?"
    )


def test_a_story_before_the_question_still_finds_its_answer(shipped: AnswerIndex) -> None:
    if shipped._encoder is None:
        pytest.skip("the sentence encoder is not installed")
    answer, _ = answer_question(
        shipped,
        "Morning. I manage a small team in a busy office and we all get on well, but my head "
        "of service says I have to hold formal supervision with each of them and write it up. "
        "It feels like a paper exercise when we talk all day. Is there really any point?",
        "manager",
    )
    assert answer.answered
    assert answer.best is not None
    assert answer.best.section_id.startswith("one-to-ones#")


def test_listed_questions_vote_for_their_sections_by_meaning() -> None:
    """A section with several phrasings near a situation outvotes one with a single phrasing
    that is nearest on its own; the votes are shares that sum to 1."""
    owners = np.array([0, 1, 1, 1], dtype=np.int64)
    cosines = np.array([0.62, 0.60, 0.60, 0.59], dtype=np.float32)
    votes = listed_votes(owners, cosines, 3)
    assert votes.sum() == pytest.approx(1.0)
    assert votes[1] > votes[0] > votes[2] == 0.0
    # A listed question far below the nearest hardly counts.
    far = listed_votes(owners, np.array([0.9, 0.5, 0.5, 0.5], dtype=np.float32), 3)
    assert far[0] > 0.99
    assert listed_votes(owners[:0], cosines[:0], 3).tolist() == [0.0, 0.0, 0.0]


def test_a_situation_told_briefly_is_ranked_with_the_listed_questions_votes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if load_encoder() is None:
        pytest.skip("the sentence encoder is not installed")
    (tmp_path / "late.md").write_text(FRONT, encoding="utf-8")
    index = AnswerIndex(read_pack(tmp_path))
    question = "one of my team keeps wandering back late from lunch most days and it annoys others"
    with_votes = index.search(question, "manager", k=2)
    monkeypatch.setattr(answer_index, "VOTE_WEIGHT", 0.0)
    index.forget_questions()
    without = index.search(question, "manager", k=2)
    assert with_votes[0].section.id == without[0].section.id
    assert with_votes[0].score > without[0].score


def test_a_short_question_whose_every_word_a_section_holds_is_not_refused_for_a_low_cosine(
    shipped: AnswerIndex,
) -> None:
    """Two or three words get a low cosine from any passage; a section that holds them all
    answers from a similarity of FULL_COVERAGE_SIMILARITY_FLOOR."""
    hits = shipped.search("apprenticeship strategy", "manager", k=1)
    assert hits and hits[0].coverage >= answer_index.FULL_COVERAGE
    assert hits[0].section.id == (
        "strategic-priorities#what-the-strategic-imperatives-mean-for-staff-and-managers"
    )
    assert hits[0].similarity < answer_index.LEXICAL_SIMILARITY_FLOOR
    assert hits[0].answers()
