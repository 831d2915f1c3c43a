"""The APR file's rules, checked without a database: rows cleaned, then checked against the
people and APRs Charter has, every problem with its line."""

from __future__ import annotations

import io
from datetime import date

from domain.apr_file import AprRow, PlannedApr, check_aprs, parse_apr_csv
from domain.org_chart import EmployeeRecord

AS_OF = date(2026, 11, 23)
DANA = EmployeeRecord(1, "E1", "Dana Boss", "dana@council.example", start_date=date(2010, 1, 4))
SAM = EmployeeRecord(2, "E2", "Sam Staff", "sam@council.example", "E1", start_date=date(2020, 1, 6))
PEOPLE = (DANA, SAM)


def parse(
    *rows: str, header: str = "employee_id,employee_email,held_on,manager_email"
) -> tuple[list[AprRow], list[tuple[int, str]]]:
    found, problems = parse_apr_csv(io.StringIO("\n".join([header, *rows]) + "\n"))
    return found, [(p.line, p.message) for p in problems]


def test_a_clean_row_is_read_with_emails_lower_cased_and_trailing_cells_dropped() -> None:
    rows, problems = parse("E2, Sam@Council.Example ,06/03/2025,,,")
    assert problems == []
    assert rows == [AprRow(2, "E2", "sam@council.example", date(2025, 3, 6), "", "")]


def test_a_header_without_identity_or_date_reads_no_rows() -> None:
    rows, problems = parse("x", header="name,held")
    assert rows == []
    assert [line for line, _ in problems] == [1, 1, 1, 1]
    assert problems[-2:] == [
        (1, "the header is missing column employee_id or employee_email (or both)"),
        (1, "the header is missing column held_on"),
    ]


def test_each_bad_cell_is_a_problem_on_its_line() -> None:
    rows, problems = parse(",,2025-03-06,", "E2,,2025-02-30,", "E2,,,", "E2,,2025-03-06")
    assert problems == [
        (2, "employee_id or employee_email is needed"),
        (3, "held_on '2025-02-30' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)"),
        (4, "held_on is missing"),
        (5, "this row has 3 values but the header has 4 columns"),
    ]
    assert [row.line for row in rows] == [2, 3, 4]


def test_checks_against_charter_plan_new_aprs_and_count_those_it_has() -> None:
    rows, _ = parse(
        "E2,,2025-03-06,",
        "E2,,2024-03-06,",
        ",dana@council.example,2025-04-01,sam@council.example",
    )
    planned, unchanged, problems = check_aprs(
        rows, PEOPLE, {(SAM.id, date(2024, 3, 6))}, as_of=AS_OF
    )
    assert problems == []
    assert unchanged == 1
    assert planned == [
        PlannedApr(2, SAM.id, DANA.id, date(2025, 3, 6), ""),
        PlannedApr(4, DANA.id, SAM.id, date(2025, 4, 1), ""),
    ]


def test_checks_against_charter_report_every_problem_by_line() -> None:
    rows, _ = parse(
        "E9,,2025-03-06,",
        "E2,dana@council.example,2025-03-06,",
        "E2,,2027-01-01,",
        "E2,,2019-01-01,",
        "E2,,2025-03-06,sam@council.example",
        "E2,,2025-05-06,",
        "E2,,2025-05-06,nobody@council.example",
    )
    planned, unchanged, problems = check_aprs(rows, PEOPLE, set(), as_of=AS_OF)
    assert [(p.line, p.message) for p in problems] == [
        (2, "unknown employee_id E9: nobody in Charter has that employee_id"),
        (
            3,
            "employee_id E2 is Sam Staff but employee_email dana@council.example is "
            "E1 Dana Boss; they must be one person",
        ),
        (4, "held_on 2027-01-01 is in the future"),
        (5, "held_on 2019-01-01 is before E2 Sam Staff started, on 2020-01-06"),
        (6, "manager_email is the employee's own email: nobody can review themselves"),
        (8, "unknown manager_email nobody@council.example: nobody in Charter has that email"),
        (8, "an APR for E2 Sam Staff held on 2025-05-06 is also on line 7"),
    ]
    # Nothing is written when there is any problem; the rows that name someone are planned.
    assert [apr.line for apr in planned] == [4, 5, 6, 7] and unchanged == 0
