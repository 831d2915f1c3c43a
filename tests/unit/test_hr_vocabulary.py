"""UK HR vocabulary: every way of writing a concept meets, plurals meet, typos are forgiven."""

from __future__ import annotations

import pytest

from domain.hr_vocabulary import HrVocabulary, analyse


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("1:1", "onetoone"),
        ("one-to-one", "onetoone"),
        ("One to One meetings", "onetoone"),
        ("my 121s", "onetoone"),
        ("a 1-2-1", "onetoone"),
        ("supervision", "onetoone"),
        ("APR", "apr"),
        ("my appraisal", "apr"),
        ("annual review", "apr"),
        ("annual performance review", "apr"),
        ("PDR", "apr"),
        ("performance review", "apr"),
        ("RTW", "rtw"),
        ("return to work", "rtw"),
        ("back to work interview", "rtw"),
        ("sickness", "sicknessabsence"),
        ("absence", "sicknessabsence"),
        ("off sick", "sicknessabsence"),
        ("sick leave", "sicknessabsence"),
        ("illness", "sicknessabsence"),
        ("capability", "capability"),
        ("under-performance", "capability"),
        ("underperformance", "capability"),
        ("poor performance", "capability"),
        ("MHFA", "mhfa"),
        ("mental health first aider", "mhfa"),
    ],
)
def test_each_way_of_writing_a_concept_becomes_its_term(text: str, concept: str) -> None:
    assert concept in analyse(text)


def test_stop_words_and_question_words_go() -> None:
    assert analyse("What should I do about my team?") == ["team"]


def test_plurals_and_verb_forms_share_a_stem() -> None:
    assert analyse("objectives") == analyse("objective")
    assert analyse("behaviours") == analyse("behaviour")
    assert analyse("managing") == analyse("manage")


def test_us_spellings_become_uk() -> None:
    assert analyse("behavior") == analyse("behaviour")
    assert analyse("organization priorities") == analyse("organisation priorities")
    assert analyse("well-being") == analyse("wellbeing")


def test_concepts_are_not_found_inside_other_words() -> None:
    assert "sicknessabsence" not in analyse("I'll be brilliant, a skill")
    assert "onetoone" not in analyse("someone to talk to")
    assert "apr" not in analyse("April")


VOCABULARY = HrVocabulary(
    [
        "objectives",
        "development",
        "wellbeing",
        "appraisal",
        "manager",
        "managers",
        "absence",
        "behaviours",
    ]
)


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("objectves", "objectives"),
        ("developmnet", "development"),
        ("welbeing", "wellbeing"),
        ("apprasial", "appraisal"),
        ("absense", "absence"),
        ("behavoirs", "behaviours"),
    ],
)
def test_typos_are_corrected_against_the_pack(typo: str, meant: str) -> None:
    assert VOCABULARY.correct(typo) == meant
    assert VOCABULARY.question_terms(f"about {typo}") == analyse(meant)


def test_known_short_and_far_words_are_left_alone() -> None:
    assert VOCABULARY.correct("manager") == "manager"
    assert VOCABULARY.correct("mxgr") == "mxgr"  # too far, and not a pack word's shape
    assert VOCABULARY.correct("the") == "the"
    assert VOCABULARY.correct("weather") == "weather"
    assert VOCABULARY.correct("xbjectives") == "xbjectives"  # first letter must match


def test_a_pack_word_typed_in_two_halves_is_joined_but_two_real_words_stay_apart() -> None:
    vocabulary = HrVocabulary(["bradford", "factor", "workload", "one", "day", "off", "oneday"])
    assert vocabulary.normalise("what is the brad ford factr") == "what is the bradford factor"
    assert vocabulary.normalise("my work load") == "my workload"
    # Both halves are words the pack knows: joining them would change what was asked.
    assert vocabulary.normalise("one day off") == "one day off"


def test_texting_shorthand_and_dropped_gs_are_written_out() -> None:
    vocabulary = HrVocabulary(["deadlines", "mission", "training", "separate"])
    assert vocabulary.normalise("how 2 deal w/ some1 who keeps missin deadlines") == (
        "how to deal with someone who keeps missing deadlines"
    )
    assert vocabulary.normalise("mgr did it w/o talkin to me") == (
        "manager did it without talking to me"
    )
    assert vocabulary.normalise("hw often atm, evry nite") == (
        "how often at the moment, every night"
    )


def test_separate_is_not_a_separation() -> None:
    from content import PACK_DIR
    from domain.answer_everyday import read_everyday_words

    framework_words = read_everyday_words(PACK_DIR)[0].framework_words
    assert framework_words("is that separate from the apr") == ""
    assert "personal circumstances" in framework_words("my partner and i have separated")


def test_a_pack_word_typed_in_a_hurry_is_read_by_its_shape() -> None:
    vocabulary = HrVocabulary(
        ["starts"] * 5
        + ["starter", "score", "individual", "individuals", "individual"]
        + ["manager", "member", "come", "coped", "check"]
    )
    # Two pack words one edit away: a left-out letter is likelier than a changed one.
    assert vocabulary.correct("startr") == "starter"
    # A short word missing a letter; a real short word is still left alone.
    assert vocabulary.correct("scor") == "score"
    assert vocabulary.correct("ceck") == "check"
    assert vocabulary.correct("cope") == "cope"
    # Cut short, or written without vowels: the pack word it is the start or consonants of.
    assert vocabulary.correct("indiv") == "individual"
    assert vocabulary.correct("mngr") == "manager"
    # Too short to say which word it was cut from.
    assert vocabulary.correct("memb") == "memb"
    # An acronym with no vowels is not a pack word written without them.
    assert HrVocabulary(["clear"] * 5).correct("cllr") == "cllr"
    assert HrVocabulary(["clear"]).normalise("the cllr asked") == "the councillor asked"


def test_a_real_word_is_never_moved_to_a_pack_word() -> None:
    vocabulary = HrVocabulary(["reports", "officers", "operating", "though", "starter"])
    assert vocabulary.normalise("progress is reported") == "progress is reported"
    assert vocabulary.normalise("my officer after an operation") == (
        "my officer after an operation"
    )
    assert vocabulary.normalise("i thought i started it") == "i thought i started it"
    assert vocabulary.normalise("new startr") == "new starter"  # a typo still is


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("i havent had one and shes off", "i have not had one and she is off"),
        ("shud objs b reviewed", "should objectives be reviewed"),
        ("disagree w my rating", "disagree with my rating"),
        ("the charter n what it says", "the charter and what it says"),
        ("is there a plan b", "is there a plan b"),  # a letter ending the question stays
        ("wat r the 4 values", "what are the 4 values"),  # a count after "the" stays
        ("how 2 prep 4 my apr", "how to prep for my apr"),
        ("y do we need it tbh", "why do we need it"),
        ("bitesize sessions", "bitesize sessions"),  # a size, not an -ize verb
        ("resize the rota", "resize the rota"),
        ("realize the organization", "realise the organisation"),
        ("is there a plan b for my objectives", "is there a plan b for my objectives"),
        ("my grade b staff member", "my grade b staff member"),  # a grade, not "be"
        ("a cllr complained", "a councillor complained"),
        ("LTS staff member", "long term sickness staff member"),
        ("temp or perm staff", "temp or permanent staff"),
        (
            "wots the rule, shd i ask whos wfh",
            "what is the rule, should i ask who is working from home",
        ),
    ],
)
def test_texting_letters_contractions_and_counts(typed: str, plain: str) -> None:
    assert HrVocabulary([]).normalise(typed) == plain


def test_an_everyday_word_with_a_doubled_letter_typed_once_is_that_word() -> None:
    # "really" and "actually" are not pack words; "ready" is.
    vocabulary = HrVocabulary(["ready", "support", "career", "starter", "starts"])
    assert vocabulary.normalise("do i realy need to") == "do i really need to"
    assert vocabulary.normalise("it actualy is") == "it actually is"
    # Only a doubled letter typed once: a real word missing from the encoder's vocabulary
    # ("bins", "nosy") is not read as another with a letter put in ("binds", "noisy").
    assert vocabulary.normalise("bins and nosy") == "bins and nosy"
    # A pack word one letter off still wins over an everyday word with a letter put in:
    # "carrer" is the pack's "career", not "carrier"; "startr" is still "starter".
    assert vocabulary.normalise("carrer plans") == "career plans"
    assert vocabulary.normalise("new startr") == "new starter"
    assert vocabulary.normalise("can i tlk about it, evr") == "can i talk about it, ever"
