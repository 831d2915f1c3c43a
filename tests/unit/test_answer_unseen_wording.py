"""Measuring a question set on wording nobody tuned for: the pack without the listed questions
that paraphrase the set's questions (services.qa_evaluation.without_paraphrases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.answer_index import AnswerIndex
from domain.content_pack import read_pack
from domain.sentence_encoder import load_encoder
from services.qa_evaluation import EvalQuestion, EvalSet, without_paraphrases

PACK = """---
id: attendance
title: Attendance
audience: manager
tags: [attendance, absence]
source: "Somewhere"
version: 1
owner: HR
---

## Keeping an eye on attendance
<!-- questions: how do I spot a pattern of absence | when should I hold an attendance review -->
Look at the dates together and hold an attendance review meeting.

## Supporting attendance in your team
<!-- questions: how do I support someone's return | what is a phased return -->
After an operation, a person may need a phased return.
"""


def test_a_set_can_be_measured_without_the_listed_questions_that_paraphrase_it(
    tmp_path: Path,
) -> None:
    if load_encoder() is None:
        pytest.skip("the sentence encoder is not installed")
    (tmp_path / "attendance.md").write_text(PACK, encoding="utf-8")
    index = AnswerIndex(read_pack(tmp_path))
    evals = EvalSet(
        questions=(
            EvalQuestion("what is a phased return?", "manager", ("attendance#x",)),
            EvalQuestion("how can I spot a pattern in someone's absences", "manager", ("a#b",)),
        ),
        out_of_scope=(),
    )
    unseen = without_paraphrases(index, evals, 0.9)
    assert [s.questions for s in unseen.sections] == [
        ("when should I hold an attendance review",),
        ("how do I support someone's return",),
    ]
    assert [s.body for s in unseen.sections] == [s.body for s in index.pack.sections]
    assert unseen.everyday == index.pack.everyday
    # Measured on it, the set's first question no longer meets its own listed phrasing.
    listed = AnswerIndex(unseen).search("what is a phased return?", "manager")
    assert listed and listed[0].section.id == "attendance#supporting-attendance-in-your-team"
    assert without_paraphrases(index, EvalSet((), ()), 0.9) is index.pack
