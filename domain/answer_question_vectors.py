"""The questions' embeddings for :class:`domain.answer_index.AnswerIndex`: each normalised
question is embedded once (the most recent :data:`QUERY_CACHE_SIZE` are remembered), several
in one pass where that pays, and a two-part question's whole from its halves."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import suppress

import numpy as np

from domain.answer_everyday import SEPARATOR
from domain.sentence_encoder import SentenceEncoder

QUERY_CACHE_SIZE = 2048


class QuestionVectors:
    """Questions' embeddings by their normalised text, through one encoder.

    ``normalise`` is the index's reading of a question (what every ranker reads) and
    ``encoder_text`` what the encoder is given for a normalised question."""

    def __init__(
        self,
        encoder: SentenceEncoder,
        normalise: Callable[[str], str],
        encoder_text: Callable[[str], str],
    ) -> None:
        self.encoder = encoder
        self._normalise = normalise
        self._encoder_text = encoder_text
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def with_encoder(self, encoder: SentenceEncoder) -> QuestionVectors:
        """The same readings through another encoder, with nothing remembered."""
        return QuestionVectors(encoder, self._normalise, self._encoder_text)

    def of(self, normalised: str) -> np.ndarray:
        """The question's embedding; the same normalised question is embedded once."""
        cached = self._vectors.get(normalised)
        if cached is not None:
            # Lookups run in worker threads: another may have just forgotten it (harmless).
            with suppress(KeyError):
                self._vectors.move_to_end(normalised)
            return cached
        vector: np.ndarray = self.encoder.encode_questions([self._encoder_text(normalised)])[0]
        self._remember(normalised, vector)
        return vector

    def ahead(self, questions: Sequence[str]) -> None:
        """Embed several questions in one batch, so the searches that follow find them
        cached: one pass through the encoder, not one each."""
        missing = list(
            dict.fromkeys(
                n for n in (self._normalise(q) for q in questions) if n not in self._vectors
            )
        )
        if missing:
            vectors = self.encoder.encode_questions([self._encoder_text(n) for n in missing])
            for normalised, vector in zip(missing, vectors, strict=True):
                self._remember(normalised, vector)

    def two_part(self, whole: str, parts: Sequence[str]) -> None:
        """Embed a two-part question's halves, and take the whole question's meaning as
        theirs together (their mean, weighted by length) rather than embedding it too: the
        halves are the whole in two pieces, so this costs one pass over the words instead
        of two (a batch of the whole and its halves is padded to the whole's length, three
        times the work). A whole read with the framework's words added is embedded itself,
        and its halves only when the answer reads them (services.answers.answer_question)."""
        normalised = self._normalise(whole)
        if normalised in self._vectors:
            return
        if SEPARATOR in normalised:
            self.ahead([whole])
            return
        self.ahead(parts)
        halves = [self._normalise(p) for p in parts]
        vectors = [self._vectors.get(h) for h in halves]
        if any(v is None for v in vectors):
            self.ahead([whole])
            return
        combined: np.ndarray | None = None
        for half, vector in zip(halves, vectors, strict=True):
            if vector is not None:
                weighted = len(half.split()) * vector
                combined = weighted if combined is None else combined + weighted
        if combined is not None:
            self._remember(normalised, combined / max(float(np.linalg.norm(combined)), 1e-12))

    def forget(self) -> None:
        self._vectors.clear()

    def _remember(self, normalised: str, vector: np.ndarray) -> None:
        self._vectors[normalised] = vector
        if len(self._vectors) > QUERY_CACHE_SIZE:
            self._vectors.popitem(last=False)
