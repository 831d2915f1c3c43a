"""How managers ask, in their own words, to log a one-to-one or see the history of them.

Plain rules, no Bot Framework and no database. "log 1:1 with Rhys yesterday" asks to log one
(name "rhys", date yesterday); the plural "1:1s with Rhys" asks for Rhys's history instead.
Names come back as typed fragments (lower-cased); ``domain.name_match`` resolves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.commands import normalise_text
from domain.date_words import find_date_words

# One one-to-one, in the ways people write it; the plural is the history command.
_ONE_TO_ONE = (
    r"(?:1:1|1-1|1to1|1 to 1|1-2-1|1 2 1|121|1on1|1 on 1|one-to-one|one to one|one-2-one"
    r"|one2one|one on one|one-on-one|supervision(?: session)?)"
)
_ONE_TO_ONES = (
    r"(?:1:1s|1-1s|1to1s|121s|1-2-1s|one-to-ones|one to ones|one-2-ones|one on ones"
    r"|one-on-ones|supervisions|(?:1:1|one-to-one|one to one|supervision) history|history)"
)

_LOG = re.compile(
    r"^(?:please )?"
    r"(?:(?:log|record|add|new|start|(?:(?:i|we) )?(?:just )?had) )?"
    r"(?:(?:a|an|my|the) )?(?:new )?"
    + _ONE_TO_ONE
    + r"(?: (?:meeting|session|conversation|chat))?"
    + r"(?: (?:with|for) (?P<name>.+?))?"
    + r"(?: please)?$"
)
_HISTORY = re.compile(
    r"^(?:(?:show|see|view|list) )?(?:(?:me|the) )?(?P<noun>"
    + _ONE_TO_ONES
    + ")"
    + r"(?: (?:with|for) (?P<name>.+?))?(?: please)?$"
)
_TRAILING_FILLER = re.compile(r"(?: (?:on|at|from|please))+$")
_TIME = re.compile(r"\b(?:at )?\d{1,2}(?:[:.]\d{2})? ?(?:am|pm)\b|\bat \d{1,2}[:.]\d{2}\b")


@dataclass(frozen=True)
class OneToOneRequest:
    name: str | None  # the typed name fragment, lower-cased, or None
    held_on: date | None


@dataclass(frozen=True)
class HistoryRequest:
    name: str | None  # None: "1:1s" on its own, so ask whose


def _clean_name(raw: str | None) -> str | None:
    if raw is None:
        return None
    name = _TRAILING_FILLER.sub("", raw.strip(" ,")).strip(" ,")
    return name or None


_TOMORROW = re.compile(r"\s*\b(?:on\s+)?tomorrow\b\s*")


def _date_and_rest(text: str, today: date) -> tuple[date | None, str]:
    """The date named in ``text`` and the rest. "tomorrow" counts too (a one-to-one can't be
    logged ahead, and the form says so; the name must still come out as "rhys")."""
    if _TOMORROW.search(text):
        return today + timedelta(days=1), " ".join(_TOMORROW.sub(" ", text).split())
    return find_date_words(text, today)


def parse_one_to_one_request(text: str, today: date) -> OneToOneRequest | None:
    """A request to log one one-to-one ("log 1:1 with Rhys on 3/11"), or None."""
    cleaned = _TIME.sub(" ", normalise_text(text))
    held_on, rest = _date_and_rest(cleaned, today)
    m = _LOG.match(rest)
    if m is None:
        return None
    return OneToOneRequest(name=_clean_name(m["name"]), held_on=held_on)


def parse_history_request(text: str) -> HistoryRequest | None:
    """A request for past one-to-ones ("1:1s with Rhys", "history for Mei"), or None.

    "my one-to-ones" (the manager's own list) is a separate fixed command and is not matched.
    Bare "history" is too vague on its own, so it needs a name.
    """
    m = _HISTORY.match(normalise_text(text))
    if m is None:
        return None
    name = _clean_name(m["name"])
    if name is None and m["noun"] == "history":
        return None
    return HistoryRequest(name=name)
