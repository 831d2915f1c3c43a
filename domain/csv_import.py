"""Reading HR's CSV files, the same way for every import (org chart, APRs, absences): the
header, then each row, every problem with its line number and nothing raised; and, for the
files that name people by employee_id and/or employee_email (APRs, absences), how a row's
cells are read and whom a row names."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from domain.org_chart import EmployeeRecord

Row = TypeVar("Row")
IDENTITY_COLUMNS = ("employee_id", "employee_email")
# report(message): a problem on the row being read or checked.
Report = Callable[[str], None]
# progress(done, total): called as the file is read, then as rows are written; each phase
# counts from 0 and ends with one call where done == total.
Progress = Callable[[int, int], None]


class CsvReader(Protocol):
    """What ``csv.reader`` returns: rows, and the line the last one ended on."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


# parse_row(first line of the row, cells, columns, header width, problems) -> row or None
RowParser = Callable[[int, list[str], dict[str, int], int, list[ImportProblem]], Row | None]


def read_header(reader: CsvReader, first_line: str) -> tuple[list[str] | None, list[ImportProblem]]:
    """The header row, or None with the problem (unreadable, or no header at all)."""
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return None, [ImportProblem(1, f"the header cannot be read as CSV: {exc}")]
    if header is None or not any(cell.strip() for cell in header):
        return None, [
            ImportProblem(1, f"the file has no header; the first line should be {first_line}")
        ]
    return header, []


def header_columns(
    header: list[str], known: Sequence[str], unknown_hint: str
) -> tuple[dict[str, int], list[ImportProblem]]:
    """Column name -> index for the known columns; blank, repeated and unknown names are
    problems (``unknown_hint`` says what the columns are)."""
    problems: list[ImportProblem] = []
    columns: dict[str, int] = {}
    names = [cell.strip().lower() for cell in header]
    if names:
        names[0] = names[0].lstrip("\ufeff").strip()
    for index, name in enumerate(names):
        if not name:
            problems.append(ImportProblem(1, f"column {index + 1} of the header has no name"))
        elif name in columns:
            problems.append(
                ImportProblem(1, f"column '{name}' appears more than once in the header")
            )
        elif name not in known:
            problems.append(ImportProblem(1, f"unknown column '{name}'; {unknown_hint}"))
        else:
            columns[name] = index
    return columns, problems


def read_rows(
    reader: CsvReader,
    header: list[str],
    columns: dict[str, int],
    parse_row: RowParser[Row],
    problems: list[ImportProblem],
    *,
    progress: Progress | None = None,
    total_lines: int = 0,
) -> tuple[list[Row], int]:
    """Every data row parsed (blank rows skipped), and the last line read; a line the csv
    module cannot read ends the file with a problem."""
    rows: list[Row] = []
    line = 1
    try:
        for count, cells in enumerate(reader, start=1):
            start, line = line + 1, reader.line_num
            if progress is not None and count % 1000 == 0 and line < total_lines:
                progress(line, total_lines)
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or an empty spreadsheet row of commas
            row = parse_row(start, cells, columns, len(header), problems)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        problems.append(ImportProblem(line + 1, f"this line cannot be read as CSV: {exc}"))
    return rows, line


# --- files that name people by employee_id and/or employee_email -------------------------------


@dataclass(frozen=True)
class IdentityFile:
    """The shape of a file whose rows name people by employee_id and/or employee_email."""

    first_line: str  # the header to suggest when there is none
    columns: Sequence[str]  # every known column, identity columns first
    required: Sequence[str]  # needed besides an identity column
    hint: str  # what the columns are, for an unknown one
    max_lengths: Mapping[str, int]


# read_values(line, the row's cells by column name, report) -> the row
ValuesReader = Callable[[int, dict[str, str], Report], Row]


def read_identity_file(
    text_stream: Iterable[str], shape: IdentityFile, read_values: ValuesReader[Row]
) -> tuple[list[Row], list[ImportProblem]]:
    """Every row read by ``read_values`` after the checks all such files share: the header
    (an identity column and the required ones; without them no row is read, as each would only
    repeat the problem), each row as wide as the header, naming someone, no cell too long."""
    reader = csv.reader(text_stream)
    header, problems = read_header(reader, shape.first_line)
    if header is None:
        return [], problems
    columns, problems = header_columns(header, shape.columns, shape.hint)
    has_identity = any(name in columns for name in IDENTITY_COLUMNS)
    if not has_identity:
        missing = "the header is missing column employee_id or employee_email (or both)"
        problems.append(ImportProblem(1, missing))
    missing_columns = [name for name in shape.required if name not in columns]
    if missing_columns:
        plural = "s" if len(missing_columns) > 1 else ""
        names = ", ".join(missing_columns)
        problems.append(ImportProblem(1, f"the header is missing column{plural} {names}"))
    if missing_columns or not has_identity:
        return [], problems

    def parse_row(
        line: int, cells: list[str], columns: dict[str, int], width: int, found: list[ImportProblem]
    ) -> Row | None:
        values = _row_values(line, cells, columns, width, shape, found)
        return None if values is None else read_values(line, values, problem_reporter(found, line))

    rows, _ = read_rows(reader, header, columns, parse_row, problems)
    return rows, problems


def _row_values(
    line: int,
    cells: list[str],
    columns: Mapping[str, int],
    width: int,
    shape: IdentityFile,
    problems: list[ImportProblem],
) -> dict[str, str] | None:
    """The row's cells by column name, stripped ("" for a column the file lacks), or None with
    the problem if the row is not as wide as the header. A row naming nobody (no employee_id
    and no employee_email) and cells longer than their limit are problems too."""
    if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
        cells = cells[:width]  # trailing empty cells, as spreadsheets write them
    if len(cells) != width:
        problems.append(
            ImportProblem(
                line, f"this row has {len(cells)} values but the header has {width} columns"
            )
        )
        return None
    values = {
        name: cells[columns[name]].strip() if name in columns else "" for name in shape.columns
    }
    report = problem_reporter(problems, line)
    if not values["employee_id"] and not values["employee_email"]:
        report("employee_id or employee_email is needed")
    for name, limit in shape.max_lengths.items():
        if len(values[name]) > limit:
            report(f"{name} is longer than {limit} characters")
    return values


def problem_reporter(problems: list[ImportProblem], line: int) -> Report:
    return lambda message: problems.append(ImportProblem(line, message))


class NamesEmployee(Protocol):
    """A row that names its employee by employee_id and/or employee_email."""

    @property
    def employee_id(self) -> str: ...

    @property
    def employee_email(self) -> str: ...


def employee_of(
    row: NamesEmployee,
    by_id: Mapping[str, EmployeeRecord],
    by_email: Mapping[str, EmployeeRecord],
    report: Report,
) -> EmployeeRecord | None:
    """The person the row names, or None with the problem (nobody, or id and email naming
    two people)."""
    found_by_id = by_id.get(row.employee_id) if row.employee_id else None
    found_by_email = by_email.get(row.employee_email) if row.employee_email else None
    if row.employee_id and row.employee_email:
        if found_by_id is None and found_by_email is None:
            report(
                f"unknown employee: nobody in Charter has employee_id {row.employee_id} "
                f"or email {row.employee_email}"
            )
        elif found_by_id is None:
            assert found_by_email is not None
            report(
                f"unknown employee_id {row.employee_id}; employee_email {row.employee_email} "
                f"is {describe_employee(found_by_email)}"
            )
        elif found_by_email is None:
            report(
                f"employee_email {row.employee_email} is not the email of "
                f"{describe_employee(found_by_id)}, which is {found_by_id.email}"
            )
        elif found_by_id.id != found_by_email.id:
            report(
                f"employee_id {row.employee_id} is {found_by_id.name} but employee_email "
                f"{row.employee_email} is {describe_employee(found_by_email)}; they must be one "
                "person"
            )
        else:
            return found_by_id
        return None
    if row.employee_id and found_by_id is None:
        report(f"unknown employee_id {row.employee_id}: nobody in Charter has that employee_id")
    if row.employee_email and found_by_email is None:
        report(f"unknown employee_email {row.employee_email}: nobody in Charter has that email")
    return found_by_id or found_by_email


def describe_employee(record: EmployeeRecord) -> str:
    return f"{record.employee_id} {record.name}"
