"""Measuring the answers against the evaluation set in the repo (``bench/qa_eval.json``).

The set lists realistic questions with the section that should answer them (``expected``,
plus any ``also_ok``) and out-of-scope questions that should get "not sure". The same code
serves the acceptance test and ``bench/qa.py``.
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from domain.answer_index import AnswerIndex
from domain.content_pack import ContentPack, Section, Topic

EVAL_FILE = Path(__file__).parents[1] / "bench" / "qa_eval.json"


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    audience: str
    expected: tuple[str, ...] = ()  # the expected section first, then any also_ok


@dataclass(frozen=True)
class EvalSet:
    questions: tuple[EvalQuestion, ...]
    out_of_scope: tuple[EvalQuestion, ...]

    @classmethod
    def load(cls, path: Path = EVAL_FILE) -> EvalSet:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            questions=tuple(
                EvalQuestion(q["question"], q["audience"], (q["expected"], *q.get("also_ok", ())))
                for q in data["questions"]
            ),
            out_of_scope=tuple(
                EvalQuestion(q["question"], q["audience"]) for q in data["out_of_scope"]
            ),
        )


@dataclass
class EvalResult:
    top1: float
    top3: float
    rejection: float
    misses: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


def evaluate(index: AnswerIndex, evals: EvalSet) -> EvalResult:
    """Top-1 counts only an answer given (above the threshold) that is an accepted section;
    top-3 counts an accepted section among the first three ranked, answered or not."""
    top1 = top3 = rejected = 0
    misses: list[str] = []
    latencies: list[float] = []
    for q in evals.questions:
        started = time.perf_counter()
        hits = index.search(q.question, q.audience, k=3)
        latencies.append((time.perf_counter() - started) * 1000)
        answered = bool(hits) and hits[0].answers(index.threshold)
        if answered and hits[0].section.id in q.expected:
            top1 += 1
        else:
            got = f"{hits[0].section.id} ({hits[0].confidence:.2f})" if hits else "nothing"
            misses.append(
                f"[{q.audience}] {q.question!r}: expected {q.expected[0]}, got {got}"
                + ("" if answered else " below threshold")
            )
        if any(h.section.id in q.expected for h in hits[:3]):
            top3 += 1
    for q in evals.out_of_scope:
        started = time.perf_counter()
        hits = index.search(q.question, q.audience, k=3)
        latencies.append((time.perf_counter() - started) * 1000)
        if not hits or not hits[0].answers(index.threshold):
            rejected += 1
        else:
            misses.append(
                f"[{q.audience}] out of scope {q.question!r} answered with "
                f"{hits[0].section.id} ({hits[0].confidence:.2f})"
            )
    n = max(1, len(evals.questions))
    return EvalResult(
        top1=top1 / n,
        top3=top3 / n,
        rejection=rejected / max(1, len(evals.out_of_scope)),
        misses=misses,
        latencies_ms=latencies,
    )


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def grow_pack(pack: ContentPack, factor: int, seed: int = 7) -> ContentPack:
    """The pack plus ``factor - 1`` synthetic copies of every topic: new ids and titles,
    bodies recombined from sentences across the pack, so the vocabulary and the index really
    grow while the original sections stay where they were. Deterministic for a seed."""
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
    return ContentPack(pack.folder, tuple(topics))
