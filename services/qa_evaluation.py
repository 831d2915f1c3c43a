"""Measuring the answers against a question set (``bench/qa_eval.json`` and files like it).

A set lists realistic questions with the section that should answer them (``expected``, plus
any ``also_ok``; ``expected_2`` for the second half of a two-part question) and out-of-scope
questions that should get "not sure". Questions may say what ``kind`` they are (short,
chatty, typo, scenario), and the results are then given per kind as well.

Each question goes through the same lookup a person's question does
(:func:`services.answers.answer_question`), so `charter content eval`, ``bench/qa.py`` and the
acceptance test measure what people get.
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from domain.answer_index import AnswerIndex
from domain.content_pack import ContentPack, Section, Topic
from services.answers import answer_question

EVAL_FILE = Path(__file__).parents[1] / "bench" / "qa_eval.json"
ALL_KINDS = "all"
NO_KIND = "(no kind)"
AUDIENCES = ("manager", "staff")


class EvalSetError(ValueError):
    """The question set file is not in the expected shape; the message says where."""


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    audience: str
    expected: tuple[str, ...] = ()  # the expected section first, then any also_ok
    kind: str = NO_KIND
    expected_2: str | None = None  # the second half of a two-part question


@dataclass(frozen=True)
class EvalSet:
    questions: tuple[EvalQuestion, ...]
    out_of_scope: tuple[EvalQuestion, ...]

    @classmethod
    def load(cls, path: Path = EVAL_FILE) -> EvalSet:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise EvalSetError(f"{path}: cannot read it ({error.strerror})") from error
        except json.JSONDecodeError as error:
            raise EvalSetError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from error
        if not isinstance(data, dict) or not isinstance(data.get("questions", []), list):
            raise EvalSetError(f'{path}: expected {{"questions": [...], "out_of_scope": [...]}}')
        return cls(
            questions=tuple(
                _question(path, "questions", n, q, in_scope=True)
                for n, q in enumerate(data.get("questions", []), 1)
            ),
            out_of_scope=tuple(
                _question(path, "out_of_scope", n, q, in_scope=False)
                for n, q in enumerate(data.get("out_of_scope", []), 1)
            ),
        )

    def unknown_sections(self, pack: ContentPack) -> list[str]:
        """Expected section ids the pack does not have (a renamed heading, a typo)."""
        wanted = [s for q in self.questions for s in (*q.expected, q.expected_2) if s]
        return sorted({s for s in wanted if pack.section(s) is None})


def _question(path: Path, part: str, number: int, raw: object, *, in_scope: bool) -> EvalQuestion:
    where = f"{path}: {part} #{number}"
    if not isinstance(raw, dict):
        raise EvalSetError(f"{where}: each entry must be an object")
    text, audience = raw.get("question"), raw.get("audience")
    if not isinstance(text, str) or not text.strip():
        raise EvalSetError(f"{where}: 'question' must be text")
    if audience not in AUDIENCES:
        raise EvalSetError(f"{where}: 'audience' must be manager or staff")
    kind = raw.get("kind") or NO_KIND
    if not in_scope:
        return EvalQuestion(text, audience, (), str(kind))
    expected, also_ok = raw.get("expected"), raw.get("also_ok", [])
    if not isinstance(expected, str) or not expected:
        raise EvalSetError(f"{where}: 'expected' must be a section id like topic#section")
    if not isinstance(also_ok, list) or not all(isinstance(s, str) for s in also_ok):
        raise EvalSetError(f"{where}: 'also_ok' must be a list of section ids")
    second = raw.get("expected_2")
    if second is not None and not isinstance(second, str):
        raise EvalSetError(f"{where}: 'expected_2' must be a section id")
    return EvalQuestion(text, audience, (expected, *also_ok), str(kind), second)


@dataclass
class KindResult:
    """How one kind of question (or all of them) fared."""

    questions: int = 0
    top1_hits: int = 0
    top3_hits: int = 0
    refused_in_scope: int = 0
    out_of_scope: int = 0
    rejected: int = 0

    @property
    def top1(self) -> float:
        return self.top1_hits / max(1, self.questions)

    @property
    def top3(self) -> float:
        return self.top3_hits / max(1, self.questions)

    @property
    def refusal(self) -> float:
        """Share of in-scope questions answered "not sure"."""
        return self.refused_in_scope / max(1, self.questions)

    @property
    def rejection(self) -> float:
        """Share of out-of-scope questions answered "not sure"."""
        return self.rejected / max(1, self.out_of_scope)


@dataclass
class EvalResult:
    by_kind: dict[str, KindResult] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def overall(self) -> KindResult:
        return self.by_kind.get(ALL_KINDS, KindResult())

    @property
    def top1(self) -> float:
        return self.overall.top1

    @property
    def top3(self) -> float:
        return self.overall.top3

    @property
    def rejection(self) -> float:
        return self.overall.rejection

    def _tally(self, kind: str) -> list[KindResult]:
        return [self.by_kind.setdefault(k, KindResult()) for k in (ALL_KINDS, kind)]


def evaluate(index: AnswerIndex, evals: EvalSet) -> EvalResult:
    """Ask every question as a person would. Top-1 counts an answer given (not "not sure")
    whose passage is an accepted section (and, for a two-part question, whose passages include
    the second part too); top-3 counts an accepted section among the first three ranked,
    answered or not."""
    result = EvalResult()
    for q in evals.questions:
        started = time.perf_counter()
        answer, hits = answer_question(index, q.question, q.audience)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        given = answer.passages if answer.answered else []
        first_ok = bool(given) and given[0].section_id in q.expected
        second_ok = q.expected_2 is None or any(p.section_id == q.expected_2 for p in given)
        in_top3 = any(h.section.id in q.expected for h in hits[:3])
        for tally in result._tally(q.kind):
            tally.questions += 1
            tally.top1_hits += first_ok and second_ok
            tally.top3_hits += in_top3
            tally.refused_in_scope += not answer.answered
        if not (first_ok and second_ok):
            got = " + ".join(p.section_id for p in given) or (
                f"not sure (nearest {hits[0].section.id})" if hits else "not sure (nothing)"
            )
            wanted = q.expected[0] + (f" + {q.expected_2}" if q.expected_2 else "")
            result.misses.append(
                f"[{q.kind}, {q.audience}] {q.question!r}: expected {wanted}, got {got} "
                f"({answer.score:.2f})"
            )
    for q in evals.out_of_scope:
        started = time.perf_counter()
        answer, _hits = answer_question(index, q.question, q.audience)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        for tally in result._tally(q.kind if q.kind != NO_KIND else NO_KIND):
            tally.out_of_scope += 1
            tally.rejected += not answer.answered
        if answer.answered and answer.best is not None:
            result.misses.append(
                f"[out of scope, {q.audience}] {q.question!r} answered with "
                f"{answer.best.section_id} ({answer.score:.2f})"
            )
    return result


def format_result(result: EvalResult) -> str:
    """The per-kind table `charter content eval` and bench/qa.py print."""
    lines = [f"{'kind':<12}{'asked':>6}{'top-1':>8}{'top-3':>8}{'refused':>9}{'out of scope':>16}"]
    order = sorted(result.by_kind, key=lambda k: (k == ALL_KINDS, k == NO_KIND, k))
    for kind in order:
        r = result.by_kind[kind]
        if r.questions:
            scores = f"{r.top1:>8.1%}{r.top3:>8.1%}{r.refusal:>9.1%}"
        else:
            scores = f"{'':>8}{'':>8}{'':>9}"
        rejected = f"{r.rejected}/{r.out_of_scope} refused" if r.out_of_scope else ""
        lines.append(f"{kind:<12}{r.questions:>6}{scores}{rejected:>16}")
    return "\n".join(lines)


def without_paraphrases(index: AnswerIndex, evals: EvalSet, similarity: float) -> ContentPack:
    """The index's pack without the listed questions that paraphrase a question of the set
    (the encoder's cosine between them at least ``similarity``): how the pack meets wording
    nobody wrote a listed question for. A set tuned on gets listed questions written for its
    misses, so on the pack as it is it measures the phrasings HR added as much as the engine;
    the held-out sets show the difference (their wording is unseen). Without the encoder (what
    tells a paraphrase) or listed questions, the pack as it is."""
    listed = index.listed_vectors()
    if listed is None or not evals.questions:
        return index.pack
    vectors = [index.question_vector(q.question) for q in evals.questions]
    asked = np.stack([v for v in vectors if v is not None])
    paraphrases = iter((listed @ asked.T).max(axis=1) >= similarity)
    topics = []
    for topic in index.pack.topics:
        sections = []
        for section in topic.sections:
            kept = tuple(q for q in section.questions if not next(paraphrases))
            sections.append(replace(section, questions=kept))
        topics.append(replace(topic, sections=tuple(sections)))
    return replace(index.pack, topics=tuple(topics))


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def grow_pack(pack: ContentPack, factor: int, seed: int = 7) -> ContentPack:
    """The pack plus ``factor - 1`` synthetic copies of every topic: new ids and titles,
    bodies recombined from sentences across the pack, so the vocabulary and the index really
    grow while the original sections stay where they were; the pack's everyday vocabulary and
    other services' list as they are. Deterministic for a seed."""
    rng = random.Random(seed)
    sentences = [s for section in pack.sections for s in _SENTENCE.split(section.body) if s]
    title_words = sorted({w for s in pack.sections for w in s.title.split()})
    topics: list[Topic] = list(pack.topics)
    for copy in range(1, factor):
        for topic in pack.topics:
            topic_id = f"{topic.id}-synthetic-{copy}"
            title = f"{topic.title} ({' '.join(rng.sample(title_words, 2))} {copy})"
            sections = tuple(
                Section(
                    id=f"{topic_id}#{section.slug}-{copy}",
                    slug=f"{section.slug}-{copy}",
                    title=" ".join(rng.sample(title_words, min(5, len(title_words)))),
                    topic_id=topic_id,
                    topic_title=title,
                    audience=section.audience,
                    tags=tuple(rng.sample(title_words, 2)),
                    source=section.source,
                    version=section.version,
                    owner=section.owner,
                    sample=True,
                    body=" ".join(rng.choice(sentences) for _ in range(6)),
                    path=section.path,
                    line=section.line,
                    # As many listed questions as the original, made of pack words, so the
                    # listed-question matching grows with the pack too.
                    questions=tuple(
                        " ".join(rng.sample(title_words, min(6, len(title_words))))
                        for _ in section.questions
                    ),
                )
                for section in topic.sections
            )
            topics.append(
                Topic(
                    id=topic_id,
                    title=title,
                    audience=topic.audience,
                    tags=topic.tags,
                    source=topic.source,
                    version=topic.version,
                    owner=topic.owner,
                    sample=True,
                    path=topic.path,
                    sections=sections,
                )
            )
    # The vocabulary and the other services' list are HR's, not the topics': carried as they
    # are, so a large pack's lookups pay for them too.
    return ContentPack(
        pack.folder, tuple(topics), everyday=pack.everyday, other_services=pack.other_services
    )
