"""Reading HR's CSV files (domain.csv_import): header, columns and rows, each problem with its
line, nothing raised. No database."""

from __future__ import annotations

import csv
import io

from domain.csv_import import ImportProblem, header_columns, read_header, read_rows

KNOWN = ("employee_id", "email", "manager_id")


def test_an_empty_file_has_no_header_and_says_what_the_first_line_should_be() -> None:
    header, problems = read_header(csv.reader(io.StringIO("")), "employee_id,email")
    assert header is None
    assert [str(p) for p in problems] == [
        "line 1: the file has no header; the first line should be employee_id,email"
    ]


def test_a_blank_first_row_is_no_header() -> None:
    header, problems = read_header(csv.reader(io.StringIO(" , \n1,2\n")), "employee_id")
    assert header is None and problems[0].line == 1


def test_header_columns_are_case_blind_and_the_excel_byte_order_mark_is_ignored() -> None:
    columns, problems = header_columns(["\ufeffEmployee_ID ", "EMAIL"], KNOWN, "see README")
    assert columns == {"employee_id": 0, "email": 1}
    assert problems == []


def test_blank_repeated_and_unknown_columns_are_each_a_problem_on_line_1() -> None:
    _, problems = header_columns(["email", "", "email", "shoe_size"], KNOWN, "see README")
    assert problems == [
        ImportProblem(1, "column 2 of the header has no name"),
        ImportProblem(1, "column 'email' appears more than once in the header"),
        ImportProblem(1, "unknown column 'shoe_size'; see README"),
    ]


def _parse(
    line: int, cells: list[str], columns: dict[str, int], width: int, problems: list[ImportProblem]
) -> str | None:
    if len(cells) != width:
        problems.append(ImportProblem(line, f"{len(cells)} cells, expected {width}"))
        return None
    return cells[columns["email"]]


def test_rows_skip_blank_lines_and_report_problems_with_the_line_they_start_on() -> None:
    text = "employee_id,email\nE1,a@x\n,\nE2\n\nE3,c@x\n"
    rows_reader = csv.reader(io.StringIO(text))
    header, _ = read_header(rows_reader, "employee_id,email")
    assert header is not None
    columns, _ = header_columns(header, KNOWN, "")
    problems: list[ImportProblem] = []
    rows, last = read_rows(rows_reader, header, columns, _parse, problems)
    assert rows == ["a@x", "c@x"]
    assert problems == [ImportProblem(4, "1 cells, expected 2")]
    assert last == 6


def test_a_line_the_csv_module_cannot_read_ends_the_file_with_a_problem() -> None:
    text = 'employee_id,email\nE1,a@x\nE2,"b"@x\nE3,c@x\n'
    rows_reader = csv.reader(io.StringIO(text), strict=True)
    header, _ = read_header(rows_reader, "employee_id,email")
    assert header is not None
    columns, _ = header_columns(header, KNOWN, "")
    problems: list[ImportProblem] = []
    rows, _ = read_rows(rows_reader, header, columns, _parse, problems)
    assert rows == ["a@x"]  # the file ends at the line that cannot be read
    assert len(problems) == 1 and problems[0].line == 3
    assert problems[0].message.startswith("this line cannot be read as CSV")


def test_progress_is_reported_every_thousand_rows() -> None:
    text = "employee_id,email\n" + "".join(f"E{i},{i}@x\n" for i in range(2500))
    rows_reader = csv.reader(io.StringIO(text))
    header, _ = read_header(rows_reader, "")
    assert header is not None
    columns, _ = header_columns(header, KNOWN, "")
    seen: list[tuple[int, int]] = []
    rows, _ = read_rows(
        rows_reader,
        header,
        columns,
        _parse,
        [],
        progress=lambda done, total: seen.append((done, total)),
        total_lines=2501,
    )
    assert len(rows) == 2500
    assert seen == [(1001, 2501), (2001, 2501)]
