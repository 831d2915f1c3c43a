"""Everyday words for situations, in the framework's own terms.

People describe what is happening in their team in their own words ("she was in tears in
our catch-up", "he keeps phoning in sick on Mondays", "I haven't had a review in over a
year"); the pack describes the same situations in its terms (wellbeing and stress, repeated
short-term absence and trigger points, the APR). The vocabulary that maps one to the other
is content, owned by HR: the pack's ``_vocabulary.md`` (:data:`VOCABULARY_FILE`), read by
:func:`read_everyday_words` and checked by ``charter content check``. Each entry is a
``## heading`` naming the framework's words, and a list of the everyday expressions people
use for it::

    ## one-to-one
    <!-- replace -->
    - catch-up
    - catch-ups

    ## wellbeing stress mental health support
    - in tears
    - not coping
    - anxi*
    - re: not\\s+(?:himself|herself|themselves)

A ``replace`` entry writes the expressions as the framework does before anything reads the
question ("catch-ups with my boss" are one-to-ones with a manager); any other entry adds
its heading's words after the question, so every ranker (words and meaning) reads both.
A plain expression matches as whole words, lower case: a space matches any spacing, a
hyphen a hyphen, a space or nothing, and ``*`` at a word's end any ending. ``re:`` starts a
regular expression, for the few that need one (a word near another).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from domain.answer_filler import without_filler

VOCABULARY_FILE = "_vocabulary.md"
# Between the question and the words added to it (no ranker reads it as a word).
SEPARATOR = " | "
_REPLACE = "replace"
_ADD = "add"
_HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
_KIND = re.compile(r"^<!--\s*([a-z-]+)\s*-->$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*[-*+]\s+(.*?)\s*$")
_PLAIN_WORD = re.compile(r"^[a-z0-9'&/.]+\*?$")


@dataclass(frozen=True)
class EverydayWords:
    """The pack's vocabulary of everyday expressions, compiled once."""

    rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()
    additions: tuple[tuple[re.Pattern[str], str], ...] = ()
    entries: int = field(default=0, compare=False)

    def in_framework_words(self, question: str) -> str:
        """The question (lower case, filler gone) with workplace words and shorthand the pack
        does not use written as the pack writes them."""
        text = without_filler(question.lower().replace("\u2019", "'"))
        for pattern, words in self.rewrites:
            text = pattern.sub(words, text)
        return text

    def framework_words(self, normalised: str) -> str:
        """The framework's words for the situations the (normalised) question describes in
        everyday words; empty when it describes none."""
        found = [words for pattern, words in self.additions if pattern.search(normalised)]
        return " ".join(dict.fromkeys(found))

    def with_framework_words(self, normalised: str) -> str:
        """The question followed by the framework's words for any situation it describes."""
        extra = self.framework_words(normalised)
        return f"{normalised}{SEPARATOR}{extra}" if extra else normalised

    def read(self, question: str, spelling: Callable[[str], str]) -> tuple[str, str]:
        """The question as every ranker reads it: in framework words and then ``spelling``
        (plain, correctly spelt words), without and with the framework's words for the
        situations it describes."""
        plain = spelling(self.in_framework_words(question))
        return plain, self.with_framework_words(plain)


def as_asked(normalised: str) -> str:
    """The question without the framework's words added to it."""
    return normalised.split(SEPARATOR, 1)[0]


def expression_pattern(item: str) -> str:
    """A listed expression as a regular expression: ``re:`` and what follows as written,
    else the plain words (see the module's docstring)."""
    if item.startswith("re:"):
        return item[3:].strip()
    words: list[str] = []
    for word in item.lower().split():
        wildcard = word.endswith("*")
        stem = word[:-1] if wildcard else word
        parts = [re.escape(part) for part in stem.split("-")]
        words.append(r"[\s-]*".join(parts) + (r"\w*" if wildcard else ""))
    return r"\s+".join(words)


@dataclass
class _Entry:
    words: str
    line: int
    kind: str = _ADD
    patterns: list[str] = field(default_factory=list)
    items: int = 0


def parse_everyday_words(text: str) -> tuple[EverydayWords, list[tuple[int, str]]]:
    """The vocabulary in a ``_vocabulary.md`` text, and what is wrong with it as (line,
    message). Nothing of it counts while anything is wrong."""
    entries: list[_Entry] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if heading := _HEADING.match(line):
            words = " ".join(heading.group(1).split())
            entries.append(_Entry(words, number))
            if not words:
                problems.append((number, "an entry's heading has no words"))
            elif words.lower() in seen:
                problems.append(
                    (number, f"'## {words}' is already on line {seen[words.lower()]}: add there")
                )
            seen.setdefault(words.lower(), number)
        elif entries and (kind := _KIND.match(line)):
            entries[-1].kind = kind.group(1).lower()
            if entries[-1].kind not in (_REPLACE, _ADD):
                problems.append((number, f"unknown '<!-- {kind.group(1)} -->': use replace or add"))
        elif entries and (item := _ITEM.match(raw)):
            entries[-1].items += 1
            pattern, problem = _checked_pattern(item.group(1))
            if problem:
                problems.append((number, problem))
            else:
                entries[-1].patterns.append(pattern)
    problems.extend(
        (e.line, f"'## {e.words}' lists no expressions") for e in entries if not e.items
    )
    if problems:
        problems.sort()
        return EverydayWords(), problems
    return _compiled(entries), []


def _checked_pattern(item: str) -> tuple[str, str | None]:
    if item.startswith("re:"):
        pattern = item[3:].strip()
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            return "", f"not a valid regular expression: {error}"
        if compiled.search("") is not None:
            return "", "the regular expression matches nothing at all, so it would match anywhere"
        return pattern, None
    words = item.lower().split()
    if not words or not all(_PLAIN_WORD.match(w.replace("-", "")) for w in words):
        return "", (
            f"'{item}': write plain words (letters, digits, ' - & / .; a * at a word's end), "
            "or start a regular expression with 're:'"
        )
    return expression_pattern(item), None


def _compiled(entries: list[_Entry]) -> EverydayWords:
    rewrites = tuple(
        (re.compile(rf"(?<![a-z0-9&])(?:{'|'.join(e.patterns)})(?![a-z0-9&])"), e.words)
        for e in entries
        if e.kind == _REPLACE
    )
    additions = tuple(
        (re.compile(rf"(?<![a-z0-9])(?:{'|'.join(e.patterns)})(?![a-z0-9])"), e.words)
        for e in entries
        if e.kind == _ADD
    )
    return EverydayWords(rewrites, additions, len(entries))


def read_everyday_words(folder: Path) -> tuple[EverydayWords, list[tuple[int, str]]]:
    """The vocabulary of the pack in ``folder`` (none if it has no :data:`VOCABULARY_FILE`),
    and what is wrong with it."""
    path = folder / VOCABULARY_FILE
    if not path.is_file():
        return EverydayWords(), []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        return EverydayWords(), [(0, f"cannot read the file: {error.strerror}")]
    except UnicodeDecodeError:
        return EverydayWords(), [(0, "not UTF-8 text: save the file with UTF-8 encoding")]
    return parse_everyday_words(text)
