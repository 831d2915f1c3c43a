"""Time as the rules see it: injectable, so every date rule can be tested with a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


class Clock:
    """The real clock, in the council's time zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(UTC).astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock(Clock):
    """A clock that says what a test tells it to."""

    fixed: datetime

    def __post_init__(self) -> None:
        tz = self.fixed.tzinfo
        super().__init__(tz if isinstance(tz, ZoneInfo) else ZoneInfo("Europe/London"))

    def now(self) -> datetime:
        return self.fixed
