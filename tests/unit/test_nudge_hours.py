"""CHARTER_NUDGE_HOURS honours minutes: 09:30-16:45 opens at half past nine."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_settings
from domain.nudge_rules import can_send_now

LONDON = ZoneInfo("Europe/London")


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=LONDON)  # a Monday


def test_minutes_in_the_sending_hours_are_honoured() -> None:
    policy = load_settings({"CHARTER_NUDGE_HOURS": "09:30-16:45"}, env_file=None).nudge_policy
    assert can_send_now(at(9, 15), policy) == (False, "09:15 is before sending opens at 09:30")
    assert can_send_now(at(9, 30), policy) == (True, "")
    assert can_send_now(at(16, 44), policy) == (True, "")
    assert can_send_now(at(16, 45), policy) == (False, "16:45 is after sending closes at 16:45")


def test_whole_hours_still_work_with_or_without_minutes() -> None:
    for text in ("9-17", "09:00-17:00", "09:00 - 17:00"):
        policy = load_settings({"CHARTER_NUDGE_HOURS": text}, env_file=None).nudge_policy
        assert (policy.opens_text, policy.closes_text) == ("09:00", "17:00")
    whole_day = load_settings({"CHARTER_NUDGE_HOURS": "00:00-24:00"}, env_file=None)
    assert can_send_now(at(23, 59), whole_day.nudge_policy) == (True, "")


@pytest.mark.parametrize(
    "text", ["09:60-17:00", "17:00-09:30", "09:30-09:30", "9.30-17", "24:30-25"]
)
def test_impossible_hours_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ConfigError, match="CHARTER_NUDGE_HOURS must look like 09:00-17:00"):
        load_settings({"CHARTER_NUDGE_HOURS": text}, env_file=None)
