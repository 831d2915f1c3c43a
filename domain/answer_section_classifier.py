"""Which section a question's meaning points to, learned from the pack's own phrasings.

Matching a question against each listed phrasing (:mod:`domain.answer_listed_match`) asks
"which one phrasing is nearest?". Sibling sections (when to hold a return-to-work
conversation and what to cover in it; spotting under-performance early and moving to the
formal procedure) have phrasings that are near each other, so the nearest one is often a
sibling's. A classifier fitted on all of a section's phrasings at once learns what they have
in common that its siblings' do not: the directions of meaning that tell the sections apart.

It is a ridge regression from the encoder's embedding to the section (one column per
section, the target 1 for the section a phrasing belongs to): a closed-form fit of a few
milliseconds, refitted whenever the pack is indexed, so a phrasing HR adds teaches it too.
Each section's rows weigh as much in total as any other's, so a section with fifty phrasings
does not pull every question towards it. Its examples are each section's listed questions and
its opening (:func:`domain.answer_text.embedding_text`), which also gives a section with no
listed questions a column.

On the tuning sets with the phrasings that paraphrase their questions removed
(services.qa_evaluation.without_paraphrases, 0.75), adding the classifier's score to the
relevance of sections for a longer question (:data:`domain.answer_index.CLASSIFIER_WEIGHT`)
raised top-1 from 85.7 to 87.9 % (mean of the six); on two sets written from the seed papers
before any tuning (bench/qa_tuning_blind_a.json, _b.json), from 78.0 to 79.5 %. For every
question, short ones too, it gave 87.8 and 79.1 %: short questions lost as many as they won.
"""

from __future__ import annotations

import numpy as np

# Ridge regularisation (the examples weigh one each on average). From 0.3 to 3, the tuning
# sets' top-1 moved by under half a point.
RIDGE = 1.0


class SectionClassifier:
    """Per section, a score (about 0-1) for how much a question's meaning points to it."""

    def __init__(self, vectors: np.ndarray, owners: np.ndarray, sections: int) -> None:
        """Fit on ``vectors`` (one example per row, unit length), ``owners[i]`` the section
        row ``i`` is an example of."""
        if len(vectors) != len(owners):
            raise ValueError("one owner per example")
        dimensions = vectors.shape[1] if vectors.ndim == 2 else 0
        self._weights = np.zeros((dimensions, sections), dtype=np.float32)
        if not len(vectors) or not sections:
            return
        x = vectors.astype(np.float64)
        counts = np.bincount(owners, minlength=sections)
        # Every section's examples weigh one section's share in total.
        weight = (len(owners) / sections) / counts[owners]
        weighted = x * weight[:, None]
        gram = x.T @ weighted + RIDGE * np.eye(dimensions)
        # x.T @ (weight * one-hot): each section's weighted examples summed, without building
        # the examples x sections matrix (large for a large pack).
        targets = np.zeros((sections, dimensions))
        np.add.at(targets, owners, weighted)
        self._weights = np.linalg.solve(gram, targets.T).astype(np.float32)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Per section, the fitted score of a question's embedding, clipped to 0-1."""
        fitted: np.ndarray = np.clip(query @ self._weights, 0.0, 1.0)
        return fitted
