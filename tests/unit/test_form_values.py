"""Card values as clients send them, hostile ones included: clean values or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from domain import form_values as form


@pytest.mark.parametrize(
    ("value", "expected"), [("  hi  ", "hi"), (None, ""), (5, ""), (["x"], ""), ({"a": 1}, "")]
)
def test_text(value: object, expected: str) -> None:
    assert form.text({"k": value}, "k") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), (" TRUE ", True), (True, True), ("false", False), ("yes", False), (1, False)],
)
def test_flag(value: object, expected: bool) -> None:
    assert form.flag({"k": value}, "k") is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-23", date(2026, 11, 23)),
        ("2026-11-23T00:00:00Z", date(2026, 11, 23)),
        ("23/11/2026", None),
        ("", None),
        (20261123, None),
    ],
)
def test_iso_date(value: object, expected: date | None) -> None:
    assert form.iso_date({"k": value}, "k") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, 7),
        ("7", 7),
        (" 12 ", 12),
        (True, None),
        (-1, None),
        ("1; DROP", None),
        (None, None),
        (1.5, None),
        ("²", None),  # isdigit() says yes; int() refuses it
        ("٣", None),  # Arabic-Indic three: int() would read it as 3
        ("\uff11\uff12", None),  # fullwidth digits
        (2**31 - 1, 2**31 - 1),
        (str(2**31 - 1), 2**31 - 1),
        (2**31, None),  # beyond PostgreSQL's INTEGER
        (2**63, None),
        ("9223372036854775808", None),
        ("1" * 400, None),
    ],
)
def test_record_id(value: object, expected: int | None) -> None:
    assert form.record_id(value) == expected


def test_comment_problem() -> None:
    assert form.comment_problem(None, 10) == (None, None)
    assert form.comment_problem("  ok  ", 10) == ("ok", None)
    assert form.comment_problem("   ", 10) == (None, "Your comment is empty.")
    assert form.comment_problem("x" * 11, 10) == (
        None,
        "Please keep your comment under 10 characters.",
    )


@pytest.mark.parametrize("priority", ["²", "٣", str(2**63)])
def test_an_apr_next_objective_with_an_odd_priority_id_is_a_problem_not_an_error(
    priority: str,
) -> None:
    from domain.apr_record import apr_from_form
    from domain.people import Person

    report = Person(
        7, "D013", "Rhys Evans", "r@x.example", "Libraries", "Assistant", date(2020, 1, 6)
    )
    values = {
        "held_on": "2026-11-20",
        "overall_comments": "A steady year",
        "next_1_title": "Run the reading challenge",
        "next_1_priority_id": priority,
    }
    _draft, problems = apr_from_form(values, [], report=report, today=date(2026, 11, 23))
    assert problems == ["Choose the council priority for next year's objective 1."]
