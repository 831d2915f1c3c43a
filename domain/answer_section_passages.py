"""A section's meaning read from all of its text, not only its opening.

The encoder reads at most a few dozen words well, so a section's own embedding
(:func:`domain.answer_text.embedding_text`) is its titles, tags and opening words. Sibling
sections (the APR and what happens after it, how often to hold one-to-ones and what to cover
in them) share their topic's title and tags and often open alike; what tells them apart is
further down, where a long question's situation is described ("someone coming back after an
operation", "objectives that no longer fit after a restructure"). So each section's body is
also embedded in passages of whole sentences (:func:`domain.answer_text.passage_texts`), and
a section's similarity for ranking is the mean of its opening's and its closest passage's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from domain.answer_ranking import listed_rows, top

# In a larger pack, passages are read only for this many sections, the most relevant by their
# opening and words (as listed questions are: see domain.answer_index.LISTED_CANDIDATES).
PASSAGE_CANDIDATES = 256
# How much of a section's similarity for ranking comes from its closest passage.
PASSAGE_SHARE = 0.5


class SectionPassages:
    """Per section, the embeddings of its passages, stored section by section."""

    def __init__(self, vectors: np.ndarray, counts: Sequence[int]) -> None:
        self._vectors = vectors
        self._counts = np.asarray(counts, dtype=np.int64)
        self._firsts = np.cumsum(self._counts) - self._counts
        if (self._counts < 1).any() or int(self._counts.sum()) != len(vectors):
            raise ValueError("every section needs at least one passage, and a vector for each")

    def ranking_similarity(
        self, query: np.ndarray, opening: np.ndarray, relevance: np.ndarray
    ) -> np.ndarray:
        """Per section, the similarity its ranking reads: its opening's (``opening``) and its
        closest passage's, PASSAGE_SHARE of the latter. In a pack of more than
        PASSAGE_CANDIDATES sections, only the most relevant so far (``relevance``) have their
        passages read; the others keep their opening's similarity."""
        if len(self._counts) <= PASSAGE_CANDIDATES:
            closest = np.maximum.reduceat(self._vectors @ query, self._firsts)
            everyone: np.ndarray = opening + PASSAGE_SHARE * (closest - opening)
            return everyone
        sections = np.sort(np.array(top(relevance, PASSAGE_CANDIDATES), dtype=np.int64))
        counts = self._counts[sections]
        rows = listed_rows(counts, self._firsts[sections])
        closest = np.maximum.reduceat(self._vectors[rows] @ query, np.cumsum(counts) - counts)
        blended = opening.copy()
        blended[sections] = opening[sections] + PASSAGE_SHARE * (closest - opening[sections])
        return blended
