"""Reading HR's CSV files, the same way for every import (org chart, APRs, absences): the
header, then each row, every problem with its line number and nothing raised."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

Row = TypeVar("Row")
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
