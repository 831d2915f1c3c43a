"""Retention rules with fixed dates: periods, cut-offs and the boundary days."""

from __future__ import annotations

from datetime import date

import pytest

from domain.retention import (
    DEFAULT_PERIODS,
    Kind,
    Period,
    RetentionError,
    cutoff,
    format_retention,
    is_due,
    parse_period,
    parse_retention,
    schedule,
)

TODAY = date(2026, 11, 23)


def test_kept_for_the_whole_period_and_due_the_day_after_its_last_day() -> None:
    six_years = Period(years=6)
    assert cutoff(TODAY, six_years) == date(2020, 11, 23)
    assert not is_due(date(2020, 11, 23), TODAY, six_years)  # exactly six years: kept today
    assert is_due(date(2020, 11, 22), TODAY, six_years)
    assert not is_due(date(2020, 11, 23), date(2026, 11, 23), six_years)
    assert is_due(date(2020, 11, 23), date(2026, 11, 24), six_years)


def test_nothing_without_a_start_is_ever_due() -> None:
    """Still employed (no leaving date) or an absence still going on."""
    assert not is_due(None, date(2100, 1, 1), Period(days=1))


def test_29_february_and_month_ends() -> None:
    assert Period(years=1).before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert Period(months=1).before(date(2026, 3, 31)) == date(2026, 2, 28)
    assert Period(months=18).before(date(2026, 11, 23)) == date(2025, 5, 23)
    assert Period(days=7).before(date(2026, 1, 3)) == date(2025, 12, 27)


def test_defaults_follow_the_issue() -> None:
    assert DEFAULT_PERIODS[Kind.ONE_TO_ONE] == Period(years=2)
    assert DEFAULT_PERIODS[Kind.ABSENCE] == Period(years=6)
    assert DEFAULT_PERIODS[Kind.RETURN_TO_WORK] == Period(years=6)
    assert DEFAULT_PERIODS[Kind.AUDIT] == Period(years=6)
    assert set(DEFAULT_PERIODS) == set(Kind)


def test_configuration_overrides_only_what_it_names() -> None:
    periods = parse_retention(" absence=7y; feedback = 90d,question=18m ")
    assert periods[Kind.ABSENCE] == Period(years=7)
    assert periods[Kind.FEEDBACK] == Period(days=90)
    assert periods[Kind.QUESTION] == Period(months=18)
    assert periods[Kind.ONE_TO_ONE] == Period(years=2)
    assert parse_retention(format_retention(periods)) == periods
    assert parse_retention("") == DEFAULT_PERIODS


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("absence", "record_type=period"),
        ("absences=6y", "not a record type"),
        ("absence=6 weeks", "not a period"),
        ("absence=0d", "at least 1 day"),
        ("absence=-1y", "not a period"),
    ],
)
def test_bad_configuration_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(RetentionError, match=says):
        parse_retention(text)


def test_parse_period_units() -> None:
    assert parse_period("2Y") == Period(years=2)
    assert str(Period(months=3)) == "3m"
    assert Period(years=1).describe() == "1 year"


def test_schedule_has_a_cutoff_for_every_kind() -> None:
    plan = schedule(TODAY, DEFAULT_PERIODS)
    assert set(plan.cutoffs) == set(Kind)
    assert plan.cutoffs[Kind.ONE_TO_ONE] == date(2024, 11, 23)
    assert plan.cutoffs[Kind.PROCESSED_ACTIVITY] == date(2026, 11, 16)
