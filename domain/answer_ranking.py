"""BM25 over a pack's sections, and picking the best scores: the small numeric helpers of
:mod:`domain.answer_index`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import bm25s

# BM25 parameters: Lucene's defaults.
BM25_K1 = 1.2
BM25_B = 0.75


def retriever(corpus: list[list[str]]) -> bm25s.BM25:
    import bm25s  # imported here: it takes a moment, and only a pack needs it

    retriever = bm25s.BM25(k1=BM25_K1, b=BM25_B, method="lucene")
    retriever.index(corpus, show_progress=False)
    return retriever


def bm25_idf(document_frequency: int, documents: int) -> float:
    """Lucene's BM25 IDF, the same weighting the ranking uses."""
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def top(scores: np.ndarray, k: int) -> list[int]:
    if k <= 0 or scores.size == 0:
        return []
    part = np.argpartition(-scores, k - 1)[:k] if scores.size > k else np.arange(scores.size)
    return [int(i) for i in part[np.argsort(-scores[part], kind="stable")]]


# How sharply a listed question's vote falls with its cosine to the question asked.
VOTE_TEMPERATURE = 0.03


def listed_votes(owners: np.ndarray, cosines: np.ndarray, sections: int) -> np.ndarray:
    """Per section, its share of the listed questions' votes: each listed question votes for
    the section it belongs to (``owners``) with weight exp(cosine / VOTE_TEMPERATURE), shared
    out so all the votes sum to 1. A section with several phrasings near a situation someone
    describes beats one whose single phrasing happens to share its opening words. Fitted on
    bench/qa_eval.json and checked on bench/qa_tuning_seeds.json."""
    voted = np.zeros(sections, dtype=np.float32)
    if cosines.size == 0:
        return voted
    np.add.at(voted, owners, np.exp((cosines - float(cosines.max())) / VOTE_TEMPERATURE))
    total = float(voted.sum())
    return voted / total if total > 0 else voted


def listed_rows(counts: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """The rows of listed questions stored section by section, for sections with ``counts``
    questions each, starting at ``firsts``."""
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    rows: np.ndarray = np.repeat(firsts, counts) + offsets
    return rows
