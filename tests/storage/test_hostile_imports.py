"""Broken CSV files for the three importers (org chart, absences, APRs), generated.

Each example starts from a file that imports cleanly (``test_the_clean_files_import`` shows
that) and breaks it in one or more ways HR's spreadsheets do: wrong encoding, missing or
duplicated headers, ragged rows, enormous cells, formula-injection cells, dates in the wrong
format, people Charter doesn't know, NUL bytes. A byte-order mark, CRLF line endings and
trailing blank lines are mixed in as decoration (on their own they are fine). Properties:
the import never raises, reports at least one problem, every problem names a line of the
file, and nothing is written (every table's row count is unchanged).
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from services.absence import AbsencePolicy
from services.absence_import import import_absences
from services.apr_import import import_aprs
from services.org_import import OrgProblem, import_org
from storage.database import Database
from storage.models import Base

AS_OF = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", '@HYPERLINK("http://x")', "=1+1"]
BAD_DATES = ["2026/13/45", "31-12-2026", "yesterday", "45/12/2026", "2026-02-30", "20261201"]


@dataclass(frozen=True)
class Importer:
    name: str
    header: list[str]
    rows: Callable[[int], list[list[str]]]
    date_columns: tuple[str, ...]
    person_column: str
    text_column: str
    run: Callable[[Database, io.BytesIO], Awaitable[list[OrgProblem]]]
    required: int  # the first columns of the header are required


def _org_rows(n: int) -> list[list[str]]:
    return [
        [
            f"N{i:03d}",
            f"New Starter {i}",
            f"new.starter{i}@demo-council.example",
            "priya.shah@demo-council.example",
            "Libraries",
            "Library Assistant",
            "2024-01-08",
        ]
        for i in range(n)
    ]


def _absence_rows(n: int) -> list[list[str]]:
    first = date(2026, 1, 5)  # a Monday; Rhys has no absences in the demo organisation
    return [
        [
            "D013",
            (first + timedelta(weeks=i)).isoformat(),
            (first + timedelta(weeks=i, days=1)).isoformat(),
            "sickness",
            "",
        ]
        for i in range(n)
    ]


def _apr_rows(n: int) -> list[list[str]]:
    return [
        ["D013", (date(2021, 5, 3) + timedelta(days=i)).isoformat(), "Met expectations"]
        for i in range(n)
    ]


async def _org(database: Database, source: io.BytesIO) -> list[OrgProblem]:
    return (await import_org(database, source, full=False, as_of=AS_OF)).problems


async def _absences(database: Database, source: io.BytesIO) -> list[OrgProblem]:
    result = await import_absences(database, source, as_of=AS_OF, policy=AbsencePolicy(), now=NOW)
    return result.problems


async def _aprs(database: Database, source: io.BytesIO) -> list[OrgProblem]:
    return (await import_aprs(database, source, as_of=AS_OF, now=NOW)).problems


IMPORTERS = [
    Importer(
        "org",
        ["employee_id", "name", "email", "manager_email", "department", "job_title", "start_date"],
        _org_rows,
        ("start_date",),
        "manager_email",
        "name",
        _org,
        7,
    ),
    Importer(
        "absences",
        ["employee_id", "start_date", "end_date", "absence_type", "reason_category"],
        _absence_rows,
        ("start_date", "end_date"),
        "employee_id",
        "reason_category",
        _absences,
        4,
    ),
    Importer(
        "aprs",
        ["employee_id", "held_on", "overall_comments"],
        _apr_rows,
        ("held_on",),
        "employee_id",
        "overall_comments",
        _aprs,
        2,
    ),
]
BREAKERS = [
    "latin1",
    "missing_header",
    "duplicate_header",
    "ragged",
    "over_csv_limit",
    "over_column_width",
    "bad_date",
    "unknown_person",
    "formula_in_date",
    "nul",
    "unclosed_quote",
    "empty_file",
]


@dataclass(frozen=True)
class BrokenFile:
    data: bytes
    lines: int
    breakers: tuple[str, ...]


def _render(header: list[str], rows: list[list[str]], newline: str) -> str:
    def cell(value: str) -> str:
        if any(ch in value for ch in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(",".join(cell(v) for v in line) + newline for line in [header, *rows])


@st.composite
def broken_files(draw: st.DrawFn, importer: Importer) -> BrokenFile:
    header = list(importer.header)
    rows = importer.rows(draw(st.integers(1, 6)))
    breakers = tuple(draw(st.lists(st.sampled_from(BREAKERS), min_size=1, max_size=3, unique=True)))

    def target_row() -> list[str]:
        return rows[draw(st.integers(0, len(rows) - 1))]

    def column(name: str) -> int:
        return header.index(name) if name in header else 0

    def put(index: int, value: str) -> None:
        row = target_row()
        row[min(index, len(row) - 1)] = value

    prefix, suffix, encoding = "", "", "utf-8"
    for breaker in breakers:
        if breaker == "latin1":
            put(column(importer.text_column), "Caf\u00e9 na\u00efve")
            encoding = "latin-1"
        elif breaker == "missing_header":
            drop = header.index(draw(st.sampled_from(importer.header[: importer.required])))
            header.pop(drop)
            for row in rows:
                if len(row) > drop:
                    row.pop(drop)
        elif breaker == "duplicate_header":
            header.append(header[draw(st.integers(0, len(header) - 1))])
            for row in rows:
                row.append("x")
        elif breaker == "ragged":
            row = target_row()
            if draw(st.booleans()) and len(row) > 1:
                row.pop()
            else:
                row.append("surplus")
        elif breaker == "over_csv_limit":
            put(column(importer.text_column), "y" * 140_000)
        elif breaker == "over_column_width":
            put(column(importer.person_column), "z" * 400)
        elif breaker == "bad_date":
            put(
                column(draw(st.sampled_from(importer.date_columns))),
                draw(st.sampled_from(BAD_DATES)),
            )
        elif breaker == "unknown_person":
            who = importer.person_column
            put(column(who), "nobody@elsewhere.example" if who.endswith("email") else "X999")
        elif breaker == "formula_in_date":
            put(column(importer.date_columns[0]), draw(st.sampled_from(FORMULAS)))
        elif breaker == "nul":
            put(column(importer.text_column), "before\x00after")
        elif breaker == "unclosed_quote":
            suffix += '"D013,2026-01-01\n'
    # Decoration: harmless on its own.
    if draw(st.booleans()):
        prefix = "\ufeff"
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    if draw(st.booleans()):
        suffix += newline * 3
    body = "" if "empty_file" in breakers else _render(header, rows, newline)
    text = prefix + body + suffix
    data = text.encode(encoding, errors="replace")
    return BrokenFile(data, text.count("\n") + 1, breakers)


async def _row_counts(database: Database) -> dict[str, int]:
    counts = {}
    async with database.sessions() as session:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(
                await session.scalar(select(func.count()).select_from(table)) or 0
            )
    return counts


async def _check(database: Database, importer: Importer, broken: BrokenFile) -> None:
    before = await _row_counts(database)
    problems = await importer.run(database, io.BytesIO(broken.data))
    assert problems, f"{importer.name} accepted a file broken by {broken.breakers}"
    for problem in problems:
        assert 1 <= problem.line <= broken.lines, (problem, broken.lines)
        assert str(problem).startswith(f"line {problem.line}: ")
        assert "Traceback" not in problem.message
    assert await _row_counts(database) == before, f"{importer.name} wrote part of a broken file"


@EXAMPLES
@given(data=st.data())
async def test_broken_org_files_report_problems_and_write_nothing(
    demo_org: Database, data: st.DataObject
) -> None:
    await _check(demo_org, IMPORTERS[0], data.draw(broken_files(IMPORTERS[0])))


@EXAMPLES
@given(data=st.data())
async def test_broken_absence_files_report_problems_and_write_nothing(
    demo_org: Database, data: st.DataObject
) -> None:
    await _check(demo_org, IMPORTERS[1], data.draw(broken_files(IMPORTERS[1])))


@EXAMPLES
@given(data=st.data())
async def test_broken_apr_files_report_problems_and_write_nothing(
    demo_org: Database, data: st.DataObject
) -> None:
    await _check(demo_org, IMPORTERS[2], data.draw(broken_files(IMPORTERS[2])))


async def test_the_clean_files_import(demo_org: Database) -> None:
    """The unbroken files do import, so the problems above come from the breakage."""
    for importer in IMPORTERS:
        text = _render(importer.header, importer.rows(3), "\r\n")
        before = await _row_counts(demo_org)
        problems = await importer.run(demo_org, io.BytesIO(("\ufeff" + text).encode()))
        assert problems == [], (importer.name, problems)
        assert await _row_counts(demo_org) != before, importer.name
