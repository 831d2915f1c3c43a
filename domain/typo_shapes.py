"""The shapes a typed word takes when someone writes a pack word quickly, for choosing what
they meant when edit distance alone does not: letters left out ("startr" is "starter", not
"starts"), the end left off ("indiv", "scor"), the vowels left out ("shld", "mngr").

Pure functions over words; :class:`domain.hr_vocabulary.HrVocabulary` uses them only for a
word that is neither in the pack nor a real English word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

_VOWELS = frozenset("aeiou")

# A word cut short is read as a pack word only when it keeps at least this many letters.
MIN_CUT_LENGTH = 5
# A word without vowels is read as a pack word only when it keeps at least this many letters.
MIN_SKELETON_LENGTH = 4


def left_out_letters(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with some letters left out (in order, none added)."""
    letters = iter(word)
    return len(typed) < len(word) and all(letter in letters for letter in typed)


def skeleton(word: str) -> str:
    """The word's consonants in order, a doubled letter once ("really" -> "rly")."""
    out: list[str] = []
    for letter in word:
        if letter not in _VOWELS and (not out or out[-1] != letter):
            out.append(letter)
    return "".join(out)


def _most_used(words: Iterable[str], frequency: Mapping[str, int]) -> str | None:
    return max(words, key=lambda w: (frequency.get(w, 0), w), default=None)


def cut_short(typed: str, frequency: Mapping[str, int]) -> str | None:
    """The pack word most used among those ``typed`` is the start of ("indiv" ->
    "individual"), or None when ``typed`` is too short to say."""
    if len(typed) < MIN_CUT_LENGTH:
        return None
    return _most_used((w for w in frequency if w.startswith(typed) and w != typed), frequency)


def consonant_shape(word: str) -> str:
    """The word's first letter, then the consonants of the rest ("absence" -> "absnc")."""
    return word[:1] + skeleton(word[1:])


def without_vowels(typed: str, frequency: Mapping[str, int]) -> str | None:
    """The pack word most used among those ``typed`` is the consonants of ("shld" ->
    "should", "apprsl" -> "appraisal"), when ``typed`` has no vowel after its first letter
    and is long enough to say."""
    if len(typed) < MIN_SKELETON_LENGTH or _VOWELS & set(typed[1:]):
        return None
    shape = consonant_shape(typed)
    return _most_used(
        (w for w in frequency if w[0] == typed[0] and w != typed and consonant_shape(w) == shape),
        frequency,
    )


def doubled_letter_back(typed: str, known: frozenset[str]) -> str | None:
    """The one word of ``known`` that ``typed`` is with a doubled letter typed once, the
    commonest slip of all ("realy" is "really", "tal" is "tall"; "perm" is never "sperm");
    None when there is none or more than one."""
    found = {typed[: at + 1] + typed[at:] for at in range(len(typed))} & known
    return found.pop() if len(found) == 1 else None
