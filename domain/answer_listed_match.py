"""Matching a new question against the questions a pack's sections list (the phrasings
people ask them in; :attr:`domain.content_pack.Section.questions`), by words and by meaning:
the listed-question half of :class:`domain.answer_index.AnswerIndex`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from domain.answer_ranking import listed_rows, listed_votes, top
from domain.hr_vocabulary import analyse

MIN_LISTED_TERMS = 2
# In a larger pack, listed questions are compared by meaning only for this many sections, the
# most relevant by their words and text (a first pass, then the listed questions re-rank).
LISTED_CANDIDATES = 256


class ListedQuestions:
    """The listed questions of a pack, stored section by section: their owners, terms (with
    their IDF totals, from the pack's BM25 index) and, with the encoder, embeddings."""

    def __init__(
        self,
        owners: Sequence[int],
        normalised: Sequence[str],
        sections: int,
        idf: dict[str, float],
        unknown_idf: float,
    ) -> None:
        self.owners = np.array(owners, dtype=np.int64)
        self.sections = sections
        self.vectors: np.ndarray | None = None
        self._idf, self._unknown_idf = idf, unknown_idf
        self.terms = [frozenset(analyse(q)) for q in normalised]
        self.idf_totals = np.array(
            [sum(idf.get(t, unknown_idf) for t in terms) for terms in self.terms], dtype=np.float32
        )
        self.sizes = np.array([len(terms) for terms in self.terms], dtype=np.int64)
        postings: dict[str, list[int]] = {}
        for number, terms in enumerate(self.terms):
            for term in terms:
                postings.setdefault(term, []).append(number)
        self._postings = {t: np.array(n, dtype=np.int64) for t, n in postings.items()}
        # Where each section's questions start, and how many it has.
        self._counts = np.bincount(self.owners, minlength=sections)
        self._firsts = np.cumsum(self._counts) - self._counts
        self._listing = np.flatnonzero(self._counts)
        self._listing_starts = self._firsts[self._listing]

    def rows(self, sections: np.ndarray) -> np.ndarray:
        """The rows of the listed questions of some sections."""
        return listed_rows(self._counts[sections], self._firsts[sections])

    def scores(
        self,
        terms: list[str],
        query: np.ndarray | None,
        relevance: np.ndarray | None = None,
        *,
        votes: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per section, how closely its best listed question matches this one (0-1): the
        IDF-weighted share of the two questions' terms they have in common, or the cosine;
        and, with ``votes``, its share of the listed questions' votes (else zero).

        In a pack of more than LISTED_CANDIDATES sections, only the listed questions of the
        sections most relevant so far (``relevance``) get a cosine: reading them all is where
        a large pack's time goes. In a smaller one all do, without copying the matrix."""
        match = np.zeros(self.sections, dtype=np.float32)
        voted = np.zeros(self.sections, dtype=np.float32)
        if not self.terms:
            return match, voted
        shared = np.zeros(len(self.terms), dtype=np.float32)
        for term in terms:
            listing = self._postings.get(term)
            if listing is not None:
                shared[listing] += self._idf.get(term, self._unknown_idf)
        asked = sum(self._idf.get(t, self._unknown_idf) for t in terms)
        # Squared, so a question sharing some words with a listed one ("employment deal" and
        # "what is my side of the employment deal") stays well below a real paraphrase.
        overlap = (shared / np.maximum(asked + self.idf_totals - shared, 1e-6)) ** 2
        # A listed question that boils down to one term ("what should I do before my
        # appraisal?" is just "appraisal") says nothing by its words; its meaning still counts.
        overlap = np.where(self.sizes >= MIN_LISTED_TERMS, overlap, 0.0)
        if query is not None and (vectors := self.vectors) is not None:
            owners = self.owners
            if relevance is None or self.sections <= LISTED_CANDIDATES:
                cosines = vectors @ query
                overlap = np.maximum(overlap, cosines)
            else:
                rows = self.rows(np.array(top(relevance, LISTED_CANDIDATES)))
                cosines, owners = vectors[rows] @ query, owners[rows]
                overlap[rows] = np.maximum(overlap[rows], cosines)
            if votes:
                voted = listed_votes(owners, cosines, self.sections)
        # Listed questions are stored section by section: each section's best in one pass.
        match[self._listing] = np.maximum.reduceat(overlap, self._listing_starts)
        return match, voted
