"""The features the answer index combines into a section's relevance, per question and
candidate section, and a softmax linear ranker over them: the continuous half of
``bench/qa_fit.py --ranker``.

A section's relevance (:meth:`domain.answer_index.AnswerIndex.search`) is linear in six
features, each already computed for every question:

    relevance = BM25_SHARE * bm25 + (1 - BM25_SHARE) * cosine + COVERAGE_WEIGHT * coverage**2
                + QUESTION_WEIGHT * listed + VOTE_WEIGHT * votes + DEFINITION_BONUS * defines

times the audience weight ("cosine" is the similarity ranking reads: for a longer question,
the mean of a section's opening's and closest passage's). So fitting a linear ranker over
these features and dividing by the first two weights' sum gives new values for the existing
constants, and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain import answer_index
from domain.answer_index import AnswerIndex, listed_calibration
from domain.answer_text import STORY_WORDS, asks_what_it_is
from domain.hr_vocabulary import analyse
from services.answers import answer_question, clean_question
from services.qa_evaluation import EvalSet

FEATURES = ("bm25", "cosine", "coverage2", "listed", "votes", "defines")
CANDIDATES = 8
# How far an asker's own version of a section is lifted when one of them answers (the index
# puts them all above the other audience's).
PREFERRED_LIFT = 100.0


@dataclass(frozen=True)
class Candidates:
    features: np.ndarray  # (candidates, FEATURES), before the audience weight
    weights: np.ndarray  # audience weight per candidate
    lift: np.ndarray  # PREFERRED_LIFT for the asker's own version when one answers, else 0
    correct: np.ndarray  # bool per candidate


def section_features(index: AnswerIndex, question: str) -> np.ndarray:
    """Per section, the six features of :data:`FEATURES` for a question (as search sees it)."""
    plain, normalised = index.pack.everyday.read(question, index.vocabulary.normalise)
    in_order = analyse(normalised)
    terms = list(dict.fromkeys(in_order))
    scores = index._word_scores(terms, in_order)
    query = index._meaning_vector(normalised)
    peak = float(scores.bm25.max())
    bm25 = scores.bm25 / peak if peak > 0 else scores.bm25
    cosine = np.zeros_like(bm25)
    if query is not None and index._vectors is not None:
        passages = len(plain.split()) >= answer_index.PASSAGE_QUESTION_WORDS
        cosine = np.maximum(index.similarities(query, bm25, passages)[1], 0.0)
    votes = answer_index.VOTE_WORDS <= len(plain.split()) < STORY_WORDS
    listed, voted = index._listed.scores(terms, query, None, votes=votes)
    base, _floor = listed_calibration(plain)
    listed = np.clip((listed - base) / (1 - base), 0.0, 1.0)
    defines = index._definitions * float(asks_what_it_is(plain, terms))
    return np.stack([bm25, cosine, scores.covered**2, listed, voted, defines], axis=1)


def question_candidates(index: AnswerIndex, evals: EvalSet) -> list[Candidates]:
    """For each in-scope question whose accepted section the index ranks in its first
    CANDIDATES, those candidates' features (a question it never ranks teaches nothing).
    The sections are the ones the real lookup ranks (two-part questions' embeddings as it
    makes them)."""
    out = []
    position = {s.id: i for i, s in enumerate(index.sections)}
    for q in evals.questions:
        text = clean_question(q.question)
        hits = answer_question(index, q.question, q.audience)[1][:CANDIDATES]
        rows = [position[h.section.id] for h in hits]
        correct = np.array([h.section.id in q.expected for h in hits], dtype=bool)
        if not correct.any() or len(rows) < 2:
            continue
        features = section_features(index, text)[rows]
        weights = index._weights[q.audience][rows]
        preferred = index._preferred[q.audience][rows]
        answering = [h.answers(index.threshold) for h in hits]
        lifted = q.audience == "manager" and any(
            p and a for p, a in zip(preferred, answering, strict=True)
        )
        lift = np.where(preferred & lifted, PREFERRED_LIFT, 0.0)
        out.append(Candidates(features, weights, lift, correct))
    return out


def current_weights() -> np.ndarray:
    """The shipped constants as weights over :data:`FEATURES`."""
    share = answer_index.BM25_SHARE
    return np.array(
        [
            share,
            1 - share,
            answer_index.COVERAGE_WEIGHT,
            answer_index.QUESTION_WEIGHT,
            answer_index.VOTE_WEIGHT,
            answer_index.DEFINITION_BONUS,
        ]
    )


def _loss(weights: np.ndarray, data: list[Candidates]) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy of the accepted sections, and its gradient."""
    total, grad = 0.0, np.zeros_like(weights)
    for c in data:
        x = c.features * c.weights[:, None]
        s = x @ weights + c.lift
        p = np.exp(s - s.max())
        p /= p.sum()
        good = p * c.correct
        mass = max(float(good.sum()), 1e-12)
        total -= np.log(mass)
        grad -= (good / mass) @ x - p @ x
    return total / len(data), grad / len(data)


def fit_weights(data: list[Candidates], strength: float, steps: int = 400) -> np.ndarray:
    """Weights over FEATURES fitted by softmax cross-entropy, pulled towards the shipped ones
    (at the scale that fits best) by an L2 penalty of ``strength``; non-negative."""
    prior = current_weights()
    scales = np.geomspace(1, 200, 40)
    scale = min(scales, key=lambda k: _loss(prior * k, data)[0])
    anchor = prior * scale
    weights = anchor.copy()
    rate, first, second = 0.01 * scale, np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, steps + 1):  # Adam, projected onto non-negative weights
        _, grad = _loss(weights, data)
        grad = grad + 2 * strength * (weights - anchor) / scale**2
        first = 0.9 * first + 0.1 * grad
        second = 0.999 * second + 0.001 * grad**2
        move = (first / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
        weights = np.maximum(weights - rate * move, 0.0)
    fitted: np.ndarray = weights / max(float(weights[0] + weights[1]), 1e-9)
    return fitted


def as_constants(weights: np.ndarray) -> dict[str, float]:
    """Fitted weights (normalised so the first two sum to 1) as the index's constants."""
    return {
        "BM25_SHARE": float(weights[0]),
        "COVERAGE_WEIGHT": float(weights[2]),
        "QUESTION_WEIGHT": float(weights[3]),
        "VOTE_WEIGHT": float(weights[4]),
        "DEFINITION_BONUS": float(weights[5]),
    }
