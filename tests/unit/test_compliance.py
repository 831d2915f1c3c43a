"""Every aggregate rule of the compliance report, with a fixed day: cadence boundaries, the APR
cycle, the RTW deadline, suppression under 5 (and complementary suppression), leavers and
new starters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain.compliance import SUPPRESSED, GroupBy, Measure, Share, suppress_column
from domain.compliance_html import as_html
from services.compliance import build_report
from services.compliance_formats import as_csv, as_json, as_text
from services.staff_status import StaffRules
from storage.staff_facts import SicknessSpell, StaffFacts

AS_OF = date(2026, 11, 23)  # a Monday, outside the 1 April - 30 June APR window
RULES = StaffRules()


def person(pk: int, department: str = "Libraries", **kw: object) -> StaffFacts:
    base = StaffFacts(
        id=pk,
        employee_id=f"E{pk}",
        name=f"Person {pk}",
        department=department,
        manager_id=1000,
        manager_name="Manager",
        start_date=date(2015, 1, 5),
        left_on=None,
        working_pattern="",
        active_reports=0,
        last_one_to_one=AS_OF - timedelta(days=10),
        last_apr=date(2026, 5, 1),
        live_objectives=1,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def team(n: int, department: str = "Libraries", start: int = 1, **kw: object) -> list[StaffFacts]:
    return [person(start + i, department, **kw) for i in range(n)]


def council_share(people: list[StaffFacts], measure: Measure) -> Share:
    return build_report(people, RULES, AS_OF).council.shares[measure]


@pytest.mark.parametrize(
    ("days_ago", "within"),
    [(27, True), (28, True), (29, False), (60, False)],
)
def test_one_to_one_cadence_boundary(days_ago: int, within: bool) -> None:
    people = [*team(4), person(9, last_one_to_one=AS_OF - timedelta(days=days_ago))]
    share = council_share(people, Measure.ONE_TO_ONES)
    assert (share.met, share.total) == (4 + within, 5)


def test_a_new_starter_inside_their_first_interval_is_not_yet_counted() -> None:
    starter = person(9, start_date=AS_OF - timedelta(days=10), last_one_to_one=None)
    late_starter = person(10, start_date=AS_OF - timedelta(days=40), last_one_to_one=None)
    share = council_share([*team(5), starter, late_starter], Measure.ONE_TO_ONES)
    assert (share.met, share.total) == (5, 6)  # the late one counts, as overdue


def test_leavers_and_future_starters_are_never_counted() -> None:
    gone = person(9, left_on=AS_OF, last_one_to_one=None)  # left today: not in post
    future = person(10, start_date=AS_OF + timedelta(days=1))
    report = build_report([*team(5), gone, future], RULES, AS_OF)
    assert report.council.headcount == 5
    assert report.council.shares[Measure.ONE_TO_ONES].total == 5


@pytest.mark.parametrize(
    ("held", "completed"),
    [
        (date(2026, 4, 1), True),  # first day of the window
        (date(2026, 6, 30), True),  # last day of the window
        (date(2025, 6, 30), False),  # last cycle's
        (None, False),
    ],
)
def test_apr_completed_in_the_cycle(held: date | None, completed: bool) -> None:
    people = [*team(4), person(9, last_apr=held)]
    share = council_share(people, Measure.APRS)
    assert (share.met, share.total) == (4 + completed, 5)


def test_people_in_probation_are_not_due_an_apr() -> None:
    probation = person(9, start_date=AS_OF - timedelta(days=60), last_apr=None)
    share = council_share([*team(5), probation], Measure.APRS)
    assert share.total == 5


def test_the_next_windows_due_soon_does_not_hide_this_cycle() -> None:
    march = date(2027, 3, 15)  # next window opens within 30 days
    people = team(5, last_one_to_one=march - timedelta(days=3))
    report = build_report(people, RULES, march)
    assert (report.council.shares[Measure.APRS].met, report.council.shares[Measure.APRS].total) == (
        5,
        5,
    )


def spell(end: date, held: date | None) -> SicknessSpell:
    return SicknessSpell(1, end - timedelta(days=2), end, 3, False, held)


# An absence ending Friday 13 Nov 2026: back Monday 16th, deadline Thursday 19th (3 working days).
FRIDAY = date(2026, 11, 13)
DEADLINE = date(2026, 11, 19)


@pytest.mark.parametrize(
    ("held", "on_time"),
    [(DEADLINE - timedelta(days=1), True), (DEADLINE, True), (DEADLINE + timedelta(days=1), False)],
)
def test_rtw_held_on_the_deadline_is_on_time(held: date, on_time: bool) -> None:
    people = [person(i, sickness=(spell(FRIDAY, DEADLINE - timedelta(days=2)),)) for i in range(4)]
    people.append(person(9, sickness=(spell(FRIDAY, held),)))
    share = council_share(people, Measure.RTW)
    assert (share.met, share.total) == (4 + on_time, 5)


def test_rtw_not_held_counts_only_once_the_deadline_has_passed() -> None:
    people = [person(i, sickness=(spell(FRIDAY, DEADLINE),)) for i in range(5)]
    waiting_still = person(20, sickness=(spell(AS_OF - timedelta(days=3), None),))  # Fri 20th
    overdue = person(21, sickness=(spell(FRIDAY, None),))
    share = council_share([*people, waiting_still, overdue], Measure.RTW)
    assert (share.met, share.total) == (5, 6)


def test_an_agreed_objective_counts_and_a_draft_does_not() -> None:
    people = [*team(4), person(9, live_objectives=0, draft_objectives=2)]
    share = council_share(people, Measure.OBJECTIVES)
    assert (share.met, share.total) == (4, 5)


@pytest.mark.parametrize(("size", "hidden"), [(4, True), (5, False)])
def test_groups_under_five_people_are_suppressed(size: int, hidden: bool) -> None:
    report = build_report(team(size), RULES, AS_OF)
    share = report.groups[0].shares[Measure.OBJECTIVES]
    assert share.suppressed is hidden
    assert report.council.shares[Measure.OBJECTIVES].suppressed is hidden
    text = as_text(report) + as_csv(report) + as_json(report) + as_html(report)
    if hidden:
        assert SUPPRESSED in text
        assert f"of {size}" not in text and f",{size}," not in as_csv(report).split("\n", 2)[1]


def test_one_hidden_group_hides_the_next_smallest_so_it_cannot_be_subtracted() -> None:
    people = team(3, "Archives") + team(6, "Libraries", start=10) + team(9, "Museums", start=20)
    report = build_report(people, RULES, AS_OF)
    by_name = {g.name: g.shares[Measure.OBJECTIVES] for g in report.groups}
    assert by_name["Archives"].suppressed  # primary: 3 people
    assert by_name["Libraries"].suppressed  # complementary: the next smallest
    assert not by_name["Museums"].suppressed
    assert not report.council.shares[Measure.OBJECTIVES].suppressed
    assert "Libraries" in as_html(report)


def test_two_hidden_groups_need_no_more_suppression() -> None:
    columns = suppress_column([Share(1, 3, 3), Share(2, 4, 4), Share(5, 6, 6), Share(7, 8, 8)])
    assert [s.suppressed for s in columns] == [True, True, False, False]


def test_by_manager_groups_by_line_manager() -> None:
    people = team(5) + [replace(p, manager_id=2000, manager_name="Other") for p in team(5, start=9)]
    report = build_report(people, RULES, AS_OF, group_by=GroupBy.MANAGER)
    assert [g.name for g in report.groups] == ["Manager", "Other"]
