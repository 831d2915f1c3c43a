"""`charter nudges --deliver-now`: the sending window set aside for a demo, and only then."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from domain.nudge_rules import NudgePolicy
from services.nudges import DELIVER_NOW_NOTE, sending_allowed

LONDON = ZoneInfo("Europe/London")
SATURDAY_EVENING = datetime(2026, 11, 21, 19, 30, tzinfo=LONDON)
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


def test_the_window_holds_by_default() -> None:
    allowed, why = sending_allowed(SATURDAY_EVENING, NudgePolicy())
    assert not allowed and "Saturday is not a sending day" in why
    assert sending_allowed(MONDAY_MORNING, NudgePolicy()) == (True, "")


def test_deliver_now_sets_only_the_window_aside() -> None:
    assert sending_allowed(SATURDAY_EVENING, NudgePolicy(), deliver_now=True) == (
        True,
        DELIVER_NOW_NOTE,
    )
