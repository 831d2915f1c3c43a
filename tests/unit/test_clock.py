"""The injectable clock every date rule is tested with (domain.clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from domain.clock import Clock, FixedClock

LONDON = ZoneInfo("Europe/London")


def test_the_real_clock_is_in_the_councils_time_zone() -> None:
    now = Clock(LONDON).now()
    assert now.tzinfo == LONDON
    assert abs((now - datetime.now(UTC)).total_seconds()) < 5


def test_a_fixed_clock_says_what_it_is_told_and_today_is_its_local_date() -> None:
    # 23:30 UTC on 31 May is already 1 June in London (BST).
    clock = FixedClock(datetime(2026, 5, 31, 23, 30, tzinfo=UTC).astimezone(LONDON))
    assert clock.today() == date(2026, 6, 1)
    assert clock.now() == clock.now()


def test_a_fixed_clock_without_a_zoneinfo_keeps_london_as_its_zone() -> None:
    clock = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    assert clock.tz == LONDON
