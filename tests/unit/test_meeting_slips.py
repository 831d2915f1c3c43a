"""Held on the planned date, moved or missed (#18), database-free: shares per department,
a meeting moved twice counts twice, and small groups are suppressed (with the complementary
suppression of the compliance report)."""

from __future__ import annotations

from datetime import date

from domain.agenda import PlanStatus
from domain.compliance import SUPPRESSED
from domain.meeting_slips import SettledPlan, slip_report

AS_OF = date(2026, 11, 23)
START = date(2025, 11, 23)
HELD, MOVED, MISSED, PLANNED = (
    PlanStatus.HELD,
    PlanStatus.MOVED,
    PlanStatus.MISSED,
    PlanStatus.PLANNED,
)


def plans(group: str, first_pk: int, statuses: list[PlanStatus]) -> list[SettledPlan]:
    """One plan per status, each for a different person from ``first_pk`` on."""
    return [SettledPlan(first_pk + i, group, s) for i, s in enumerate(statuses)]


def test_shares_per_group_and_council() -> None:
    libraries = plans("Libraries", 1, [HELD, HELD, HELD, MOVED, MISSED, PLANNED])
    leisure = plans("Leisure", 20, [HELD, MOVED, MOVED, HELD, HELD])
    report = slip_report(libraries + leisure, START, AS_OF)
    rows = {row.name: row for row in report.groups}
    assert rows["Libraries"].shares[HELD].display() == "60% (3 of 5)"  # the planned one waits
    assert rows["Libraries"].shares[MISSED].display() == "20% (1 of 5)"
    assert rows["Leisure"].shares[MOVED].display() == "40% (2 of 5)"
    assert report.council.shares[HELD].display() == "60% (6 of 10)"
    assert report.table()[0] == ["Group", "Held on the planned date", "Moved", "Didn't happen"]
    assert report.table()[-1][0] == "Whole council"


def test_a_meeting_moved_twice_counts_twice_but_people_decide_suppression() -> None:
    # Four people, six plans: still a group of four, so suppressed.
    small = plans("Parks", 1, [HELD, HELD, HELD, MOVED]) + plans("Parks", 3, [MOVED, HELD])
    big = plans("Libraries", 10, [HELD] * 6)
    bigger = plans("Leisure", 30, [MOVED] * 7)
    report = slip_report(small + big + bigger, START, AS_OF)
    rows = {row.name: row for row in report.groups}
    assert rows["Parks"].shares[MOVED].display() == SUPPRESSED
    # Complementary: the next smallest group is hidden too, so Parks can't be worked out.
    assert rows["Libraries"].shares[HELD].display() == SUPPRESSED
    assert rows["Leisure"].shares[MOVED].display() == "100% (7 of 7)"
    assert report.council.shares[MOVED].display() == "47% (9 of 19)"


def test_a_council_with_fewer_than_five_people_shows_no_figures() -> None:
    report = slip_report(plans("Libraries", 1, [HELD, MISSED]), START, AS_OF)
    assert report.council.shares[HELD].display() == SUPPRESSED
    assert slip_report([], START, AS_OF).groups == ()
