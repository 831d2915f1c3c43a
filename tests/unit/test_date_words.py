from __future__ import annotations

from datetime import date

import pytest

from domain.date_words import find_date_words, format_short, format_uk, parse_date_words

MONDAY = date(2026, 11, 23)  # a Monday
THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", MONDAY),
        ("Yesterday", date(2026, 11, 22)),
        ("the day before yesterday", date(2026, 11, 21)),
        ("3 days ago", date(2026, 11, 20)),
        ("a day ago", date(2026, 11, 22)),
        ("two days ago", date(2026, 11, 21)),
        ("3/11", date(2026, 11, 3)),
        ("03/11/2026", date(2026, 11, 3)),
        ("3/11/26", date(2026, 11, 3)),
        ("3-11-2026", date(2026, 11, 3)),
        ("2026-11-03", date(2026, 11, 3)),
        ("3 Nov", date(2026, 11, 3)),
        ("3 nov.", date(2026, 11, 3)),
        ("3rd November", date(2026, 11, 3)),
        ("the 3rd of November", date(2026, 11, 3)),
        ("3 November 2026", date(2026, 11, 3)),
        ("November 3", date(2026, 11, 3)),
        ("NOV 3rd", date(2026, 11, 3)),
        ("4 Sept", date(2026, 9, 4)),
        ("4 sep", date(2026, 9, 4)),
        ("4 September", date(2026, 9, 4)),
        ("1 May", date(2026, 5, 1)),
        ("on 3/11", date(2026, 11, 3)),
    ],
)
def test_understands_common_date_words(typed: str, expected: date) -> None:
    assert parse_date_words(typed, MONDAY) == expected


def test_day_and_month_without_year_means_latest_on_or_before_today() -> None:
    assert parse_date_words("23/11", MONDAY) == MONDAY
    assert parse_date_words("24/11", MONDAY) == date(2025, 11, 24)
    assert parse_date_words("24/12", MONDAY) == date(2025, 12, 24)
    assert parse_date_words("24 December", MONDAY) == date(2025, 12, 24)


def test_numeric_dates_are_day_then_month() -> None:
    assert parse_date_words("1/2/2026", MONDAY) == date(2026, 2, 1)


def test_explicit_year_is_kept_even_in_the_future() -> None:
    assert parse_date_words("1/12/2026", MONDAY) == date(2026, 12, 1)


def test_29_february_without_year_finds_the_last_leap_year() -> None:
    assert parse_date_words("29/2", MONDAY) == date(2024, 2, 29)


@pytest.mark.parametrize("typed", ["31/02", "31/02/2026", "30 February", "2026-13-01", "0/5"])
def test_invalid_dates_are_none(typed: str) -> None:
    assert parse_date_words(typed, MONDAY) is None


@pytest.mark.parametrize("typed", ["", "hello", "log 1:1", "1-2-1", "121", "I sat down", "may I"])
def test_no_date_is_none(typed: str) -> None:
    assert parse_date_words(typed, MONDAY) is None


def test_last_weekday_is_strictly_before_today() -> None:
    assert parse_date_words("last monday", MONDAY) == date(2026, 11, 16)
    assert parse_date_words("last Sunday", MONDAY) == date(2026, 11, 22)
    assert parse_date_words("last tuesday", THURSDAY) == date(2026, 11, 24)
    assert parse_date_words("last thursday", THURSDAY) == date(2026, 11, 19)


def test_bare_weekday_is_latest_on_or_before_today() -> None:
    assert parse_date_words("monday", MONDAY) == MONDAY
    assert parse_date_words("on Tuesday", MONDAY) == date(2026, 11, 17)
    assert parse_date_words("wednesday", THURSDAY) == date(2026, 11, 25)
    assert parse_date_words("on tues", THURSDAY) == date(2026, 11, 24)


def test_ambiguous_weekday_abbreviations_need_on_or_last() -> None:
    assert parse_date_words("on sat", MONDAY) == date(2026, 11, 21)
    assert parse_date_words("last sun", MONDAY) == date(2026, 11, 22)
    assert parse_date_words("sat with rhys", MONDAY) is None


@pytest.mark.parametrize(
    ("typed", "expected_date", "rest"),
    [
        ("supervision with Mei yesterday", date(2026, 11, 22), "supervision with Mei"),
        ("one to one with rhys evans on 3/11", date(2026, 11, 3), "one to one with rhys evans"),
        ("log 121 with Callum last Tuesday", date(2026, 11, 17), "log 121 with Callum"),
        ("on 3rd Nov I met   Mei", date(2026, 11, 3), "I met Mei"),
        ("met Rhys on 3 November 2026, went well", date(2026, 11, 3), "met Rhys, went well"),
        ("log 1:1 with Rhys", None, "log 1:1 with Rhys"),
        ("1-2-1 with margaret", None, "1-2-1 with margaret"),
    ],
)
def test_find_date_words_removes_the_date(
    typed: str, expected_date: date | None, rest: str
) -> None:
    assert find_date_words(typed, MONDAY) == (expected_date, rest)


def test_find_date_words_takes_the_first_date() -> None:
    assert find_date_words("yesterday not 3/11", MONDAY) == (date(2026, 11, 22), "not 3/11")


def test_find_date_words_leaves_invalid_dates_in_place() -> None:
    assert find_date_words("1:1 on 31/02", MONDAY) == (None, "1:1 on 31/02")


def test_formats() -> None:
    assert format_uk(date(2026, 11, 3)) == "Tuesday 3 November 2026"
    assert format_short(date(2026, 11, 3)) == "3 Nov 2026"
    assert format_short(date(2026, 9, 14)) == "14 Sep 2026"
