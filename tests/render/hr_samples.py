"""The HR reports as the demo council shows them on 23 November 2026 (five departments; the
figures are those ``compliance`` and ``scorecard`` give on the seeded demo), and the #15 cards
that change in place: a digest with items acted on, and a form back with its problems."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from dialogs.nudges import views as nudge_views
from dialogs.objectives import views as objective_views
from dialogs.team import hr_report_views
from domain.compliance import ComplianceReport, GroupBy, GroupRow, Measure, Share
from domain.nudge_rules import NudgeKind
from domain.objective_drafts import FieldProblem
from domain.records import Choice
from domain.scorecard import DEFAULT_TARGETS, NOT_MEASURED, Scorecard, score_lines

TODAY = date(2026, 11, 23)

# Department: people; (met, total, people) for one-to-ones, APRs, RTW, objectives.
_DEPARTMENTS: dict[str, tuple[int, tuple[tuple[int, int, int], ...]]] = {
    "Whole council": (48, ((26, 42, 42), (36, 47, 47), (5, 5, 3), (42, 48, 48))),
    "Adult Social Care": (7, ((3, 6, 6), (5, 7, 7), (0, 0, 0), (6, 7, 7))),
    "Children's Services": (7, ((5, 6, 6), (5, 7, 7), (0, 0, 0), (6, 7, 7))),
    "Community Services": (19, ((10, 18, 18), (15, 18, 18), (5, 5, 3), (18, 19, 19))),
    "Corporate Resources": (8, ((4, 6, 6), (5, 8, 8), (0, 0, 0), (6, 8, 8))),
    "Planning and Regeneration": (7, ((4, 6, 6), (6, 7, 7), (0, 0, 0), (6, 7, 7))),
}

_NOTES = (
    "Figures for fewer than 5 people are hidden, so nobody can be singled out; when only one "
    "group in a column would be hidden, the next smallest is hidden too so the first can't be "
    "worked out from the council figure.",
    "Return to work: absences whose deadline fell between 23 Nov 2025 and 23 Nov 2026; held on "
    "the deadline counts as on time.",
    "New starters still inside their first one-to-one interval, and people in probation or "
    "not yet due an APR, are left out of those shares. Leavers are never counted.",
)


def _row(name: str) -> GroupRow:
    headcount, figures = _DEPARTMENTS[name]
    shares = {
        measure: Share(met, total, people, suppressed=people < 5)
        for measure, (met, total, people) in zip(Measure, figures, strict=True)
    }
    return GroupRow(name, headcount, shares)


def compliance_report() -> ComplianceReport:
    groups = tuple(_row(name) for name in _DEPARTMENTS if name != "Whole council")
    return ComplianceReport(
        TODAY, date(2025, 11, 23), GroupBy.DEPARTMENT, groups, _row("Whole council"), _NOTES
    )


def compliance_card() -> dict[str, Any]:
    link = "https://charter.demo-council.example/reports/compliance?t=demo"
    return hr_report_views.compliance_card(compliance_report(), report_link=link)


def scorecard_card() -> dict[str, Any]:
    figures = {
        "one_to_ones": (61.9, "26 of 42", False),
        "aprs": (76.6, "36 of 47", False),
        "objectives": (87.5, "42 of 48", False),
        "objectives_on_track": (76.7, "33 of 43 live objectives", False),
        "rtw": (None, "", True),
        "sickness_days": (0.92, "44 working days over 48 people", False),
        "trigger_points": (4.2, "2 of 48 people", False),
    }
    lines = score_lines(figures, DEFAULT_TARGETS)
    scorecard = Scorecard("Whole council", TODAY, 48, lines, NOT_MEASURED)
    return hr_report_views.scorecard_card(scorecard)


def _nudge(key: str, kind: NudgeKind, title: str, detail: str, subject: int) -> Any:
    return SimpleNamespace(
        digest_id=1, kind=kind, item_key=key, subject_id=subject, title=title, detail=detail,
        due_since=date(2026, 11, 16), escalated=False, created_at=datetime(2026, 11, 23, 9),
    )  # fmt: skip


def digest_card() -> dict[str, Any]:
    """A digest after Snooze on one item, with an objective opened to agree."""
    nudges = [
        _nudge("rtw:7", NudgeKind.RTW_DUE, "Return to work: Rhys Evans", "Back on 20 Nov", 13),
        _nudge("one_to_one:11", NudgeKind.ONE_TO_ONE_DUE, "One-to-one with Margaret Hughes",
               "Last held 70 days ago", 11),
        _nudge("objective:4", NudgeKind.OBJECTIVE_TO_AGREE,
               "Objective to agree: Run six digital skills sessions for older residents",
               "Added by Mei Ling Chen", 14),
    ]  # fmt: skip
    facts = [
        ("Objective", "Run six digital skills sessions for older residents"),
        ("Success looks like", "Six sessions held with at least 40 attendees in total"),
        ("Target date", "23 Mar 2027"),
        ("Council priority", "Supporting children and families"),
    ]
    return nudge_views.digest_part(
        nudges,
        {13: "D013", 11: "D011", 14: "D014"},
        "objective:4",
        outcomes={"one_to_one:11": "Snoozed by Priya until Monday 30 November"},
        review=facts,
    )


def objective_form_with_problems() -> dict[str, Any]:
    priorities = [Choice(1, "Supporting children and families"), Choice(2, "A greener borough")]
    problems = [
        FieldProblem("Give the objective a title.", "title"),
        FieldProblem("Choose the council priority it serves: that's the golden thread.",
                     "priority_id"),
    ]  # fmt: skip
    return objective_views.objective_form(
        priorities=priorities,
        plans=[],
        today=TODAY,
        values={"measure": "Six sessions held with at least 40 attendees in total"},
        problems=problems,
    )


def hr_cards() -> dict[str, dict[str, Any]]:
    return {
        "compliance": compliance_card(),
        "scorecard": scorecard_card(),
        "digest": digest_card(),
        "objective-form-problems": objective_form_with_problems(),
    }
