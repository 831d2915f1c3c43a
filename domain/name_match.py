"""Which person a typed name fragment means: "rhys", "margret", "o'brien", "mei ling".

Plain rules, no Bot Framework and no database. Matching ignores case, accents and
punctuation, and ranks kinds of match in tiers; only the best tier comes back, so one clear
winner comes back alone and a tie comes back whole for the caller to ask about.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from domain.people import Person

FUZZY_THRESHOLD = 0.8
# Fuzzy matches within this much of the best ratio count as a tie.
FUZZY_TIE_MARGIN = 0.05

_DROPPED = re.compile("['\u2019`.]")
_SEPARATORS = re.compile(r"[^a-z0-9@]+")


def normalise_name(text: str) -> str:
    """Lower-case, accent-free words: "Niamh O'Brien" -> "niamh obrien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _SEPARATORS.sub(" ", _DROPPED.sub("", plain)).strip()


def _compact(text: str) -> str:
    return normalise_name(text).replace(" ", "")


def _parts(person: Person) -> list[str]:
    return normalise_name(person.name).split()


def _exact_full_name(query: str, person: Person) -> bool:
    return _compact(query) == _compact(person.name)


def _exact_email(query: str, person: Person) -> bool:
    email = person.email.strip().lower()
    wanted = query.strip().lower()
    local = email.split("@", 1)[0]
    return wanted in (email, local) or (bool(local) and _compact(query) == _compact(local))


def _exact_first_name(query: str, person: Person) -> bool:
    parts = _parts(person)
    return bool(parts) and normalise_name(query) == parts[0]


def _exact_other_name(query: str, person: Person) -> bool:
    """The last name, or a middle name ("chen", "ling")."""
    return normalise_name(query) in _parts(person)[1:]


def _full_name_prefix(query: str, person: Person) -> bool:
    return normalise_name(person.name).startswith(normalise_name(query))


def _name_part_prefix(query: str, person: Person) -> bool:
    wanted = normalise_name(query)
    return " " not in wanted and any(part.startswith(wanted) for part in _parts(person)[1:])


_TIERS: tuple[Callable[[str, Person], bool], ...] = (
    _exact_full_name,
    _exact_email,
    _exact_first_name,
    _exact_other_name,
    _full_name_prefix,
    _name_part_prefix,
)


def _similarity(query: str, person: Person) -> float:
    wanted = normalise_name(query)
    parts = _parts(person)
    targets = {normalise_name(person.name), *parts[:1], *parts[-1:]}
    return max(SequenceMatcher(None, wanted, target).ratio() for target in targets)


def _by_name(people: Sequence[Person]) -> list[Person]:
    return sorted(people, key=lambda p: (normalise_name(p.name), p.id))


def _fuzzy_matches(query: str, people: Sequence[Person]) -> list[Person]:
    scored = [(_similarity(query, p), p) for p in people]
    scored = [(score, p) for score, p in scored if score >= FUZZY_THRESHOLD]
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return _by_name([p for score, p in scored if score >= best - FUZZY_TIE_MARGIN])


def match_people(query: str, people: Sequence[Person]) -> list[Person]:
    """The people ``query`` most plausibly names, or [] if nobody fits.

    Tiers, best first: exact full name; email or its local part ("rhys.evans"); first name;
    last (or middle) name; start of the full name ("mar", "mei ling"); start of a later name
    ("hugh"); then typo tolerance (a close spelling of first, last or full name). Everyone in
    the best tier that anyone reaches comes back, sorted by name.
    """
    if not normalise_name(query):
        return []
    for tier in _TIERS:
        found = [p for p in people if tier(query, p)]
        if found:
            return _by_name(found)
    return _fuzzy_matches(query, people)
