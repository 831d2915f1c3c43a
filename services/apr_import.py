"""Importing APRs held before Charter, from the previous system's CSV export.

The file's columns::

    employee_id,employee_email,held_on[,manager_email][,overall_comments]

A file may have ``employee_id``, ``employee_email`` or both; each row needs at least one, and
if a row gives both they must name the same person. ``held_on`` is ``YYYY-MM-DD`` or the UK
``DD/MM/YYYY``. ``manager_email`` is who held the review; blank (or no such column) means the
employee's current line manager. Imported APRs are stored with ``source`` "import".

An APR is identified by (employee, held_on): one Charter already has is left as it is, so the
same file can be imported again. As with the org import, every problem is reported with its
line number (the header is line 1), and if there is any problem nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from domain.csv_import import header_columns, read_header, read_rows
from domain.import_audit import import_events, source_name
from domain.people import normalise_email
from services.audit import AuditTrail, RecordType
from services.org_import import OrgProblem, OrgSource, parse_date, read_text
from storage import aprs as repo
from storage.database import Database
from storage.employees import EmployeeRecord, load_employee_records

IDENTITY_COLUMNS = ("employee_id", "employee_email")
REQUIRED_COLUMNS = ("held_on",)
OPTIONAL_COLUMNS = ("manager_email", "overall_comments")
COLUMNS = (*IDENTITY_COLUMNS, *REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
# Column widths in storage.models (overall_comments: the limit the APR form applies).
MAX_LENGTHS = {
    "employee_id": 64,
    "employee_email": 320,
    "manager_email": 320,
    "overall_comments": 4000,
}
SOURCE = "import"

AprProblem = OrgProblem  # the same shape: a line number and a message


@dataclass(frozen=True)
class AprRow:
    """One data row of the file, cleaned: emails lower-cased, the date parsed (None if bad)."""

    line: int
    employee_id: str
    employee_email: str
    held_on: date | None
    manager_email: str
    overall_comments: str


@dataclass(frozen=True)
class PlannedApr:
    """An APR to write: a row that passed every check and is not in Charter yet."""

    line: int
    employee_pk: int
    manager_pk: int | None
    held_on: date
    overall_comments: str


@dataclass
class AprImportResult:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    problems: list[AprProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- parsing ----------------------------------------------------------------------------------


def parse_apr_csv(text_stream: Iterable[str]) -> tuple[list[AprRow], list[AprProblem]]:
    """Parse and check each row on its own; ``check_aprs`` checks them against Charter."""
    reader = csv.reader(text_stream)
    header, problems = read_header(reader, "employee_id,held_on")
    if header is None:
        return [], problems
    columns, problems = _read_header(header)
    if "held_on" not in columns or not any(name in columns for name in IDENTITY_COLUMNS):
        return [], problems  # without the columns, every row would only repeat the problem
    rows, _ = read_rows(reader, header, columns, _parse_row, problems)
    return rows, problems


def _read_header(header: list[str]) -> tuple[dict[str, int], list[AprProblem]]:
    columns, problems = header_columns(
        header,
        COLUMNS,
        "the columns are employee_id and/or employee_email, held_on, and optionally "
        f"{', '.join(OPTIONAL_COLUMNS)}",
    )
    if not any(name in columns for name in IDENTITY_COLUMNS):
        problems.append(
            AprProblem(1, "the header is missing column employee_id or employee_email (or both)")
        )
    if "held_on" not in columns:
        problems.append(AprProblem(1, "the header is missing column held_on"))
    return columns, problems


def _parse_row(
    line: int,
    cells: list[str],
    columns: dict[str, int],
    width: int,
    problems: list[AprProblem],
) -> AprRow | None:
    if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
        cells = cells[:width]  # trailing empty cells, as spreadsheets write them
    if len(cells) != width:
        problems.append(
            AprProblem(line, f"this row has {len(cells)} values but the header has {width} columns")
        )
        return None

    def get(name: str) -> str:
        return cells[columns[name]].strip() if name in columns else ""

    def report(message: str) -> None:
        problems.append(AprProblem(line, message))

    values = {name: get(name) for name in COLUMNS}
    if not values["employee_id"] and not values["employee_email"]:
        report("employee_id or employee_email is needed")
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            report(f"{name} is longer than {limit} characters")
    held_text = values["held_on"]
    held_on = parse_date(held_text) if held_text else None
    if not held_text:
        report("held_on is missing")
    elif held_on is None:
        report(f"held_on '{held_text}' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)")
    return AprRow(
        line=line,
        employee_id=values["employee_id"],
        employee_email=normalise_email(values["employee_email"]),
        held_on=held_on,
        manager_email=normalise_email(values["manager_email"]),
        overall_comments=values["overall_comments"],
    )


# --- checks against Charter -------------------------------------------------------------------


def check_aprs(
    rows: Sequence[AprRow],
    people: Sequence[EmployeeRecord],
    stored: set[tuple[int, date]],
    *,
    as_of: date,
) -> tuple[list[PlannedApr], int, list[AprProblem]]:
    """The APRs to write, how many Charter already has, and the problems, sorted by line.

    ``people`` is everyone in Charter (leavers too: their old APRs can be imported) and
    ``stored`` the (employee pk, held_on) of every APR Charter has, so this needs no database.
    """
    by_id = {p.employee_id: p for p in people}
    by_email = {p.email: p for p in people}
    planned: list[PlannedApr] = []
    unchanged = 0
    problems: list[AprProblem] = []
    first_line: dict[tuple[int, date], int] = {}
    for row in rows:
        report = problem_reporter(problems, row.line)
        employee = employee_of(row, by_id, by_email, report)
        manager_pk = _manager_pk(row, employee, by_id, by_email, report)
        held_on = row.held_on
        if held_on is not None:
            _check_date(held_on, employee, as_of, report)
        if employee is None or held_on is None:
            continue
        key = (employee.id, held_on)
        if key in first_line:
            report(
                f"an APR for {describe_employee(employee)} held on {held_on.isoformat()} "
                f"is also on line {first_line[key]}"
            )
            continue
        first_line[key] = row.line
        if key in stored:
            unchanged += 1
        else:
            planned.append(
                PlannedApr(row.line, employee.id, manager_pk, held_on, row.overall_comments)
            )
    problems.sort(key=lambda problem: problem.line)
    return planned, unchanged, problems


_Report = Callable[[str], None]


def problem_reporter(problems: list[AprProblem], line: int) -> _Report:
    return lambda message: problems.append(AprProblem(line, message))


def employee_of(
    row: AprRow,
    by_id: dict[str, EmployeeRecord],
    by_email: dict[str, EmployeeRecord],
    report: _Report,
) -> EmployeeRecord | None:
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


def _manager_pk(
    row: AprRow,
    employee: EmployeeRecord | None,
    by_id: dict[str, EmployeeRecord],
    by_email: dict[str, EmployeeRecord],
    report: _Report,
) -> int | None:
    if not row.manager_email:
        if employee is None or employee.manager_employee_id is None:
            return None
        return by_id[employee.manager_employee_id].id
    manager = by_email.get(row.manager_email)
    if manager is None:
        report(f"unknown manager_email {row.manager_email}: nobody in Charter has that email")
        return None
    if employee is not None and manager.id == employee.id:
        report("manager_email is the employee's own email: nobody can review themselves")
        return None
    return manager.id


def _check_date(
    held_on: date, employee: EmployeeRecord | None, as_of: date, report: _Report
) -> None:
    if held_on > as_of:
        report(f"held_on {held_on.isoformat()} is in the future")
    elif employee is not None and employee.start_date and held_on < employee.start_date:
        report(
            f"held_on {held_on.isoformat()} is before {describe_employee(employee)} started, "
            f"on {employee.start_date.isoformat()}"
        )
    elif employee is not None and employee.left_on and held_on > employee.left_on:
        report(
            f"held_on {held_on.isoformat()} is after {describe_employee(employee)} left, "
            f"on {employee.left_on.isoformat()}"
        )


def describe_employee(record: EmployeeRecord) -> str:
    return f"{record.employee_id} {record.name}"


# --- the service ------------------------------------------------------------------------------


async def import_aprs(
    database: Database,
    source: OrgSource,
    *,
    as_of: date,
    now: datetime | None = None,
    audit: AuditTrail | None = None,
) -> AprImportResult:
    """Import an APR file (a path, or an open text or binary stream) in one transaction.

    If ``result.problems`` is not empty, nothing was written. With ``audit``, one event per
    employee whose APRs were added is written in the same transaction.
    """
    text, problem = read_text(source)
    if problem is not None:
        return AprImportResult(problems=[problem])
    rows, problems = parse_apr_csv(io.StringIO(text, newline=""))
    result = AprImportResult(rows=len(rows), problems=problems)
    created_at = now or datetime.now(UTC)
    async with database.transaction() as session:
        people = await load_employee_records(session)
        stored = await repo.existing_import_keys(session)
        planned, unchanged, check_problems = check_aprs(rows, people, stored, as_of=as_of)
        result.problems = sorted([*problems, *check_problems], key=lambda p: p.line)
        if result.problems:
            return result
        for apr in planned:
            await repo.add_apr(
                session,
                employee_pk=apr.employee_pk,
                manager_pk=apr.manager_pk,
                held_on=apr.held_on,
                overall_comments=apr.overall_comments,
                leadership_themes=(),
                development_needs="",
                learning_needs="",
                reviews=(),
                source=SOURCE,
                now=created_at,
            )
        if audit is not None:
            written = ((apr.employee_pk, True) for apr in planned)
            audit.note(session, None, *import_events(RecordType.APR, written, source_name(source)))
    result.created = len(planned)
    result.unchanged = unchanged
    return result
