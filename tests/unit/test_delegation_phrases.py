"""How people type a delegation, with a fixed day: Monday 23 November 2026."""

from __future__ import annotations

from datetime import date

import pytest

from domain.delegation_phrases import future_date, parse_delegation_request

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2027-01-10", date(2027, 1, 10)),
        ("10 January", date(2027, 1, 10)),  # no year: the coming one
        ("23 November", TODAY),  # today
        ("Friday", date(2026, 11, 27)),
        ("monday", TODAY),  # said on a Monday: today
        ("next monday", date(2026, 11, 30)),
        ("tomorrow", date(2026, 11, 24)),
        ("blah", None),
    ],
)
def test_dates_look_forward(words: str, expected: date | None) -> None:
    assert future_date(words, TODAY) == expected


def test_my_team_until_a_day() -> None:
    found = parse_delegation_request("delegate my team to Tom Griffiths until 10 January", TODAY)
    assert found is not None
    assert (found.delegate_name, found.owner_name, found.starts_on, found.ends_on) == (
        "Tom Griffiths",
        None,
        None,
        date(2027, 1, 10),
    )


def test_hr_names_the_team_and_a_period() -> None:
    found = parse_delegation_request("Delegate Priya Shah's team to Tom for two weeks", TODAY)
    assert found is not None
    assert found.owner_name == "Priya Shah"
    assert found.ends_on == date(2026, 12, 6)  # 14 days, the first being today


def test_from_and_until() -> None:
    found = parse_delegation_request(
        "delegate my team to Aisha from 1 December until 14 December", TODAY
    )
    assert found is not None
    assert (found.starts_on, found.ends_on) == (date(2026, 12, 1), date(2026, 12, 14))


def test_no_date_is_asked_for_and_other_text_is_not_a_delegation() -> None:
    found = parse_delegation_request("delegate my team to Tom", TODAY)
    assert found is not None and found.ends_on is None
    assert parse_delegation_request("how do I delegate work?", TODAY) is None


@pytest.mark.parametrize(
    ("typed", "delegate", "starts", "ends"),
    [
        (
            "Tom Griffiths is acting manager for me while I'm away until Friday",
            "Tom Griffiths",
            None,
            date(2026, 11, 27),
        ),
        ("Tom will act for my team for two weeks", "Tom", None, date(2026, 12, 6)),
        (
            "Tom will be acting manager for my team from 1 December until 14 December",
            "Tom",
            date(2026, 12, 1),
            date(2026, 12, 14),
        ),
        ("Sam is acting for me until 10 January", "Sam", None, date(2027, 1, 10)),
        ("Tom is acting manager for me while I'm away", "Tom", None, None),
    ],
)
def test_someone_acting_for_me_is_a_request_for_my_team(
    typed: str, delegate: str, starts: date | None, ends: date | None
) -> None:
    found = parse_delegation_request(typed, date(2026, 11, 23))
    assert found is not None
    assert (found.delegate_name, found.owner_name) == (delegate, None)
    assert (found.starts_on, found.ends_on) == (starts, ends)


@pytest.mark.parametrize(
    "typed",
    [
        "who is acting for me",
        "who is acting manager for me?",
        "is anyone acting for me",
        "Tom is acting for me?",
        "Tom is good for me",
        "thanks for me",
    ],
)
def test_questions_about_acting_are_not_requests(typed: str) -> None:
    assert parse_delegation_request(typed, date(2026, 11, 23)) is None
