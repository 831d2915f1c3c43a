from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.rtw import (
    DEFAULT_RTW_DEADLINE_DAYS,
    RtwState,
    absence_is_long_term,
    fit_note_expected,
    keep_in_touch_due,
    rtw_due,
)
from domain.working_days import BankHolidays, WorkingPattern

# Thursday before Easter 2026; Good Friday (3 April) and Easter Monday (6 April) are bank holidays.
EASTER_END = date(2026, 4, 2)
EASTER_DUE = date(2026, 4, 7)  # Tuesday
EASTER_DEADLINE = date(2026, 4, 10)  # Friday


def test_default_deadline_is_three_working_days() -> None:
    assert DEFAULT_RTW_DEADLINE_DAYS == 3


def test_easter_absence_is_due_on_the_tuesday_with_a_friday_deadline() -> None:
    status = rtw_due(absence_end=EASTER_END, as_of=EASTER_END)
    assert status.absence_end == EASTER_END
    assert status.due_on == EASTER_DUE
    assert status.deadline == EASTER_DEADLINE
    assert status.state is RtwState.NOT_YET_DUE
    assert status.days_overdue == 0
    assert status.held_on is None


def test_christmas_2026_skips_boxing_day_substitute_and_new_year() -> None:
    # Absence ends Thursday 24 December. 25 Dec (Fri) and 28 Dec (Mon, Boxing Day substitute)
    # are bank holidays, and so is Friday 1 January 2027.
    status = rtw_due(absence_end=date(2026, 12, 24), as_of=date(2026, 12, 24))
    assert status.due_on == date(2026, 12, 29)
    assert status.deadline == date(2027, 1, 4)


def test_absence_ending_on_a_friday_is_due_on_monday() -> None:
    status = rtw_due(absence_end=date(2026, 6, 12), as_of=date(2026, 6, 13))
    assert status.due_on == date(2026, 6, 15)
    assert status.deadline == date(2026, 6, 18)
    assert status.state is RtwState.NOT_YET_DUE


def test_absence_ending_on_a_weekend_is_due_on_monday() -> None:
    status = rtw_due(absence_end=date(2026, 6, 14), as_of=date(2026, 6, 15))
    assert status.due_on == date(2026, 6, 15)
    assert status.state is RtwState.DUE


def test_a_monday_wednesday_friday_pattern() -> None:
    pattern = WorkingPattern.parse("Mon,Wed,Fri")
    status = rtw_due(absence_end=date(2026, 6, 15), as_of=date(2026, 6, 16), pattern=pattern)
    assert status.due_on == date(2026, 6, 17)  # Wednesday
    assert status.deadline == date(2026, 6, 24)  # Fri 19, Mon 22, Wed 24
    assert status.state is RtwState.NOT_YET_DUE


def test_injected_closure_day_moves_the_deadline() -> None:
    calendar = BankHolidays(extra=[date(2026, 6, 16)])
    status = rtw_due(absence_end=date(2026, 6, 12), as_of=date(2026, 6, 12), holidays=calendar)
    assert status.due_on == date(2026, 6, 15)
    assert status.deadline == date(2026, 6, 19)


def test_custom_deadline_days() -> None:
    same_day = rtw_due(absence_end=EASTER_END, as_of=EASTER_DUE, deadline_days=0)
    assert same_day.deadline == EASTER_DUE
    assert same_day.state is RtwState.DUE
    with pytest.raises(ValueError, match="negative"):
        rtw_due(absence_end=EASTER_END, as_of=EASTER_DUE, deadline_days=-1)


@pytest.mark.parametrize(
    ("as_of", "state", "days_overdue"),
    [
        (date(2026, 4, 3), RtwState.NOT_YET_DUE, 0),  # Good Friday
        (date(2026, 4, 6), RtwState.NOT_YET_DUE, 0),  # Easter Monday
        (EASTER_DUE, RtwState.DUE, 0),
        (EASTER_DEADLINE, RtwState.DUE, 0),
        (date(2026, 4, 11), RtwState.OVERDUE, 0),  # Saturday: overdue, no working day lost
        (date(2026, 4, 13), RtwState.OVERDUE, 1),
        (date(2026, 4, 15), RtwState.OVERDUE, 3),
        (date(2026, 4, 20), RtwState.OVERDUE, 6),
    ],
)
def test_states_and_days_overdue(as_of: date, state: RtwState, days_overdue: int) -> None:
    status = rtw_due(absence_end=EASTER_END, as_of=as_of)
    assert status.state is state
    assert status.days_overdue == days_overdue
    assert status.is_overdue == (state is RtwState.OVERDUE)


@pytest.mark.parametrize(
    ("held_on", "state", "days_overdue"),
    [
        (EASTER_DUE, RtwState.HELD_ON_TIME, 0),
        (EASTER_DEADLINE, RtwState.HELD_ON_TIME, 0),
        (EASTER_END, RtwState.HELD_ON_TIME, 0),  # early (e.g. by phone) still counts
        (date(2026, 4, 13), RtwState.HELD_LATE, 1),
        (date(2026, 4, 14), RtwState.HELD_LATE, 2),
    ],
)
def test_held_on_time_or_late(held_on: date, state: RtwState, days_overdue: int) -> None:
    status = rtw_due(absence_end=EASTER_END, as_of=date(2026, 5, 1), held_on=held_on)
    assert status.state is state
    assert status.days_overdue == days_overdue
    assert status.held_on == held_on


def test_long_term_is_more_than_28_calendar_days() -> None:
    start = date(2026, 3, 2)
    day_28 = start + timedelta(days=27)
    day_29 = start + timedelta(days=28)
    assert not absence_is_long_term(start, day_28, as_of=date(2026, 6, 1))
    assert absence_is_long_term(start, day_29, as_of=date(2026, 6, 1))
    # Ongoing: counts up to as_of.
    assert not absence_is_long_term(start, None, as_of=day_28)
    assert absence_is_long_term(start, None, as_of=day_29)
    assert not absence_is_long_term(start, None, as_of=start - timedelta(days=1))
    assert absence_is_long_term(start, day_28, as_of=day_28, threshold_days=27)


def test_keep_in_touch_while_long_term() -> None:
    start = date(2026, 3, 2)
    day_28 = start + timedelta(days=27)
    day_29 = start + timedelta(days=28)
    assert not keep_in_touch_due(start, day_28, last_contact=None)
    assert keep_in_touch_due(start, day_29, last_contact=None)
    assert not keep_in_touch_due(start, day_29, last_contact=day_29 - timedelta(days=13))
    assert keep_in_touch_due(start, day_29, last_contact=day_29 - timedelta(days=14))
    assert not keep_in_touch_due(
        start, day_29, last_contact=day_29 - timedelta(days=6), every_days=7
    )
    assert keep_in_touch_due(start, day_29, last_contact=day_29 - timedelta(days=7), every_days=7)
    with pytest.raises(ValueError, match="every_days"):
        keep_in_touch_due(start, day_29, last_contact=None, every_days=0)


def test_fit_note_expected_after_seven_calendar_days() -> None:
    start = date(2026, 6, 1)
    assert not fit_note_expected(start, start)
    assert not fit_note_expected(start, start + timedelta(days=6))  # 7 days: self-certified
    assert fit_note_expected(start, start + timedelta(days=7))  # 8 days
