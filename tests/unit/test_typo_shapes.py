"""The shapes of a hurried pack word: letters left out, the end cut off, no vowels."""

from __future__ import annotations

from domain.typo_shapes import (
    cut_short,
    doubled_letter_back,
    left_out_letters,
    skeleton,
    without_vowels,
)


def test_left_out_letters_means_only_letters_missing_in_order() -> None:
    assert left_out_letters("startr", "starter")
    assert not left_out_letters("startr", "starts")  # a changed letter, not a missing one
    assert not left_out_letters("start", "start")  # nothing left out
    assert not left_out_letters("tsart", "starter")  # out of order


def test_a_skeleton_is_the_consonants_with_doubles_once() -> None:
    assert skeleton("really") == "rly"
    assert skeleton("manager") == "mngr"
    assert skeleton("should") == "shld"


def test_a_cut_short_word_is_the_most_used_pack_word_it_starts() -> None:
    frequency = {"individual": 5, "individually": 1, "indirect": 9}
    assert cut_short("indiv", frequency) == "individual"
    assert cut_short("indi", frequency) is None  # too short to say
    assert cut_short("outer", frequency) is None


def test_a_word_without_vowels_is_the_pack_word_with_its_consonants() -> None:
    frequency = {"manager": 4, "managers": 2, "monger": 1}
    assert without_vowels("mngr", frequency) == "manager"
    assert without_vowels("mngrs", frequency) == "managers"
    assert without_vowels("mangr", frequency) is None  # has a vowel: a typo, not a skeleton
    assert without_vowels("mng", frequency) is None  # too short to say
    # A word starting with a vowel keeps it: the first letter is typed.
    assert without_vowels("apprsl", {"appraisal": 3, "approval": 2}) == "appraisal"


def test_doubled_letter_back_is_the_only_known_word_with_a_doubled_letter_typed_once() -> None:
    known = frozenset({"really", "supposed", "talk", "tall", "sperm"})
    assert doubled_letter_back("realy", known) == "really"
    assert doubled_letter_back("tal", known) == "tall"  # not talk: k is not doubled
    assert doubled_letter_back("supposd", known) is None  # a left-out e is no doubled letter
    assert doubled_letter_back("perm", known) is None  # nothing goes before the first letter
    assert doubled_letter_back("fel", frozenset({"fell", "feel"})) is None  # which? nothing
