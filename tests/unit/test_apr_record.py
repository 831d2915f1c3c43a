"""The APR card's rules, without a database: what a manager's APR card and an employee's
preparation card say, and what is wrong with them. Fixed day throughout."""

from __future__ import annotations

from datetime import date, datetime

from domain.apr_record import (
    AprDraft,
    apr_from_form,
    preparation_from_form,
    priority_problems,
    reviewable,
)
from domain.objective_drafts import ObjectiveDraft
from domain.people import Person
from domain.records import ObjectiveView

TODAY = date(2026, 11, 23)
CREATED = datetime(2026, 1, 5, 9, 0)
REPORT = Person(7, "D013", "Rhys Evans", "r@x.example", "Libraries", "Assistant", date(2020, 1, 6))
MANAGER = Person(
    8,
    "D014",
    "Mair Lloyd",
    "m@x.example",
    "Libraries",
    "Lead",
    date(2019, 1, 7),
    active_report_count=3,
)


def objective(id: int, status: str, title: str = "Open on Sundays") -> ObjectiveView:
    return ObjectiveView(
        id,
        REPORT.id,
        title,
        "",
        None,
        1,
        "Priority",
        None,
        None,
        status,
        "owner",
        0,
        None,
        False,
        CREATED,
        CREATED,
        None,
    )


def test_only_agreed_and_started_objectives_are_reviewed() -> None:
    found = [
        objective(i, s)
        for i, s in enumerate(["draft", "agreed", "in_progress", "achieved", "withdrawn"])
    ]
    assert [o.status for o in reviewable(found)] == ["agreed", "in_progress"]


def test_a_complete_card_gives_a_draft_and_no_problems() -> None:
    values = {
        "held_on": "2026-11-20",
        "outcome_1": "achieved",
        "review_1": "  Done well  ",
        "outcome_2": "continuing",
        "overall_comments": "A steady year",
        "leadership_themes": "Drive, Think, Nonsense",
        "next_1_title": "Run the reading challenge",
        "next_1_priority_id": "3",
        "next_1_target_date": "2027-08-31",
    }
    draft, problems = apr_from_form(
        values, [objective(1, "agreed"), objective(2, "in_progress")], report=MANAGER, today=TODAY
    )
    assert problems == []
    assert draft.held_on == date(2026, 11, 20)
    assert draft.reviews == {1: ("achieved", "Done well"), 2: ("continuing", "")}
    assert list(draft.closing()) == [(1, "achieved", "Done well")]
    assert draft.leadership_themes == ("Drive", "Think")
    assert draft.next_objectives == (
        ObjectiveDraft("Run the reading challenge", "", date(2027, 8, 31), 3, None),
    )


def test_leadership_themes_are_only_for_managers() -> None:
    values = {"held_on": "2026-11-20", "overall_comments": "ok", "leadership_themes": "Drive"}
    draft, _ = apr_from_form(values, [], report=REPORT, today=TODAY)
    assert draft.leadership_themes == ()


def test_every_problem_is_named_in_order() -> None:
    values = {
        "held_on": "2026-11-24",
        "outcome_1": "brilliant",
        "development_needs": "x" * 4001,
        "next_2_title": "No priority",
    }
    _, problems = apr_from_form(
        values, [objective(1, "agreed", "Sundays")], report=REPORT, today=TODAY
    )
    assert problems == [
        "The date can't be in the future.",
        "Choose an outcome for \u201cSundays\u201d.",
        "Please keep development needs under 4,000 characters.",
        "Add overall comments, so the APR says how the year went.",
        "Choose the council priority for next year's objective 2.",
    ]


def test_the_date_is_needed_and_not_before_they_started() -> None:
    _, missing = apr_from_form({"overall_comments": "ok"}, [], report=REPORT, today=TODAY)
    assert missing == ["Please give the date the APR was held."]
    _, early = apr_from_form(
        {"held_on": "2019-12-31", "overall_comments": "ok"}, [], report=REPORT, today=TODAY
    )
    assert early == ["Rhys started on 6 January 2020."]


def test_next_years_priorities_must_be_current() -> None:
    draft = AprDraft(
        TODAY,
        {},
        "ok",
        (),
        "",
        "",
        (ObjectiveDraft("A", "", None, 3, None), ObjectiveDraft("B", "", None, 9, None)),
    )
    assert priority_problems(draft, {3}) == ["Choose one of the council priorities listed."]
    assert priority_problems(draft, {3, 9}) == []


def test_preparation_keeps_what_was_written() -> None:
    values = {"achievement_1": "  Opened on Sundays ", "achievement_2": "", "obstacles": "IT"}
    draft, problems = preparation_from_form(
        values, [objective(1, "agreed"), objective(2, "agreed")]
    )
    assert problems == []
    assert draft.achievements == {"1": "Opened on Sundays"}
    assert (draft.obstacles, draft.development_wishes, draft.support_wanted) == ("IT", "", "")


def test_an_empty_or_overlong_preparation_is_refused() -> None:
    _, empty = preparation_from_form({}, [objective(1, "agreed")])
    assert empty == ["Write something before sharing it with your manager."]
    _, long = preparation_from_form({"support_wanted": "x" * 2001}, [])
    assert long == ["Please keep each answer under 2,000 characters."]
