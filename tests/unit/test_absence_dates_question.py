"""Dates that hold no working day are asked about before an absence or a return to work is
saved, and such an absence is no occasion and raises no return to work (#15). Fixed dates."""

from __future__ import annotations

from datetime import date

from domain.absences import absence_dates_question, needs_rtw, rtw_date_question
from domain.working_days import ENGLAND_AND_WALES, WorkingPattern

MON_FRI = WorkingPattern.parse("Mon-Fri")
SUNDAY = date(2026, 11, 22)
SATURDAY = date(2026, 11, 21)
MONDAY = date(2026, 11, 23)
CHRISTMAS = date(2026, 12, 25)  # a Friday


def ask(start: date, end: date | None, pattern: WorkingPattern = MON_FRI) -> str | None:
    return absence_dates_question("Rhys", start, end, pattern=pattern, holidays=ENGLAND_AND_WALES)


def test_a_first_day_on_a_sunday_is_asked_about() -> None:
    question = ask(SUNDAY, None)
    assert question == (
        "Sunday 22 November 2026 is a Sunday, not a working day for Rhys (Rhys works Monday "
        "to Friday). Record the absence from that day anyway?"
    )
    assert ask(MONDAY, None) is None


def test_a_bank_holiday_is_named() -> None:
    question = ask(CHRISTMAS, None)
    assert question is not None and "Christmas Day, a bank holiday" in question


def test_someone_who_works_sundays_is_not_asked() -> None:
    assert ask(SUNDAY, None, WorkingPattern.parse("Wed-Sun")) is None
    assert ask(SUNDAY, SUNDAY, WorkingPattern.parse("Wed-Sun")) is None


def test_an_absence_with_no_working_day_is_asked_about_and_needs_no_rtw() -> None:
    one_day = ask(SUNDAY, SUNDAY)
    assert one_day is not None
    assert one_day.startswith("Sunday 22 November 2026 is a Sunday, not a working day for Rhys")
    assert "loses no working days and needs no return-to-work conversation" in one_day
    weekend = ask(SATURDAY, SUNDAY)
    assert weekend is not None and "hold no working day for Rhys" in weekend
    # Saturday to Monday loses the Monday: nothing to ask.
    assert ask(SATURDAY, MONDAY) is None


def test_a_zero_day_absence_needs_no_return_to_work() -> None:
    assert needs_rtw(0) is False
    assert needs_rtw(1) is True
    assert needs_rtw(None) is True  # not worked out yet (ongoing or imported): it may


def test_a_return_to_work_dated_on_a_day_off_is_asked_about() -> None:
    question = rtw_date_question("Rhys", SATURDAY, pattern=MON_FRI, holidays=ENGLAND_AND_WALES)
    assert question is not None and "Saturday 21 November 2026 is a Saturday" in question
    assert "Save the conversation as held that day anyway?" in question
    assert rtw_date_question("Rhys", MONDAY, pattern=MON_FRI, holidays=ENGLAND_AND_WALES) is None
