"""How managers say someone is off or back: "Rhys is off sick", "margaret hughes is back"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from domain.commands import normalise_text

_OFF = re.compile(
    r"^(?P<name>.+?) (?:is|has been|was) (?:off sick|off ill|off|sick|ill|unwell)"
    r"(?: today| from today| this morning)?$"
    r"|^(?P<name2>.+?) (?:has )?(?:called|phoned|rung) in sick(?: today)?$"
)
_BACK = re.compile(
    r"^(?P<name>.+?) (?:is back|has come back|came back|has returned|returned)"
    r"(?: at work| to work| today| from sick(?:ness)?(?: leave)?)?$"
)


# "who is off sick?" is a question, not news about someone called Who.
_NOT_NAMES = frozenset(
    {
        "who",
        "anyone",
        "anybody",
        "everyone",
        "somebody",
        "someone",
        "he",
        "she",
        "they",
        "i",
        "what",
        "nobody",
        "is anyone",
        "is anybody",
    }
)


# "what do I do if Sam is off sick" and "how long can someone be off sick" are questions
# for the guidance, not news about a person.
_QUESTION_START = re.compile(
    r"^(?:what|how|when|why|where|which|who|should|can|could|do|does|did|is|are|if|my|"
    r"a|an|the|someone|somebody|anyone)\b"
)


@dataclass(frozen=True)
class AbsencePhrase:
    kind: Literal["off_sick", "back"]
    name: str


def parse_absence_phrase(text: str | None) -> AbsencePhrase | None:
    cleaned = normalise_text(text)
    found: AbsencePhrase | None = None
    if match := _OFF.match(cleaned):
        found = AbsencePhrase("off_sick", (match.group("name") or match.group("name2")).strip())
    elif match := _BACK.match(cleaned):
        found = AbsencePhrase("back", match.group("name").strip())
    if found is None or found.name in _NOT_NAMES or _QUESTION_START.match(found.name):
        return None
    return found
