"""The wording helpers #15 asked for, with a fixed date: counts, days ago, non-working days,
"log 1:1 with Rhys tomorrow", the APR status said once."""

from __future__ import annotations

from datetime import date

from domain.apr_cycle import AprState, AprStatus
from domain.date_words import days_ago, non_working_day, non_working_question, plural
from domain.one_to_one_phrases import parse_one_to_one_request
from domain.working_days import WorkingPattern

MONDAY = date(2026, 11, 23)


def test_counts_in_words() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(3, "person", "people") == "3 people"
    assert days_ago(1) == "1 day ago" and days_ago(12) == "12 days ago" and days_ago(0) == "today"


def test_non_working_days() -> None:
    assert non_working_day(date(2026, 11, 22)) == "a Sunday"
    assert non_working_day(date(2026, 11, 21)) == "a Saturday"
    assert non_working_day(date(2025, 12, 26)) == "Boxing Day, a bank holiday"
    assert non_working_day(MONDAY) is None
    weekends = WorkingPattern.parse("Sat-Sun")
    assert non_working_day(date(2026, 11, 22), weekends) is None
    assert non_working_day(MONDAY, weekends) == "a Monday"
    assert non_working_question(date(2026, 11, 22), "a Sunday") == (
        "Sunday 22 November 2026 is a Sunday. Save anyway?"
    )


def test_a_trailing_tomorrow_is_a_date_not_part_of_the_name() -> None:
    request = parse_one_to_one_request("log 1:1 with Rhys tomorrow", MONDAY)
    assert request is not None
    assert request.name == "rhys" and request.held_on == date(2026, 11, 24)


def test_the_apr_state_is_said_once() -> None:
    overdue = AprStatus(AprState.OVERDUE, None, 159, None, "Overdue by 159 days")
    assert overdue.summary == "Overdue by 159 days"
    not_due = AprStatus(AprState.NOT_DUE, None, 0, 30, "Window opens 1 April 2027")
    assert not_due.summary == "Not due: Window opens 1 April 2027"
