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
