"""Texting shorthand people type in questions ("some1", "w/o", "evry"), as the words they
stand for: part of :data:`domain.hr_vocabulary.ABBREVIATIONS`, written out before anything
ranks a question."""

from __future__ import annotations

import re

# Contractions typed without their apostrophe ("havent", "shes"), where that is not a word in
# its own right ("well", "ill", "its", "were" and "lets" are, and stay).
_CONTRACTION_LIST = """
    havent:have_not hasnt:has_not hadnt:had_not wasnt:was_not werent:were_not arent:are_not
    wouldnt:would_not shouldnt:should_not couldnt:could_not mustnt:must_not wont:will_not
    shes:she_is hes:he_is theyre:they_are youre:you_are weve:we_have theyve:they_have
    youve:you_have wheres:where_is theres:there_is heres:here_is whens:when_is
    whys:why_is theyll:they_will youll:you_will itll:it_will"""
CONTRACTIONS: dict[str, str] = {
    typed: meant.replace("_", " ")
    for typed, meant in (entry.split(":") for entry in _CONTRACTION_LIST.split())
}

# Single letters for whole words, read so only between two words ("shud i b tackling it",
# "disagree w my rating", "the charter n what it says"), and never after a word a letter
# names a kind of ("plan b", "my grade b staff", "option b for the rota").
LETTER_WORDS: dict[str, str] = {"b": "be", "n": "and", "w": "with"}
_LETTERED_AFTER_LIST = """
    plan grade band option part appendix type category section level scale schedule form
    route model shift team site block"""
LETTERED_AFTER = tuple(_LETTERED_AFTER_LIST.split())

_LETTER_WORD = re.compile(
    "".join(rf"(?<!\b{word} )" for word in LETTERED_AFTER)
    + r"(?<=[a-z] )(["
    + "".join(LETTER_WORDS)
    + r"])(?= [a-z])"
)
# "y" opening a question is "why" ("y do we need it").
_OPENING_Y = re.compile(r"^y(?= [a-z])")


def letters_as_words(text: str) -> str:
    """Lower-cased text with the single letters typed for whole words written out."""
    return _OPENING_Y.sub("why", _LETTER_WORD.sub(lambda m: LETTER_WORDS[m.group(1)], text))


# Work acronyms without vowels that are not a pack word typed without its vowels ("cllr" is
# not "clear"); each is left as typed, or written out where TEXTING_SHORTHAND says so. Only
# words of four letters or more are ever read by their shape (domain.typo_shapes).
_NEVER_RESHAPED_LIST = "cllr cllrs hmrc lgps pdrs rtws"
NEVER_RESHAPED = frozenset(_NEVER_RESHAPED_LIST.split())

TEXTING_SHORTHAND: dict[str, str] = {
    "cllr": "councillor",
    "cllrs": "councillors",
    "hav": "have",
    "wk": "week",
    "wks": "weeks",
    "mth": "month",
    "mths": "months",
    "some1": "someone",
    "any1": "anyone",
    "every1": "everyone",
    "no1": "no one",
    "diff": "different",
    "whats": "what is",
    "hows": "how is",
    "thats": "that is",
    "doesnt": "does not",
    "dont": "do not",
    "didnt": "did not",
    "cant": "cannot",
    "isnt": "is not",
    "im": "i am",
    "ive": "i have",
    "tho": "though",
    "cos": "because",
    "coz": "because",
    "bc": "because",
    "mtg": "meeting",
    "mtgs": "meetings",
    "dept": "department",
    "tmrw": "tomorrow",
    "thru": "through",
    "w/o": "without",
    "w/": "with",
    "hw": "how",
    "atm": "at the moment",
    "evry": "every",
    "nite": "night",
    "wats": "what is",
    "gd": "good",
    "gud": "good",
    "rly": "really",
    "tlk": "talk",
    "evr": "ever",
    "shd": "should",
    "wfh": "working from home",
    "wots": "what is",
    "whos": "who is",
    "perm": "permanent",
    "nxt": "next",
    "wrk": "work",
    "ther": "there",
    "som1": "someone",
    "2day": "today",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "yday": "yesterday",
    "gr8": "great",
    "msg": "message",
    "msgs": "messages",
    "hrs": "hours",
    "mins": "minutes",
    "appt": "appointment",
    "appts": "appointments",
    "approx": "approximately",
    "convo": "conversation",
    "convos": "conversations",
    "newbie": "new starter",
    "indiv": "individual",
    "fri": "friday",
    "btw": "",
    "tbh": "",
    "imo": "",
    "lol": "",
    "idk": "i do not know",
    "lts": "long term sickness",
    **CONTRACTIONS,
}
