"""Questions for the council's other HR services (pay, pensions, leave, benefits) are not
answered from the performance framework because they share a word or a meaning with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from content import PACK_DIR
from domain.answer_index import AnswerIndex
from domain.answer_scope import subjects_named
from domain.content_pack import read_pack
from services.answers import answer_question


@pytest.fixture(scope="module")
def shipped() -> AnswerIndex:
    return AnswerIndex(read_pack(PACK_DIR))


@pytest.mark.parametrize(
    "question",
    [
        "is there a cycle to work scheme",
        "how much does the council pay into my pension",
        "is there a discount scheme for council staff",
        "how do I book annual leave",
    ],
)
def test_other_services_questions_are_not_answered(shipped: AnswerIndex, question: str) -> None:
    answer, _ = answer_question(shipped, question, "staff")
    assert not answer.answered
    assert answer.related  # the nearest topics are still offered


@pytest.mark.parametrize(
    "question",
    [
        "my deputy is about to retire and nobody else knows her job",
        "my team keeps working overtime and looks exhausted",
        "a racist incident happened in my team",
        "someone keeps taking sick days just before their holidays",
    ],
)
def test_framework_questions_that_mention_nearby_words_name_no_other_service(
    question: str,
) -> None:
    assert subjects_named(question) == []


def test_a_section_that_names_the_subject_may_answer_it(tmp_path: Path) -> None:
    (tmp_path / "leave.md").write_text(
        "---\nid: leave\ntitle: Leave\naudience: all\ntags: [annual leave]\n"
        'source: "HR"\nversion: 1\nowner: HR\n---\n\n## Booking annual leave\n'
        "Book annual leave with your manager at least two weeks ahead.\n",
        encoding="utf-8",
    )
    index = AnswerIndex(read_pack(tmp_path), encoder=None)
    hits = index.search("how do I book annual leave", "staff")
    assert hits and hits[0].answers()


def test_more_of_the_other_services_subjects_are_named() -> None:
    for question in (
        "how much sick pay do I get",
        "what are the stages of the disciplinary procedure",
        "which unions does the council recognise",
        "how long is the probation period",
        "what's the lone working procedure",
        "teams says my account is disabled",
        "how do I make an occupational health referral",
        "how do i refer someone to occupational health",
        "how many days can staff self-certify",
        "can i give toil instead of paying overtime",
        "flexi - how many hours can i carry over",
        "can i work from abroad for two weeks",
        "how long does a written warning stay on file",
        "how do I claim an acting-up allowance",
    ):
        assert subjects_named(question), question
    # A framework question that shares a word stays in scope.
    assert not subjects_named("what should I cover in a return to work interview")
    assert not subjects_named("should i consider occupational health for her")
    assert not subjects_named("can i ask for flexible working")


SCOPED = """---
id: hiring
title: Recruitment
audience: manager
tags: [recruitment, probation]
source: "Somewhere"
version: 1
owner: HR
---

## Setting expectations on day one
Agree the standards of the job on the first day. If the issue is behaviour rather than
ability, use the disciplinary procedure instead.

## Reviewing probation
<!-- tags: probation review -->
Meet before the end of the probation period to review progress.
"""


def test_another_services_subject_is_answered_only_where_a_section_says_it_is_about_it(
    tmp_path: Path,
) -> None:
    """A passing mention in the text, or a tag the section takes from its topic, does not make
    a section about probation or the disciplinary procedure; its own tags do."""
    (tmp_path / "hiring.md").write_text(SCOPED, encoding="utf-8")
    index = AnswerIndex(read_pack(tmp_path), encoder=None)
    first, _ = index.sections
    allowed = index._scope.allowed("what are the stages of the disciplinary procedure")
    assert allowed is not None and not allowed.any()
    allowed = index._scope.allowed("how long is the probation period")
    assert allowed is not None and allowed.tolist() == [False, True]
    assert "probation" in first.tags  # taken from the topic


def test_booking_a_room_or_a_badge_is_another_service() -> None:
    from domain.answer_scope import subjects_named

    assert subjects_named("how do I book a room for my team meeting")
    assert subjects_named("how do I get a new ID badge")
    assert not subjects_named("how do I plan my team meeting")


def test_arranging_an_occupational_health_referral_is_the_attendance_policy_s() -> None:
    from domain.answer_scope import subjects_named

    assert subjects_named("how do I arrange an occupational health referral")
    assert subjects_named("can I book an OH referral for him")
    assert not subjects_named("should I think about occupational health for someone off long term")


@pytest.mark.parametrize(
    "asked",
    [
        "what is the living wage",
        "flexi retirement how does it work",
        "carers leave - how many days can I take?",
        "what's the dress code for the office",
        "how do I apply for an internal job vacancy",
    ],
)
def test_pay_leave_dress_and_vacancies_are_other_services(asked: str) -> None:
    from domain.answer_scope import subjects_named

    assert subjects_named(asked)
