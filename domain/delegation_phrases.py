"""Delegation as people type it: "delegate my team to Tom until 10 January".

Plain rules, no Bot Framework and no database. Dates here look forward (a delegation ends in
the future), so a day with no year is the next one on or after today, and a weekday is the
coming one ("until Friday" said on a Friday means today).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.date_words import WEEKDAYS, parse_date_words

_WEEKDAY = re.compile(
    r"^(?P<next>next\s+)?(?P<day>" + "|".join(WEEKDAYS) + r"|mon|tues?|weds?|thu(?:rs?)?|fri)$"
)
_FOR = re.compile(
    r"^(?:the\s+next\s+)?(?P<n>\d{1,3}|a|one|two|three|four|six)\s+(?P<unit>days?|weeks?|months?)$"
)
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
_REQUEST = re.compile(
    r"^(?:please\s+)?delegate\s+"
    r"(?:(?P<mine>my\s+team)|(?:the\s+team\s+of\s+)?(?P<owner>.+?)(?:'s|\u2019s|s')?\s+team|"
    r"the\s+team\s+of\s+(?P<owner2>.+?))"
    r"\s+to\s+(?P<delegate>.+?)"
    r"(?:\s+(?:from|starting|starting\s+on|from\s+the)\s+(?P<start>.+?))?"
    r"(?:\s+(?:until|till|til|to|through|up\s+to(?:\s+and\s+including)?)\s+(?P<until>.+?)"
    r"|\s+for\s+(?P<period>.+?))?$",
    re.IGNORECASE,
)


# "Tom Griffiths is acting manager for me while I'm away until Friday", "Tom will act for my
# team for two weeks": the same request said the other way round.
_ACTING = re.compile(
    r"^(?:please\s+)?(?P<delegate>.+?)\s+"
    r"(?:(?:is|will\s+be|should\s+be|can\s+be)\s+(?:the\s+|my\s+)?acting\s+manager"
    r"|(?:is|will\s+be)\s+acting|(?:will|can|should)\s+act|acts)"
    r"\s+for\s+(?:me|my\s+team)"
    r"(?:\s+while\s+i(?:'m|\u2019m|\s+am)\s+(?:away|off|on\s+leave))?"
    r"(?:\s+(?:from|starting|starting\s+on)\s+(?P<start>.+?))?"
    r"(?:\s+(?:until|till|til|to|through|up\s+to(?:\s+and\s+including)?)\s+(?P<until>.+?)"
    r"|\s+for\s+(?P<period>.+?))?$",
    re.IGNORECASE,
)
_NOT_A_NAME = {"who", "who's", "whos", "anyone", "someone", "somebody", "nobody", "which"}


@dataclass(frozen=True)
class DelegationPhrase:
    delegate_name: str
    owner_name: str | None  # None for "my team"
    starts_on: date | None  # None means today
    ends_on: date | None  # None when the words gave no date we understand
    end_words: str


def future_date(text: str, today: date) -> date | None:
    """The day ``text`` names, looking forward from ``today``."""
    words = re.sub(r"\s+", " ", text.strip().lower().rstrip(".!"))
    words = re.sub(r"^(?:on\s+)?(?:the\s+)?", "", words)
    if words in ("today", "tonight", "end of today"):
        return today
    if words == "tomorrow":
        return today + timedelta(days=1)
    weekday = _WEEKDAY.match(words)
    if weekday:
        target = next(i for i, name in enumerate(WEEKDAYS) if name.startswith(weekday["day"][:3]))
        ahead = (target - today.weekday()) % 7
        if weekday["next"] and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    # A day and month with no year is the next such day: resolve as if today were a day
    # short of a year ahead, so the latest match on or before it is the coming one.
    return parse_date_words(words, today + timedelta(days=364))


def period_end(text: str, start: date) -> date | None:
    """The last day of "two weeks", "10 days", "3 months" from ``start`` (inclusive)."""
    m = _FOR.match(re.sub(r"\s+", " ", text.strip().lower()))
    if not m:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"]]
    unit = m["unit"]
    days = n * 7 if unit.startswith("week") else n * 30 if unit.startswith("month") else n
    return start + timedelta(days=days - 1) if days > 0 else None


def parse_delegation_request(text: str | None, today: date) -> DelegationPhrase | None:
    """The request in "delegate my team to <name> until <day>" (or "…'s team", "for 2
    weeks", "from <day>"); None when the message isn't one."""
    cleaned = re.sub(r"\s+", " ", (text or "").strip()).rstrip(".!")
    m = _REQUEST.match(cleaned)
    if not m:
        return _acting_for_me(cleaned, today)
    owner = None if m["mine"] else (m["owner"] or m["owner2"] or "").strip() or None
    start = future_date(m["start"], today) if m["start"] else None
    if m["until"]:
        end_words = m["until"]
        ends = future_date(end_words, today)
    elif m["period"]:
        end_words = m["period"]
        ends = period_end(end_words, start or today)
    else:
        end_words, ends = "", None
    return DelegationPhrase(
        delegate_name=m["delegate"].strip(),
        owner_name=owner,
        starts_on=start,
        ends_on=ends,
        end_words=end_words.strip(),
    )


def _acting_for_me(cleaned: str, today: date) -> DelegationPhrase | None:
    """ "Tom is acting manager for me (while I'm away) until Friday": a request for the
    speaker's own team; None for a question ("who is acting for me?") or anything else."""
    m = _ACTING.match(cleaned.rstrip("?"))
    if not m or cleaned.endswith("?"):
        return None
    delegate = m["delegate"].strip()
    words = delegate.lower().split()
    if not words or words[0] in _NOT_A_NAME or words[0] in ("is", "will", "can"):
        return None
    start = future_date(m["start"], today) if m["start"] else None
    if m["until"]:
        end_words, ends = m["until"], future_date(m["until"], today)
    elif m["period"]:
        end_words, ends = m["period"], period_end(m["period"], start or today)
    else:
        end_words, ends = "", None
    return DelegationPhrase(
        delegate_name=delegate,
        owner_name=None,
        starts_on=start,
        ends_on=ends,
        end_words=end_words.strip(),
    )
