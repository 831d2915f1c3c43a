"""What a valid absence, end of absence and return-to-work record are: pure, fixed day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from domain.absences import (
    AbsencePolicy,
    InvalidAbsence,
    end_problems,
    read_rtw_form,
    start_problems,
)
from domain.people import Person
from domain.records import AbsenceView

TODAY = date(2026, 3, 10)
POLICY = AbsencePolicy()
REPORT = Person(
    id=3,
    employee_id="E003",
    name="Rhys Evans",
    email="rhys@council.example",
    department="Services",
    job_title="Officer",
    start_date=date(2025, 9, 1),
    manager_id=2,
)


def absence(start: date, end: date | None) -> AbsenceView:
    return AbsenceView(
        id=1,
        employee_id=REPORT.id,
        start_date=start,
        end_date=end,
        absence_type="sickness",
        reason_category=None,
        working_days_lost=None,
        disability_related=False,
        expected_return=None,
        last_contact_on=None,
        source="chat",
    )


def start(
    day: date | None,
    expected: date | None = None,
    reason: str | None = None,
    existing: Sequence[AbsenceView] = (),
) -> list[str]:
    return start_problems(
        REPORT, day, expected, reason, today=TODAY, policy=POLICY, existing=list(existing)
    )


def test_a_new_absence_starts_in_the_past_after_they_joined_and_not_in_another() -> None:
    assert start(TODAY, date(2026, 3, 12), POLICY.reasons[0]) == []
    assert start(None) == ["Please give the first day of absence."]
    assert start(date(2026, 3, 11)) == ["The first day of absence can't be in the future."]
    assert start(date(2025, 8, 1)) == ["Rhys started on 1 September 2025."]
    assert start(TODAY, expected=TODAY) == [
        "The expected return must be after the first day of absence."
    ]
    assert start(TODAY, reason="Boredom") == [
        "Choose one of the reasons listed, or leave it blank."
    ]
    ongoing = absence(date(2026, 3, 1), None)
    ended = absence(date(2026, 2, 1), date(2026, 2, 3))
    assert start(TODAY, existing=[ended]) == []
    assert len(start(TODAY, existing=[ongoing])) == 1
    assert len(start(date(2026, 2, 2), existing=[ended])) == 1


def test_an_absence_ends_once_between_its_start_and_today() -> None:
    open_one = absence(date(2026, 3, 2), None)
    assert end_problems(open_one, date(2026, 3, 4), today=TODAY) == []
    assert end_problems(open_one, None, today=TODAY) == ["Please give the last day of absence."]
    assert end_problems(open_one, date(2026, 3, 1), today=TODAY) == [
        "The last day of absence can't be before the first."
    ]
    assert end_problems(open_one, date(2026, 3, 11), today=TODAY) == [
        "The last day of absence can't be in the future."
    ]
    ended = absence(date(2026, 3, 2), date(2026, 3, 3))
    assert end_problems(ended, date(2026, 3, 4), today=TODAY) == ["That absence has already ended."]


ENDED = absence(date(2026, 3, 2), date(2026, 3, 4))


def test_a_return_to_work_card_is_read_with_its_answers() -> None:
    answers = read_rtw_form(
        {
            "held_on": "2026-03-09",
            "reason_category": POLICY.reasons[0],
            "outcome": "no_further_action",
            "support_offered": "eap, oh_referral",
            "notes": "Feeling better",
            "fit_note_received": "true",
            "work_related": "true",
        },
        ENDED,
        today=TODAY,
        policy=POLICY,
        fit_note_expected=False,
    )
    assert answers.held_on == date(2026, 3, 9)
    assert answers.support_offered == ("eap", "oh_referral")
    assert answers.fit_note_received is None  # not asked for a short absence
    assert answers.work_related and not answers.accident_at_work


def test_a_return_to_work_card_with_problems_names_each() -> None:
    with pytest.raises(InvalidAbsence) as caught:
        read_rtw_form(
            {
                "held_on": "2026-03-04",
                "reason_category": "Boredom",
                "outcome": "sack them",
                "support_offered": "chocolate",
                "notes": "x" * 4001,
            },
            ENDED,
            today=TODAY,
            policy=POLICY,
            fit_note_expected=True,
        )
    assert caught.value.problems == [
        "The conversation is held after the absence has ended.",
        "Choose one of the reasons listed.",
        "Choose the outcome of the conversation.",
        "Choose support from the list.",
        "Please keep notes and comments under 4,000 characters.",
    ]
