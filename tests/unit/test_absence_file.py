"""HR's absence file, row by row: pure, no database; every problem with its line."""

from __future__ import annotations

import io
from datetime import date

from domain.absence_file import AbsenceRow, parse_absence_csv, parse_bool

HEADER = (
    "employee_id,employee_email,start_date,end_date,absence_type,"
    "working_days_lost,disability_related"
)


def parse(*rows: str, header: str = HEADER) -> tuple[list[AbsenceRow], list[tuple[int, str]]]:
    found, problems = parse_absence_csv(io.StringIO("\n".join([header, *rows]) + "\n"))
    return found, [(p.line, p.message) for p in problems]


def test_a_clean_row_is_read_with_blank_optional_cells_as_not_given() -> None:
    rows, problems = parse("E1,Ann@Council.example,2026-03-02,05/03/2026,Sickness,,")
    assert problems == []
    assert rows == [
        AbsenceRow(
            line=2,
            employee_id="E1",
            employee_email="ann@council.example",
            start_date=date(2026, 3, 2),
            end_date=date(2026, 3, 5),
            dates_ok=True,
            absence_type="sickness",
            reason_category=None,
            working_days_lost=None,
            disability_related=None,
        )
    ]


def test_each_bad_cell_is_a_problem_on_its_line() -> None:
    rows, problems = parse(
        ",,2026-03-02,,sickness,,",
        "E2,,2026-02-30,,holiday,two,maybe",
        "E3,,2026-03-05,2026-03-01,other,1,yes",
        "E4,,,,,,",
    )
    assert problems == [
        (2, "employee_id or employee_email is needed"),
        (3, "start_date '2026-02-30' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)"),
        (3, "absence_type 'holiday' is not sickness or other"),
        (3, "working_days_lost 'two' is not a whole number of days (0 or more)"),
        (3, "disability_related 'maybe' is not true/false, yes/no or 1/0"),
        (
            4,
            "end_date 2026-03-01 is before start_date 2026-03-05; end_date is the last day absent",
        ),
        (5, "start_date is missing"),
        (5, "absence_type is missing; write sickness or other"),
    ]
    assert [row.dates_ok for row in rows] == [True, False, False, False]
    assert rows[2].disability_related is True and rows[2].working_days_lost == 1


def test_a_row_of_the_wrong_width_is_not_read() -> None:
    rows, problems = parse("E1,,2026-03-02", "E2,,2026-03-02,,other,,,,")
    assert problems == [(2, "this row has 3 values but the header has 7 columns")]
    assert [row.employee_id for row in rows] == ["E2"]


def test_without_a_way_to_name_the_employee_no_row_is_read() -> None:
    rows, problems = parse("2026-03-02,,sickness", header="start_date,end_date,absence_type")
    assert rows == []
    assert problems == [(1, "the header is missing column employee_id or employee_email (or both)")]


def test_yes_no_true_false_one_zero() -> None:
    assert [parse_bool(t) for t in ("Yes", " TRUE", "1", "no", "False", "0", "y")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        None,
    ]
