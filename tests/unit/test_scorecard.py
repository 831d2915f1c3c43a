"""The balanced scorecard over plain facts with a fixed day: values, RAG against targets, and
suppression taken from the compliance report so the two can never be differenced."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain.compliance import GroupBy, Measure
from domain.scorecard import SPECS, Rag, Scorecard
from services.compliance import build_report
from services.scorecard import build_scorecard
from services.scorecard_formats import scorecard_csv, scorecard_text
from services.staff_status import StaffRules
from storage.staff_facts import SicknessSpell, StaffFacts

AS_OF = date(2026, 11, 23)
RULES = StaffRules()
COMPLIANCE_KEYS = {m.value: m for m in Measure}


def person(pk: int, department: str, **kw: object) -> StaffFacts:
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
        rag={"green": 1},
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def team(n: int, department: str, start: int, **kw: object) -> list[StaffFacts]:
    return [person(start + i, department, **kw) for i in range(n)]


def lines(card: Scorecard) -> dict[str, tuple[str, bool]]:
    return {line.spec.key: (line.value_text(), line.suppressed) for line in card.lines}


def sick(pk: int, department: str, days: int) -> StaffFacts:
    end = AS_OF - timedelta(days=60)
    spell = SicknessSpell(pk, end - timedelta(days=days), end, days, False, end)
    return person(pk, department, sickness=(spell,))


def test_values_and_rag_for_a_department_big_enough_to_show() -> None:
    people = [
        *team(8, "Libraries", 1),
        person(9, "Libraries", last_apr=None, live_objectives=0, rag={}),
        sick(10, "Libraries", 10),
        *team(6, "Museums", 20),
    ]
    card = build_scorecard(people, RULES, AS_OF, "Libraries")
    shown = {line.spec.key: line for line in card.lines}
    assert card.headcount == 10
    assert shown["aprs"].detail == "9 of 10" and shown["aprs"].rag is Rag.AMBER  # 90 v 95
    assert shown["one_to_ones"].value == 100 and shown["one_to_ones"].rag is Rag.GREEN
    assert shown["objectives"].rag is Rag.AMBER  # 90% against 95%
    assert shown["sickness_days"].value == pytest.approx(1.0)
    assert shown["sickness_days"].rag is Rag.GREEN
    # Only the one return to work is hidden: one person is behind it.
    assert [line.spec.key for line in card.lines if line.suppressed] == ["rtw"]


def test_targets_change_the_rag() -> None:
    people = [*team(5, "Libraries", 1), *team(5, "Museums", 20)]
    card = build_scorecard(people, RULES, AS_OF, "Libraries", {"one_to_ones": 100})
    assert {line.spec.key: line.rag for line in card.lines}["one_to_ones"] is Rag.GREEN
    card = build_scorecard(people, RULES, AS_OF, "Libraries", {"aprs": 100, "rtw": 50})
    assert [line.target for line in card.lines if line.spec.key == "aprs"] == [100]


def test_a_department_under_five_shows_no_figures() -> None:
    people = [*team(4, "Archives", 1), *team(9, "Libraries", 10), *team(9, "Museums", 30)]
    card = build_scorecard(people, RULES, AS_OF, "Archives")
    assert card.headcount is None
    assert all(line.suppressed and line.value is None for line in card.lines)
    assert "4 people" not in scorecard_text(card) and "of 4" not in scorecard_csv(card)


def test_the_scorecard_cannot_be_subtracted_from_the_compliance_report() -> None:
    """The demo council's shape: one large department and a one-person one. HR's report hides
    both departments' APR and objective figures (complementary suppression) and shows the
    council's; a scorecard showing the large department's figures would give away the one
    person's by subtraction."""
    helen = person(
        99, "Corporate Resources", manager_id=None, last_apr=None, live_objectives=0, rag={}
    )
    big = [
        *team(15, "Community Services", 1),
        *team(3, "Community Services", 20, last_apr=None),
        person(
            30,
            "Community Services",
            start_date=AS_OF - timedelta(days=60),
            live_objectives=0,
            rag={},
        ),
    ]
    people = [*big, helen]
    report = build_report(people, RULES, AS_OF)
    council = report.council.shares
    assert (council[Measure.APRS].met, council[Measure.APRS].total) == (15, 19)
    assert (council[Measure.OBJECTIVES].met, council[Measure.OBJECTIVES].total) == (18, 20)

    card = build_scorecard(people, RULES, AS_OF, "Community Services")
    got = lines(card)
    assert got["aprs"] == ("suppressed (<5)", True)
    assert got["objectives"] == ("suppressed (<5)", True)
    # The headcount, and the measures whose figures would give it away, are hidden too.
    assert card.headcount is None
    assert got["sickness_days"][1] and got["trigger_points"][1]
    text = scorecard_text(card) + scorecard_csv(card)
    assert "15 of 19" not in text and "18 of 19" not in text and "19 people" not in text
    # One-to-ones: Helen has no line manager, so nothing of hers is in that figure to hide.
    assert got["one_to_ones"] == ("100%", False)


@pytest.mark.parametrize("department", ["Archives", "Libraries", "Museums", "Parks"])
def test_every_figure_follows_the_compliance_reports_decision(department: str) -> None:
    people = [
        *team(3, "Archives", 1),
        *team(6, "Libraries", 10, last_apr=None),
        *team(7, "Museums", 20),
        *team(12, "Parks", 40, live_objectives=0, rag={}),
    ]
    report = build_report(people, RULES, AS_OF, group_by=GroupBy.DEPARTMENT)
    row = next((g for g in report.groups if g.name == department), None)
    assert row is not None
    card = build_scorecard(people, RULES, AS_OF, department)
    for line in card.lines:
        if line.spec.key in COMPLIANCE_KEYS:
            share = row.shares[COMPLIANCE_KEYS[line.spec.key]]
            assert line.suppressed is share.suppressed, line.spec.key
    assert (card.headcount is None) is row.headcount_suppressed
    assert len(card.lines) == len(SPECS)


def test_extra_measures_get_complementary_suppression() -> None:
    # Archives: 3 people, so its objectives-on-track figure is hidden; Libraries has the next
    # fewest people behind that figure, so it is hidden too; Museums stays.
    people = [
        *team(3, "Archives", 1),
        *team(5, "Libraries", 10),
        *team(3, "Libraries", 15, live_objectives=0, rag={}),
        *team(7, "Museums", 20),
    ]
    by_department = {
        d: lines(build_scorecard(people, RULES, AS_OF, d))["objectives_on_track"][1]
        for d in ("Archives", "Libraries", "Museums")
    }
    assert by_department == {"Archives": True, "Libraries": True, "Museums": False}


def test_leavers_and_an_unknown_department() -> None:
    people = [*team(5, "Libraries", 1), person(9, "Libraries", left_on=AS_OF)]
    assert build_scorecard(people, RULES, AS_OF, "Libraries").headcount == 5
    empty = build_scorecard(people, RULES, AS_OF, "Nowhere")
    assert empty.headcount == 0
    assert all(line.value is None and not line.suppressed for line in empty.lines)
