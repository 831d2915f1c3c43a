"""The refusal trade-off: how many in-scope questions are answered with the right passage and
how many out-of-scope near misses are refused, as every bar a section must clear to answer
(the similarity, story, word-coverage and listed-question floors; a section's confidence is
scaled to the answer threshold by them) is moved by the same factor, on question sets you may
tune on (by default bench/qa_eval.json and bench/qa_tuning_seeds.json).

    .venv/bin/python bench/qa_thresholds.py [FILE ...] [--factors 0.8 0.9 1 1.1 1.2]

A held-out set is read only if named: whoever tunes the threshold must never run it on one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from content import PACK_DIR
from domain import answer_index
from domain.answer_index import AnswerIndex
from domain.content_pack import read_pack
from services.qa_evaluation import EvalSet, KindResult, evaluate

TUNING_SETS = (
    Path(__file__).parent / "qa_eval.json",
    Path(__file__).parent / "qa_tuning_seeds.json",
)
FACTORS = (0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3)
# The bars that decide "not sure", each moved by the factor.
BARS = (
    "SIMILARITY_THRESHOLD",
    "STORY_SIMILARITY_THRESHOLD",
    "LEXICAL_SIMILARITY_FLOOR",
    "FULL_COVERAGE_SIMILARITY_FLOOR",
    "QUESTION_MATCH_FLOOR",
    "LONG_QUESTION_MATCH_FLOOR",
)
KINDS = ("short", "chatty", "typo", "scenario")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, default=list(TUNING_SETS))
    parser.add_argument("--factors", nargs="+", type=float, default=list(FACTORS))
    args = parser.parse_args()
    index = AnswerIndex(read_pack(PACK_DIR))
    shipped = {bar: float(getattr(answer_index, bar)) for bar in BARS}
    for path in args.files:
        evals = EvalSet.load(path)
        print(
            f"{path.name}: {len(evals.questions)} questions, {len(evals.out_of_scope)} out of scope"
        )
        print(f"{'factor':>7}{'sim bar':>8}{'top-1':>8}{'refused':>9}{'oos refused':>13}  per kind")
        for factor in sorted(args.factors):
            for bar, value in shipped.items():
                setattr(answer_index, bar, value * factor)
            index.threshold = answer_index.ANSWER_THRESHOLD * factor
            result = evaluate(index, evals)
            print(_row(factor, result.overall, result.by_kind))
        print()
    for bar, value in shipped.items():
        setattr(answer_index, bar, value)


def _row(factor: float, overall: KindResult, by_kind: dict[str, KindResult]) -> str:
    kinds = " ".join(f"{k} {by_kind[k].top1:.0%}" for k in KINDS if k in by_kind)
    rejected = f"{overall.rejected}/{overall.out_of_scope}"
    bar = answer_index.SIMILARITY_THRESHOLD
    return (
        f"{factor:>7.2f}{bar:>8.2f}{overall.top1:>8.1%}{overall.refusal:>9.1%}{rejected:>13}  "
        f"{kinds}"
    )


if __name__ == "__main__":
    main()
