"""The agenda's rules with a fixed clock: carry-over and waiting, the day before a planned
one-to-one (working days, bank holidays, leave, sending hours, the weekly cap), and "did you
meet?" afterwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.agenda import (
    AddedBy,
    AgendaPoint,
    InvalidAgenda,
    PersonDays,
    PlanStatus,
    clean_point,
    is_carried_over,
    open_points,
    plan_questions,
    proposed_day,
    split_ticked,
    waiting_text,
)
from domain.agenda_reminders import (
    Meeting,
    after_check_due,
    check_item,
    day_before_decision,
    day_before_due,
    invite_item,
    prep_day,
    prep_item,
)
from domain.nudge_rules import NudgeKind, NudgePolicy, RecipientHistory
from domain.working_days import BankHolidays, WorkingPattern

LONDON = ZoneInfo("Europe/London")


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _point(pk: int, added: date, discussed: date | None = None) -> AgendaPoint:
    return AgendaPoint(pk, 7, f"point {pk}", AddedBy.EMPLOYEE, 7, _at(added), discussed)


# --- carry-over ------------------------------------------------------------------------------


def test_a_point_nobody_reached_carries_over_and_says_how_long_it_has_waited() -> None:
    old = _point(1, date(2026, 11, 2))
    new = _point(2, date(2026, 11, 20))
    last_held = date(2026, 11, 9)
    today = date(2026, 11, 23)
    assert is_carried_over(old, last_held)
    assert not is_carried_over(new, last_held)
    assert waiting_text(old, today, last_held) == "carried over, waiting 21 days"
    assert waiting_text(new, today, last_held) == "added 3 days ago"
    assert waiting_text(_point(3, today), today, last_held) == "added today"


def test_ticked_points_are_discussed_and_the_rest_stay_open() -> None:
    points = [
        _point(1, date(2026, 11, 2)),
        _point(2, date(2026, 11, 3)),
        _point(3, date(2026, 11, 1), date(2026, 11, 9)),
    ]
    discussed, carried = split_ticked(points, {2, 3, 99})
    assert [p.id for p in discussed] == [2]  # 3 was already discussed, 99 is no point of theirs
    assert [p.id for p in carried] == [1]
    assert [p.id for p in open_points(points)] == [1, 2]


def test_a_point_is_one_line_and_not_empty_or_too_long() -> None:
    assert clean_point("  talk   about\nthe rota ") == "talk about the rota"
    with pytest.raises(InvalidAgenda):
        clean_point("   ")
    with pytest.raises(InvalidAgenda):
        clean_point("x" * 301)
    with pytest.raises(InvalidAgenda):
        clean_point({"text": "not a string"})


# --- planning the next one-to-one --------------------------------------------------------------

RHYS = PersonDays("Rhys", WorkingPattern.parse("Mon-Thu"), frozenset({date(2026, 12, 2)}))


def test_a_plan_in_the_past_on_a_day_off_a_bank_holiday_or_while_away_is_questioned() -> None:
    now = _at(date(2026, 11, 23))
    assert plan_questions(_at(date(2026, 11, 24)), now, RHYS) == []
    assert "in the past" in plan_questions(_at(date(2026, 11, 20)), now, RHYS)[0]
    assert plan_questions(_at(date(2026, 11, 27)), now, RHYS) == [
        "Rhys doesn't usually work on Fridays."
    ]
    assert "bank holiday (Christmas Day)" in plan_questions(_at(date(2026, 12, 25)), now, RHYS)[0]
    assert plan_questions(_at(date(2026, 12, 2)), now, RHYS) == [
        "Rhys is recorded as away on 2 December."
    ]


def test_the_proposed_day_follows_the_cadence_onto_a_day_they_work_and_are_in() -> None:
    today = date(2026, 11, 23)
    # Due 2 December (28 days after 4 November): away that day, so Thursday 3 December.
    day = proposed_day(
        last_held=date(2026, 11, 4),
        start_date=date(2020, 1, 1),
        interval_days=28,
        today=today,
        person=RHYS,
    )
    assert day == date(2026, 12, 3)
    # Overdue already: the next day they work.
    overdue = proposed_day(
        last_held=date(2026, 9, 1),
        start_date=date(2020, 1, 1),
        interval_days=28,
        today=date(2026, 11, 26),
        person=RHYS,
    )
    assert overdue == date(2026, 11, 30)


# --- the day before ---------------------------------------------------------------------------


def _meeting(day: date, **changes: Any) -> Meeting:
    return replace(Meeting(plan_id=5, employee_id=7, manager_id=3, day=day), **changes)


def test_the_day_before_a_monday_meeting_is_the_friday() -> None:
    monday = date(2026, 11, 30)
    assert prep_day(monday) == date(2026, 11, 27)
    assert day_before_due(_meeting(monday), date(2026, 11, 27))
    assert not day_before_due(_meeting(monday), date(2026, 11, 29))  # Sunday: nothing


def test_the_day_before_skips_bank_holidays() -> None:
    # Tuesday 29 December 2026: the 28th is the Boxing Day substitute, the 25th Christmas Day.
    assert prep_day(date(2026, 12, 29)) == date(2026, 12, 24)
    # A council closure day is skipped too.
    closed = BankHolidays(extra=[date(2026, 11, 27)])
    assert prep_day(date(2026, 11, 30), holidays=closed) == date(2026, 11, 26)


def test_nothing_the_day_before_when_the_person_is_away_or_it_is_no_longer_planned() -> None:
    friday = date(2026, 11, 27)
    assert not day_before_due(_meeting(date(2026, 11, 30), employee_away_on_day=True), friday)
    assert not day_before_due(_meeting(date(2026, 11, 30), status=PlanStatus.MOVED), friday)


def _history(**changes: Any) -> RecipientHistory:
    return replace(
        RecipientHistory(digests_today=0, digests_this_week=0, on_leave=False), **changes
    )


def test_the_day_before_reminders_keep_to_the_sending_hours_and_the_weekly_cap() -> None:
    meeting = _meeting(date(2026, 11, 30))
    friday = date(2026, 11, 27)
    item = prep_item(meeting, employee_name="Rhys Evans", recipient_id=3, as_of=friday)
    assert item.kind is NudgeKind.ONE_TO_ONE_PREP and "Monday 30 November" in item.title
    policy = NudgePolicy(weekly_cap=3)
    assert day_before_decision(_at(friday, 9, 30), item, _history(), policy) == (True, "")
    quiet, why = day_before_decision(_at(friday, 7, 45), item, _history(), policy)
    assert not quiet and "before sending opens" in why
    late, why = day_before_decision(_at(friday, 17, 5), item, _history(), policy)
    assert not late and "after sending closes" in why
    capped, why = day_before_decision(_at(friday, 10), item, _history(digests_this_week=3), policy)
    assert not capped and "weekly cap 3" in why
    away, why = day_before_decision(_at(friday, 10), item, _history(on_leave=True), policy)
    assert not away and "on leave" in why


def test_the_employee_is_asked_what_they_want_to_talk_about() -> None:
    item = invite_item(
        _meeting(date(2026, 11, 24)), manager_name="Priya Shah", as_of=date(2026, 11, 23)
    )
    assert item.recipient_id == 7 and item.kind is NudgeKind.AGENDA_INVITE
    assert item.title == "Your one-to-one with Priya is tomorrow"


# --- after -------------------------------------------------------------------------------------


def test_did_you_meet_once_the_day_has_passed_by_a_working_day_with_nothing_logged() -> None:
    friday = date(2026, 11, 27)
    meeting = _meeting(friday)
    assert not after_check_due(meeting, friday)
    assert not after_check_due(meeting, date(2026, 11, 29))  # the weekend doesn't count
    assert after_check_due(meeting, date(2026, 11, 30))
    assert not after_check_due(_meeting(friday, logged_since=True), date(2026, 11, 30))
    assert not after_check_due(_meeting(friday, status=PlanStatus.MISSED), date(2026, 11, 30))
    item = check_item(meeting, employee_name="Rhys Evans", recipient_id=3, as_of=date(2026, 11, 30))
    assert item.title == "Did you meet Rhys?" and item.due_since == friday
