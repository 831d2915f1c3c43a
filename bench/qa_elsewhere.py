"""Does the pack's ``_other_services.md`` send framework questions to another service? Asked of
the framework's own listed questions as wording nobody tuned for: in folds, each fold's listed
questions are asked of the pack without the listed questions that paraphrase them (cosine at
least --similarity, as ``bench/qa_fit.py --unseen``), and every one that the answer sends to
another service is printed with the service's listed question nearest to it.

    .venv/bin/python bench/qa_elsewhere.py [--pack before=DIR --pack after=DIR] [--folds 5]

Each --pack is label=folder (default: the shipped pack); packs are measured one after another
in one run on the same folds, so a list before and after a change compare directly. The
tuning sets measure the list on the questions it was written around; this measures it on two
thousand framework questions that none of the list's entries was written against (a question
of the framework's own sent elsewhere is an entry to remove or reword). Only the pack is read.

Result on h16else (the list grown from 332 to 947 questions): 14 of 2058 sent elsewhere before
and after (the same entries: grades and increments, resigning, unions, sick pay); the grown
list sent 27 before the new entries that did (or came near) were taken out.
Five older entries that did were then taken out (resigning, a new starter's IT account, a
timesheet's signature, pay and the APR): 9 of 2058.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from content import PACK_DIR
from domain.answer_index import AnswerIndex
from domain.content_pack import ContentPack, read_pack
from domain.sentence_encoder import SentenceEncoder, load_encoder
from services.answers import answer_question
from services.qa_evaluation import EvalQuestion, EvalSet, without_paraphrases

SEED = 3


def listed_questions(pack: ContentPack) -> list[EvalQuestion]:
    """Every framework listed question, asked by the audience its topic is written for."""
    return [
        EvalQuestion(q, "staff" if topic.audience == "staff" else "manager", (section.id,))
        for topic in pack.topics
        for section in topic.sections
        for q in section.questions
    ]


def sent_elsewhere(
    folder: Path, encoder: SentenceEncoder, folds: int, similarity: float
) -> tuple[int, list[tuple[EvalQuestion, str, str]]]:
    """How many listed questions were asked, and each one sent elsewhere with the service and
    that service's listed question nearest to it."""
    pack = read_pack(folder)
    index = AnswerIndex(pack, encoder=encoder)
    asked = listed_questions(pack)
    random.Random(SEED).shuffle(asked)
    others = pack.other_services
    vectors = [index.question_vector(q) for q in others.questions]
    entries = np.stack([v for v in vectors if v is not None]) if others.questions else None
    found: list[tuple[EvalQuestion, str, str]] = []
    for fold in range(folds):
        part = tuple(asked[fold::folds])
        pack_unseen = without_paraphrases(index, EvalSet(part, ()), similarity)
        unseen = AnswerIndex(pack_unseen, encoder=encoder)
        for question in part:
            _, hits = answer_question(unseen, question.question, question.audience)
            if not hits or not hits[0].elsewhere:
                continue
            vector = index.question_vector(question.question)
            nearest = ""
            if entries is not None and vector is not None:
                nearest = others.questions[int(np.argmax(entries @ vector))]
            found.append((question, hits[0].elsewhere, nearest))
    return len(asked), found


def _pack(text: str) -> tuple[str, Path]:
    label, _, folder = text.rpartition("=")
    return label or folder, Path(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pack", type=_pack, action="append", help="label=folder (repeatable)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--similarity", type=float, default=0.75)
    args = parser.parse_args()
    encoder = load_encoder()
    if encoder is None:
        sys.exit("the sentence encoder is not installed: the list needs it (make venv)")
    for label, folder in args.pack or [("shipped", PACK_DIR)]:
        total, found = sent_elsewhere(folder, encoder, args.folds, args.similarity)
        print(f"{label}: {len(found)}/{total} framework listed questions sent to another service")
        for question, service, nearest in found:
            print(f"  {question.question!r} ({question.expected[0]}) -> {service}: {nearest!r}")


if __name__ == "__main__":
    main()
