from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.cadence import DEFAULT_CADENCE_DAYS, cadence_status, effective_interval

START = date(2024, 1, 8)
LAST = date(2026, 10, 1)
DUE = LAST + timedelta(days=DEFAULT_CADENCE_DAYS)  # 29 October 2026


def test_default_interval_is_28_days() -> None:
    assert DEFAULT_CADENCE_DAYS == 28
    assert cadence_status(last_held=LAST, start_date=START, as_of=LAST).next_due == DUE


def test_on_track_right_after_a_one_to_one() -> None:
    status = cadence_status(last_held=LAST, start_date=START, as_of=date(2026, 10, 5))
    assert status.state == "on_track"
    assert status.days_since == 4
    assert status.days_overdue == 0
    assert status.last_held == LAST


def test_due_soon_within_a_week() -> None:
    def state(days_before_due: int) -> str:
        as_of = DUE - timedelta(days=days_before_due)
        return cadence_status(last_held=LAST, start_date=START, as_of=as_of).state

    assert state(8) == "on_track"
    assert state(7) == "due_soon"
    assert state(1) == "due_soon"


def test_exactly_on_the_due_date_is_due_soon_not_overdue() -> None:
    status = cadence_status(last_held=LAST, start_date=START, as_of=DUE)
    assert status.state == "due_soon"
    assert status.days_overdue == 0
    assert status.days_since == 28


def test_the_day_after_is_overdue_by_one() -> None:
    status = cadence_status(last_held=LAST, start_date=START, as_of=DUE + timedelta(days=1))
    assert status.state == "overdue"
    assert status.days_overdue == 1
    assert status.is_overdue


def test_never_held_within_the_first_interval() -> None:
    start = date(2026, 11, 2)
    status = cadence_status(last_held=None, start_date=start, as_of=date(2026, 11, 30))
    assert status.state == "never_held"
    assert status.next_due == date(2026, 11, 30)
    assert status.days_since is None
    assert status.days_overdue == 0


def test_never_held_after_the_first_interval_is_overdue() -> None:
    start = date(2026, 11, 2)
    status = cadence_status(last_held=None, start_date=start, as_of=date(2026, 12, 3))
    assert status.state == "overdue"
    assert status.days_overdue == 3
    assert status.days_since is None


def test_custom_interval_and_due_soon_window() -> None:
    status = cadence_status(
        last_held=LAST,
        start_date=START,
        as_of=date(2026, 10, 12),
        interval_days=14,
        due_soon_days=3,
    )
    assert status.next_due == date(2026, 10, 15)
    assert status.state == "due_soon"


@pytest.mark.parametrize("interval", [0, -5])
def test_interval_must_be_positive(interval: int) -> None:
    with pytest.raises(ValueError):
        cadence_status(last_held=LAST, start_date=START, as_of=LAST, interval_days=interval)


def test_effective_interval_overrides() -> None:
    assert effective_interval(None, None) == DEFAULT_CADENCE_DAYS
    assert effective_interval(None, 14) == 14
    assert effective_interval(7, 14) == 7
    assert effective_interval(7, None) == 7
    assert effective_interval(None, None, default=21) == 21


def test_effective_interval_rejects_nonsense_overrides() -> None:
    with pytest.raises(ValueError):
        effective_interval(0, 14)
