"""A gentle SMART check on an objective draft: nudges, never blocks.

Plain rules, no Bot Framework and no database. Callers pass ``today`` so the rules stay
testable. Findings come back in a fixed order: title, then measure, then date, with at most one
finding for each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.apr_cycle import add_months

MIN_TITLE_WORDS = 4
MIN_MEASURE_WORDS = 3
MAX_MONTHS_AHEAD = 18

# Openings that say "better" without saying what, for whom or by how much.
VAGUE_OPENERS = (
    "improve",
    "work on",
    "do better",
    "try to",
    "help with",
    "support",
    "be more",
    "be better",
    "get better",
    "continue to",
    "focus on",
    "look at",
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that add no specifics: fillers, vague verbs and generic development themes.
_FILLER = _word_set(
    "a an the and or of to for with at in on by my our your their it its me i we be is are "
    "more better best good well really generally overall always try trying keep continue "
    "improve improving improved work working do doing help helping support supporting get "
    "look focus make sure things stuff"
)
_GENERIC = _word_set(
    "communication communications skills skill time management performance job role myself "
    "team teamwork confidence knowledge development organisation organised organized "
    "efficiency efficient productivity quality engagement relationships attitude motivation "
    "wellbeing learning understanding awareness practice approach planning"
)
_NUMBER_WORDS = _word_set(
    "one two three four five six seven eight nine ten eleven twelve twenty fifty hundred "
    "half double"
)

_WORD = re.compile(r"[a-z0-9%£']+")


@dataclass(frozen=True)
class SmartFinding:
    code: str  # no_measure, no_date, date_in_past, vague_title, too_short, date_too_far
    message: str


_MESSAGES = {
    "vague_title": (
        "This reads a little general. What exactly will you deliver, for whom, or by how much?"
    ),
    "too_short": (
        "Could you say a bit more? A short sentence naming what you'll deliver helps others "
        "see how it links to the plan."
    ),
    "no_measure": (
        "How will you know it's done? Add what success looks like (a number, a date, "
        "a deliverable)."
    ),
    "no_date": "When would you like this done by? Add a target date so you can review it.",
    "date_in_past": (
        "The target date has already passed. Pick a new date, or close the objective if it's done."
    ),
    "date_too_far": (
        "That date is more than 18 months away. Could you set a nearer milestone you can "
        "review along the way?"
    ),
}


def _finding(code: str) -> SmartFinding:
    return SmartFinding(code=code, message=_MESSAGES[code])


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _has_quantity(words: list[str]) -> bool:
    return any(any(ch.isdigit() for ch in w) or "%" in w or w in _NUMBER_WORDS for w in words)


def _specific_words(words: list[str]) -> list[str]:
    return [w for w in words if w not in _FILLER and w not in _GENERIC]


def _starts_vague(words: list[str]) -> bool:
    text = " ".join(words)
    return any(text == opener or text.startswith(opener + " ") for opener in VAGUE_OPENERS)


def is_vague_title(title: str) -> bool:
    """All generic words, or a vague opener with barely an object and no quantity."""
    words = _words(title)
    if not words:
        return False  # an empty title is "too short", not vague
    specific = _specific_words(words)
    if not specific:
        return True
    return _starts_vague(words) and not _has_quantity(words) and len(specific) < 2


def _check_title(title: str) -> SmartFinding | None:
    if is_vague_title(title):
        return _finding("vague_title")
    if len(_words(title)) < MIN_TITLE_WORDS:
        return _finding("too_short")
    return None


def _check_measure(measure: str) -> SmartFinding | None:
    if re.search(r"[\d%]", measure):
        return None
    if len(_words(measure)) < MIN_MEASURE_WORDS:
        return _finding("no_measure")
    return None


def _check_date(target_date: date | None, today: date) -> SmartFinding | None:
    if target_date is None:
        return _finding("no_date")
    if target_date < today:
        return _finding("date_in_past")
    if target_date > add_months(today, MAX_MONTHS_AHEAD):
        return _finding("date_too_far")
    return None


def smart_check(
    *, title: str, measure: str, target_date: date | None, today: date
) -> list[SmartFinding]:
    """Friendly suggestions for an objective draft; an empty list means it looks SMART."""
    checks = (
        _check_title(title or ""),
        _check_measure(measure or ""),
        _check_date(target_date, today),
    )
    return [finding for finding in checks if finding is not None]
