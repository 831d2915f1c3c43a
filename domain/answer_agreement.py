"""Confidence from the rankers agreeing: when a long question's best section is first by its
words and first by its meaning, it answers even though its confidence falls short.

A section's confidence (:mod:`domain.answer_index`) is the share of the question it covers,
by words or by meaning. A situation told in a sentence or two ("my team leader keeps missing
her monthly returns") says much that no section does, so even the section that answers it
covers little of it: 0.09 for that one, although it ranks first. Coverage measures the wrong
thing for a story; what tells that the pack answers it is that rankers reading different
evidence pick the same section. When the best section is first by BM25 (the words) and
first by the meaning of its opening or of its listed questions, and the runner-up is not
all but level with it, it answers with the threshold's confidence.

What it does not do: a question the subject rule or HR's other services' list has taken
elsewhere has confidence zero and stays refused (they are applied after the agreement), and
a short question, which names what it asks about, keeps its coverage (a near miss such as
"did Leicester City win last night" ranks a section first by its words alone).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# A question of this many words or more tells a situation rather than naming a subject.
AGREEMENT_WORDS = 8
# How far (a share of the best's relevance) the best must lead the runner-up.
AGREEMENT_MARGIN = 0.1


def agreeing_confidence(
    question: str,
    confidence: np.ndarray,
    relevance: np.ndarray,
    words: np.ndarray,
    meanings: Sequence[np.ndarray],
    threshold: float,
) -> np.ndarray:
    """Per section, its confidence for a question (as the rankers read it), the best-ranked
    (by ``relevance``) raised to ``threshold`` when the question has AGREEMENT_WORDS or more,
    the section is also first by its ``words`` (BM25) and first by one of the ``meanings``
    (cosines), leads the runner-up by AGREEMENT_MARGIN of its relevance, and has some
    confidence."""
    if len(question.split()) < AGREEMENT_WORDS or relevance.size < 2:
        return confidence
    runner_up, best = (int(i) for i in np.argpartition(relevance, -2)[-2:])
    if relevance[runner_up] > relevance[best]:
        runner_up, best = best, runner_up
    lead = float(relevance[best] - relevance[runner_up])
    if not (0.0 < confidence[best] < threshold) or lead < AGREEMENT_MARGIN * relevance[best]:
        return confidence
    if int(np.argmax(words)) != best:
        return confidence
    if not any(int(np.argmax(m)) == best and m[best] > 0 for m in meanings):
        return confidence
    # In double precision: float32 would hold the threshold as a hair below it.
    agreed = confidence.astype(np.float64)
    agreed[best] = threshold
    return agreed
