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
