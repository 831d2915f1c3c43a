from __future__ import annotations

from datetime import date

import pytest

from domain.working_days import (
    DEFAULT_PATTERN,
    ENGLAND_AND_WALES,
    BankHolidays,
    WorkingPattern,
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
)

MON_WED_FRI = WorkingPattern(frozenset({0, 2, 4}))

THU_BEFORE_EASTER = date(2026, 4, 2)
GOOD_FRIDAY = date(2026, 4, 3)
EASTER_MONDAY = date(2026, 4, 6)
TUE_AFTER_EASTER = date(2026, 4, 7)


def test_default_pattern_is_monday_to_friday() -> None:
    assert DEFAULT_PATTERN.weekdays == frozenset({0, 1, 2, 3, 4})
    assert DEFAULT_PATTERN.describe() == "Monday to Friday"
    assert WorkingPattern() == DEFAULT_PATTERN


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("Mon-Fri", {0, 1, 2, 3, 4}),
        ("Mon,Tue,Thu", {0, 1, 3}),
        ("mon-wed,fri", {0, 1, 2, 4}),
        ("Mon-Sat", {0, 1, 2, 3, 4, 5}),
        ("MONDAY - FRIDAY", {0, 1, 2, 3, 4}),
        ("Monday, Wednesday and Friday", {0, 2, 4}),
        ("Monday to Thursday", {0, 1, 2, 3}),
        ("tues, thurs", {1, 3}),
        ("Sat-Sun", {5, 6}),
        ("Fri-Mon", {4, 5, 6, 0}),
        ("mon,mon-tue", {0, 1}),
    ],
)
def test_parse(text: str, weekdays: set[int]) -> None:
    assert WorkingPattern.parse(text).weekdays == frozenset(weekdays)


@pytest.mark.parametrize("text", ["", "  ", "Mon-", "Mun-Fri", "weekdays", "Mon-Tue-Wed", "1-5"])
def test_parse_rejects_nonsense_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"day|pattern|range"):
        WorkingPattern.parse(text)


def test_a_pattern_needs_valid_days() -> None:
    with pytest.raises(ValueError, match="at least one"):
        WorkingPattern(frozenset())
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        WorkingPattern(frozenset({7}))


@pytest.mark.parametrize(
    ("text", "described", "short"),
    [
        ("Mon-Fri", "Monday to Friday", "Mon-Fri"),
        ("Mon,Wed,Fri", "Monday, Wednesday and Friday", "Mon,Wed,Fri"),
        ("mon-wed,fri", "Monday to Wednesday and Friday", "Mon-Wed,Fri"),
        ("Mon,Tue", "Monday and Tuesday", "Mon,Tue"),
        ("Thu", "Thursday", "Thu"),
        ("Mon-Sun", "Monday to Sunday", "Mon-Sun"),
    ],
)
def test_describe_and_short_text(text: str, described: str, short: str) -> None:
    pattern = WorkingPattern.parse(text)
    assert pattern.describe() == described
    assert pattern.to_text() == short
    assert WorkingPattern.parse(pattern.to_text()) == pattern


def test_bank_holidays_in_england_and_wales() -> None:
    assert ENGLAND_AND_WALES.name(GOOD_FRIDAY) == "Good Friday"
    assert ENGLAND_AND_WALES.is_holiday(EASTER_MONDAY)
    assert not ENGLAND_AND_WALES.is_holiday(THU_BEFORE_EASTER)
    assert ENGLAND_AND_WALES.name(THU_BEFORE_EASTER) is None
    # Christmas 2026: Boxing Day is a Saturday, so Monday 28 December is the substitute.
    assert ENGLAND_AND_WALES.is_holiday(date(2026, 12, 25))
    assert ENGLAND_AND_WALES.is_holiday(date(2026, 12, 28))
    assert ENGLAND_AND_WALES.is_holiday(date(2027, 1, 1))
    # Scottish-only holidays are not included.
    assert not ENGLAND_AND_WALES.is_holiday(date(2026, 1, 2))
    assert not ENGLAND_AND_WALES.is_holiday(date(2026, 11, 30))


def test_extra_closure_days_can_be_injected() -> None:
    closure = date(2026, 12, 29)
    calendar = BankHolidays(extra=[closure])
    assert calendar.is_holiday(closure)
    assert calendar.name(closure) == BankHolidays.EXTRA_NAME
    assert calendar.name(GOOD_FRIDAY) == "Good Friday"
    assert not ENGLAND_AND_WALES.is_holiday(closure)


def test_is_working_day() -> None:
    assert is_working_day(THU_BEFORE_EASTER)
    assert not is_working_day(GOOD_FRIDAY)
    assert not is_working_day(date(2026, 4, 4))  # Saturday
    assert is_working_day(date(2026, 4, 4), WorkingPattern.parse("Mon-Sat"))
    assert not is_working_day(date(2026, 4, 9), MON_WED_FRI)  # Thursday


def test_next_working_day() -> None:
    assert next_working_day(THU_BEFORE_EASTER, inclusive=True) == THU_BEFORE_EASTER
    assert next_working_day(THU_BEFORE_EASTER, inclusive=False) == TUE_AFTER_EASTER
    assert next_working_day(GOOD_FRIDAY, inclusive=True) == TUE_AFTER_EASTER
    assert next_working_day(TUE_AFTER_EASTER, pattern=MON_WED_FRI, inclusive=True) == date(
        2026, 4, 8
    )


def test_previous_working_day() -> None:
    assert previous_working_day(TUE_AFTER_EASTER) == THU_BEFORE_EASTER
    assert previous_working_day(EASTER_MONDAY) == THU_BEFORE_EASTER
    assert previous_working_day(date(2026, 4, 9), pattern=MON_WED_FRI) == date(2026, 4, 8)
    # Christmas Day is a Friday and Boxing Day is observed on Monday 28 December.
    assert previous_working_day(date(2026, 12, 29)) == date(2026, 12, 24)


def test_add_working_days() -> None:
    assert add_working_days(THU_BEFORE_EASTER, 0) == THU_BEFORE_EASTER
    assert add_working_days(GOOD_FRIDAY, 0) == GOOD_FRIDAY
    assert add_working_days(THU_BEFORE_EASTER, 1) == TUE_AFTER_EASTER
    assert add_working_days(TUE_AFTER_EASTER, 3) == date(2026, 4, 10)
    assert add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 15)  # Friday to Monday
    assert add_working_days(date(2026, 6, 15), 3, pattern=MON_WED_FRI) == date(2026, 6, 22)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(THU_BEFORE_EASTER, -1)


def test_working_days_between_is_inclusive() -> None:
    # Two weeks around Easter: 10 weekdays less Good Friday and Easter Monday.
    assert working_days_between(date(2026, 3, 30), date(2026, 4, 10)) == 8
    assert working_days_between(THU_BEFORE_EASTER, THU_BEFORE_EASTER) == 1
    assert working_days_between(GOOD_FRIDAY, EASTER_MONDAY) == 0
    assert working_days_between(date(2026, 4, 10), date(2026, 4, 9)) == 0
    assert working_days_between(date(2026, 6, 15), date(2026, 6, 21), pattern=MON_WED_FRI) == 3


def test_working_days_respect_injected_holidays() -> None:
    calendar = BankHolidays(extra=[date(2026, 6, 16)])
    assert working_days_between(date(2026, 6, 15), date(2026, 6, 19), holidays=calendar) == 4
    assert add_working_days(date(2026, 6, 15), 1, holidays=calendar) == date(2026, 6, 17)
