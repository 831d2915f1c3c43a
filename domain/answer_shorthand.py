"""Texting shorthand people type in questions ("some1", "w/o", "evry"), as the words they
stand for: part of :data:`domain.hr_vocabulary.ABBREVIATIONS`, written out before anything
ranks a question."""

from __future__ import annotations

TEXTING_SHORTHAND: dict[str, str] = {
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
}
