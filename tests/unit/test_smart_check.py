from __future__ import annotations

from datetime import date

import pytest

from domain.smart_check import SmartFinding, is_vague_title, smart_check

TODAY = date(2026, 11, 23)
GOOD_TITLE = "Reduce the backlog of housing repair requests in the north area"
GOOD_MEASURE = "Backlog under 50 open requests"
GOOD_DATE = date(2027, 3, 31)


def codes(
    *,
    title: str = GOOD_TITLE,
    measure: str = GOOD_MEASURE,
    target_date: date | None = GOOD_DATE,
) -> list[str]:
    findings = smart_check(title=title, measure=measure, target_date=target_date, today=TODAY)
    return [finding.code for finding in findings]


def test_a_smart_objective_has_no_findings() -> None:
    assert codes() == []


@pytest.mark.parametrize(
    "title",
    [
        "Improve communication",
        "Be better at time management",
        "Work on my confidence",
        "Support the team",
        "Try to be more organised",
        "Continue to do my job well",
        "Improve communication with residents",
        "help with things",
        "Do better",
    ],
)
def test_vague_titles(title: str) -> None:
    assert is_vague_title(title)
    assert codes(title=title) == ["vague_title"]


@pytest.mark.parametrize(
    "title",
    [
        GOOD_TITLE,
        "Improve response times for housing repairs to 10 working days",
        "Support three apprentices through their level 3 qualification",
        "Improve the online booking journey for bulky waste collections",
        "Try to reduce sickness absence across the depot",
        "Launch the tenant satisfaction survey",
    ],
)
def test_specific_titles_are_not_vague(title: str) -> None:
    assert not is_vague_title(title)
    assert codes(title=title) == []


@pytest.mark.parametrize(
    "title", ["", "   ", "Budget", "Deliver budget", "Recruit two apprentices"]
)
def test_short_titles(title: str) -> None:
    assert codes(title=title) == ["too_short"]


@pytest.mark.parametrize("measure", ["", "  ", "done", "finished it", "Survey done"])
def test_missing_or_thin_measures(measure: str) -> None:
    assert codes(measure=measure) == ["no_measure"]


@pytest.mark.parametrize(
    "measure",
    ["90%", "Under 50", "Policy approved by cabinet", "Survey results published online"],
)
def test_measures_that_pass(measure: str) -> None:
    assert codes(measure=measure) == []


def test_no_date() -> None:
    assert codes(target_date=None) == ["no_date"]


def test_date_edges() -> None:
    assert codes(target_date=date(2026, 11, 22)) == ["date_in_past"]
    assert codes(target_date=TODAY) == []
    assert codes(target_date=date(2028, 5, 23)) == []  # exactly 18 months
    assert codes(target_date=date(2028, 5, 24)) == ["date_too_far"]


def test_findings_come_in_title_measure_date_order() -> None:
    assert codes(title="Improve communication", measure="", target_date=None) == [
        "vague_title",
        "no_measure",
        "no_date",
    ]


def test_messages_are_friendly_and_deterministic() -> None:
    first = smart_check(title="Do better", measure="", target_date=None, today=TODAY)
    second = smart_check(title="Do better", measure="", target_date=None, today=TODAY)
    assert first == second
    assert all(isinstance(f, SmartFinding) and f.message for f in first)
    no_measure = next(f for f in first if f.code == "no_measure")
    assert no_measure.message.startswith("How will you know it's done?")


def test_every_finding_has_a_message() -> None:
    findings = [
        *smart_check(title="Do better", measure="", target_date=None, today=TODAY),
        *smart_check(
            title="Deliver budget", measure="x", target_date=TODAY.replace(year=2020), today=TODAY
        ),
        *smart_check(
            title=GOOD_TITLE, measure=GOOD_MEASURE, target_date=date(2030, 1, 1), today=TODAY
        ),
    ]
    assert {f.code for f in findings} == {
        "vague_title",
        "too_short",
        "no_measure",
        "no_date",
        "date_in_past",
        "date_too_far",
    }
    assert all(f.message.endswith((".", "?")) for f in findings)
