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
regular expression, for the few that need one (a word near another). An entry's
expressions are joined into one, so a ``re:`` may not name a group, refer back to one or set
flags for the whole expression; and since they run on what people type, one that could
backtrack for minutes (a repeat inside a repeat, choices in a repeat that start alike, or
too slow on long trial texts) is refused by ``charter content check`` like any other mistake.
"""

from __future__ import annotations

import re
import re._compiler as sre_compiler  # the parsed form re itself uses, to vet HR's patterns
import re._constants as sre_constants
import re._parser as sre_parser
import string
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from domain.answer_filler import without_filler
from domain.pack_text import read_pack_file

VOCABULARY_FILE = "_vocabulary.md"
# Between the question and the words added to it (no ranker reads it as a word).
SEPARATOR = " | "
_REPLACE = "replace"
_ADD = "add"
_HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
_KIND = re.compile(r"^<!--\s*([a-z-]+)\s*-->$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*[-*+]\s+(.*?)\s*$")
_PLAIN_WORD = re.compile(r"^[a-z0-9'&/.]+\*?$")
# The longest text the patterns ever read: questions are capped at 500 characters before
# they get here, and this bounds the work of any caller that did not cap them.
MAX_READ_CHARS = 1000
# A repeat of at most this many times is left to the timed trial (see ``_slow``).
BOUNDED_REPEAT = 10
# A pattern that takes longer than this on any trial text (twice) is refused.
TRIAL_SECONDS = 0.05
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)
_GROUP_REFERENCES = (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS)
_PROBE_CHARACTERS = string.ascii_lowercase + string.digits + " '-&/.,?!\u00e9"


@dataclass(frozen=True)
class EverydayWords:
    """The pack's vocabulary of everyday expressions, compiled once."""

    rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()
    additions: tuple[tuple[re.Pattern[str], str], ...] = ()
    entries: int = field(default=0, compare=False)

    def in_framework_words(self, question: str) -> str:
        """The question (lower case, filler gone) with workplace words and shorthand the pack
        does not use written as the pack writes them."""
        text = without_filler(question[:MAX_READ_CHARS].lower().replace("\u2019", "'"))
        for pattern, words in self.rewrites:
            text = pattern.sub(_as_written(words), text)
        return text

    def framework_words(self, normalised: str) -> str:
        """The framework's words for the situations the (normalised) question describes in
        everyday words; empty when it describes none."""
        text = normalised[:MAX_READ_CHARS]
        found = [words for pattern, words in self.additions if pattern.search(text)]
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


def _as_written(words: str) -> Callable[[re.Match[str]], str]:
    """A replacement putting ``words`` in as written: HR's words are not a template, so a
    backslash or ``\\g<1>`` in them stays what it is."""
    return lambda _match: words


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
    return _compiled(entries)


def _checked_pattern(item: str) -> tuple[str, str | None]:
    if item.startswith("re:"):
        pattern = item[3:].strip()
        try:
            compiled = re.compile(pattern)
            parsed = sre_parser.parse(pattern)
        except (re.error, RecursionError, OverflowError) as error:
            return "", f"not a valid regular expression: {error}"
        if problem := _unjoinable(parsed) or _slow(parsed):
            return "", problem
        if compiled.search("") is not None:
            return "", "the regular expression matches nothing at all, so it would match anywhere"
        problem = _slow_on_trial(pattern)
        return ("", problem) if problem else (pattern, None)
    words = item.lower().split()
    if not words or not all(_PLAIN_WORD.match(w.replace("-", "")) for w in words):
        return "", (
            f"'{item}': write plain words (letters, digits, ' - & / .; a * at a word's end), "
            "or start a regular expression with 're:'"
        )
    return expression_pattern(item), None


def _unjoinable(parsed: sre_parser.SubPattern) -> str | None:
    """Why a pattern cannot be joined with the entry's others into one expression, if so."""
    if parsed.state.groupdict:
        return "please do not name groups ((?P<name>...)): write (?:...) instead"
    if parsed.state.flags & ~sre_constants.SRE_FLAG_UNICODE:
        return (
            "please do not set flags for the whole expression, such as (?i): expressions "
            "already read lower-case text; use (?i:...) around a part if you must"
        )
    if any(op in _GROUP_REFERENCES for op, _ in _walk(parsed)):
        return "please do not refer back to a group (\\1, (?P=name)): spell the words out"
    return None


def _walk(items: Iterable[tuple[object, object]]) -> Iterable[tuple[object, object]]:
    """Every (op, argument) in a parsed pattern, nested ones too."""
    for op, av in items:
        yield op, av
        for nested in _nested(op, av):
            yield from _walk(nested)


def _nested(op: object, av: object) -> list[list[tuple[object, object]]]:
    if op in _REPEATS:
        return [av[2]]  # type: ignore[index]
    if op == sre_constants.SUBPATTERN:
        return [av[3]]  # type: ignore[index]
    if op == sre_constants.BRANCH:
        return list(av[1])  # type: ignore[index]
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]  # type: ignore[index]
    if op == sre_constants.ATOMIC_GROUP:
        return [av]  # type: ignore[list-item]
    if op == sre_constants.GROUPREF_EXISTS:
        return [branch for branch in av[1:] if branch is not None]  # type: ignore[index]
    return []


_SLOW = (
    "this regular expression could take minutes on a long message, because a repeated part "
    "{}; rewrite it so each repeated part can match a piece of text in only one way"
)


def _slow(parsed: sre_parser.SubPattern) -> str | None:
    """Why a pattern could backtrack catastrophically (``(a+)+``, ``(a|a)*``), if it could."""
    for op, av in _walk(parsed):
        # "a word near another" repeats a few times at most ((?:\w+\s+){0,3}): such a
        # repeat can only cost a bounded power of the length, which the timed trial measures.
        if op not in _REPEATS or av[1] <= BOUNDED_REPEAT:  # type: ignore[index]
            continue
        body = list(_walk(av[2]))  # type: ignore[index]
        if any(inner in _REPEATS for inner, _ in body):
            return _SLOW.format("has another repeat or optional part inside it (like (a+)+)")
        for inner, inner_av in body:
            if inner == sre_constants.BRANCH and _overlap(inner_av[1]):  # type: ignore[index]
                return _SLOW.format("has choices that can start the same way (like (a|ab)*)")
    return None


def _overlap(alternatives: list[sre_parser.SubPattern]) -> bool:
    """Whether two of the alternatives can start with the same character (or with none)."""
    seen: set[str] = set()
    for alternative in alternatives:
        first = _first(list(alternative), alternative.state)
        if not first or first & seen:
            return True
        seen |= first
    return False


def _first(items: list[tuple[object, object]], state: sre_parser.State) -> set[str]:
    """The probe characters a parsed sequence can start with (all of them when unsure;
    none when it can match nothing at all)."""
    if not items:
        return set()
    op, av = items[0]
    if op == sre_constants.LITERAL:
        return {chr(av).lower()}  # type: ignore[arg-type]  # x and X overlap under (?i:...)
    if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return _first(items[1:], state)  # zero width: the next part starts the match
    if op == sre_constants.SUBPATTERN:
        return _first(list(av[3]), state) or _first(items[1:], state)  # type: ignore[index]
    if op == sre_constants.BRANCH:
        return set().union(*(_first(list(b), state) for b in av[1]))  # type: ignore[index]
    if op in (sre_constants.IN, sre_constants.ANY, sre_constants.NOT_LITERAL):
        one = sre_compiler.compile(sre_parser.SubPattern(state, [items[0]]))
        return {c for c in _PROBE_CHARACTERS if one.fullmatch(c)} | _beyond_probes(op, av)
    return set(_PROBE_CHARACTERS) | {_OTHER}


# Stands for every character outside the probe set that a part can start with: two parts that
# both can start with one of those are taken to overlap.
_OTHER = "<other>"


def _beyond_probes(op: object, av: object) -> set[str]:
    """What a one-character part can start with besides the probe characters it matched: its
    own literal characters (case folded, as (?i:...) reads them), and _OTHER for a range, a
    category (\\w, \\d, \\s), a negation or any character."""
    if op != sre_constants.IN:
        return {_OTHER}
    found: set[str] = set()
    for kind, value in av:  # type: ignore[attr-defined]
        found.add(chr(value).lower() if kind == sre_constants.LITERAL else _OTHER)
    return found


def _slow_on_trial(pattern: str) -> str | None:
    """Time the pattern (as the vocabulary runs it) on long texts built to make a
    backtracking pattern slow, growing them so a slow one is caught while it is still quick:
    why it is refused, if it is."""
    compiled = re.compile(_bounded(pattern, _ADD_BOUNDARY))
    units = [c for c in _PROBE_CHARACTERS] + ["ab ", "a1", "a-", "a'"]
    lengths = [4]
    while lengths[-1] < MAX_READ_CHARS:
        lengths.append(min(MAX_READ_CHARS, lengths[-1] * 5 // 4 + 2))
    for length in lengths:
        for unit in units:
            text = (unit * length)[:length] + "\u0000"
            if _took_too_long(compiled, text) and _took_too_long(compiled, text):
                return (
                    "this regular expression is too slow on some long messages (it tries very "
                    "many ways to match): simplify its repeated parts"
                )
    return None


def _took_too_long(compiled: re.Pattern[str], text: str) -> bool:
    """CPU time, not wall time: a busy machine must not make a good pattern look slow."""
    started = time.thread_time()
    compiled.search(text)
    return time.thread_time() - started > TRIAL_SECONDS


# The characters that may not touch an expression on either side: a rewrite counts "&" as part
# of a word, an addition does not (the timed trial runs a pattern as an addition).
_REPLACE_BOUNDARY = "a-z0-9&"
_ADD_BOUNDARY = "a-z0-9"


def _bounded(expression: str, boundary: str) -> str:
    """``expression`` matched only where no ``boundary`` character touches it."""
    return rf"(?<![{boundary}])(?:{expression})(?![{boundary}])"


def _compiled(entries: list[_Entry]) -> tuple[EverydayWords, list[tuple[int, str]]]:
    """The entries compiled, each entry's expressions joined into one; or what stops an
    entry's expressions working together, on the entry's heading line."""
    rewrites: list[tuple[re.Pattern[str], str]] = []
    additions: list[tuple[re.Pattern[str], str]] = []
    problems: list[tuple[int, str]] = []
    for entry in entries:
        joined = "|".join(entry.patterns)
        replace = entry.kind == _REPLACE
        try:
            pattern = re.compile(_bounded(joined, _REPLACE_BOUNDARY if replace else _ADD_BOUNDARY))
        except (re.error, RecursionError, OverflowError) as error:
            problems.append(
                (entry.line, f"'## {entry.words}': its expressions do not work together: {error}")
            )
            continue
        (rewrites if replace else additions).append((pattern, entry.words))
    if problems:
        return EverydayWords(), problems
    return EverydayWords(tuple(rewrites), tuple(additions), len(entries)), []


def read_everyday_words(folder: Path) -> tuple[EverydayWords, list[tuple[int, str]]]:
    """The vocabulary of the pack in ``folder`` (none if it has no :data:`VOCABULARY_FILE`),
    and what is wrong with it."""
    return read_pack_file(folder / VOCABULARY_FILE, parse_everyday_words, EverydayWords)
