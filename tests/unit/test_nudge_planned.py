"""An overdue one-to-one that is already planned says when (#18), with a fixed clock: the
meeting must be still to come and within the next working days; other kinds, and people with
nothing planned, are untouched; the item keeps its key (so its budget and repeats are the same).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.nudge_rules import DueItem, NudgeKind, note_planned, planned_when

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 12, 7)
NINE = datetime(2026, 12, 7, 9, 0, tzinfo=LONDON)
DETAIL = "42 days overdue (last held 26 Oct 2026; every 28 days)"


def overdue(subject: int = 13, kind: NudgeKind = NudgeKind.ONE_TO_ONE_DUE) -> DueItem:
    return DueItem(
        kind=kind,
        subject_id=subject,
        item_key=f"one_to_one:{subject}",
        recipient_id=3,
        due_since=date(2026, 10, 26),
        title="One-to-one with Rhys Evans",
        detail=DETAIL,
    )


def at(day: int, hour: int = 10, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=LONDON)


def noted(planned: dict[int, datetime], now: datetime = NINE, today: date = MONDAY) -> str:
    [item] = note_planned([overdue()], planned, now=now, today=today)
    assert item.item_key == "one_to_one:13" and item.kind is NudgeKind.ONE_TO_ONE_DUE
    return item.detail


def test_planned_tomorrow_says_so() -> None:
    assert noted({13: at(8)}) == f"{DETAIL} — planned for tomorrow, Tue 8 Dec 10:00"


def test_planned_later_today_and_later_this_week() -> None:
    assert noted({13: at(7, 14)}).endswith("— planned for today, 14:00")
    assert noted({13: at(10)}).endswith("— planned for Thu 10 Dec 10:00")


def test_a_meeting_already_past_or_too_far_ahead_leaves_the_reminder_as_it_was() -> None:
    assert noted({13: at(7, 8)}) == DETAIL  # this morning, before the digest: passed
    # Five working days from Monday 7 Dec is Monday 14 Dec; Tuesday 15th is too far.
    assert noted({13: at(14)}).endswith("— planned for Mon 14 Dec 10:00")
    assert noted({13: at(15)}) == DETAIL
    assert noted({}) == DETAIL


def test_the_window_counts_working_days_over_christmas() -> None:
    # Wednesday 23 Dec: 24, 29, 30, 31 Dec and 4 Jan are the next five working days.
    wednesday = date(2026, 12, 23)
    morning = datetime(2026, 12, 23, 9, 0, tzinfo=LONDON)
    assert noted({13: datetime(2027, 1, 4, 10, tzinfo=LONDON)}, morning, wednesday).endswith(
        "— planned for Mon 4 Jan 10:00"
    )
    assert noted({13: datetime(2027, 1, 5, 10, tzinfo=LONDON)}, morning, wednesday) == DETAIL


def test_only_the_overdue_one_to_one_of_the_person_planned_is_noted() -> None:
    items = [overdue(13, NudgeKind.APR_DUE), overdue(11), overdue(13)]
    after = note_planned(items, {13: at(8)}, now=NINE, today=MONDAY)
    assert [i.detail for i in after] == [
        DETAIL,
        DETAIL,
        f"{DETAIL} — planned for tomorrow, Tue 8 Dec 10:00",
    ]


def test_planned_when_words() -> None:
    assert planned_when(at(8, 9), MONDAY) == "tomorrow, Tue 8 Dec 09:00"
    assert planned_when(at(7, 16), MONDAY) == "today, 16:00"
    assert planned_when(at(11), MONDAY) == "Fri 11 Dec 10:00"
