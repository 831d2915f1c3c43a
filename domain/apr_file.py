"""The file of APRs held before Charter (the previous system's CSV export), read and checked
without a database: each row cleaned, then checked against the people and APRs Charter has,
every problem with its line number (the header is line 1). Writing them is the import
service's.

The file's columns::

    employee_id,employee_email,held_on[,manager_email][,overall_comments]

A file may have ``employee_id``, ``employee_email`` or both; each row needs at least one, and
if a row gives both they must name the same person. ``held_on`` is ``YYYY-MM-DD`` or the UK
``DD/MM/YYYY``. ``manager_email`` is who held the review; blank (or no such column) means the
employee's current line manager.

An APR is identified by (employee, held_on): one Charter already has is left as it is, so the
same file can be imported again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.csv_import import (
    IDENTITY_COLUMNS,
    IdentityFile,
    ImportProblem,
    Report,
    describe_employee,
    employee_of,
    problem_reporter,
    read_identity_file,
)
from domain.org_chart import EmployeeRecord
from domain.org_file import parse_date
from domain.people import normalise_email

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

AprProblem = ImportProblem  # a line number and a message, as every import reports


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


# --- parsing ----------------------------------------------------------------------------------


_SHAPE = IdentityFile(
    first_line="employee_id,held_on",
    columns=COLUMNS,
    required=REQUIRED_COLUMNS,
    hint="the columns are employee_id and/or employee_email, held_on, and optionally "
    f"{', '.join(OPTIONAL_COLUMNS)}",
    max_lengths=MAX_LENGTHS,
)


def parse_apr_csv(text_stream: Iterable[str]) -> tuple[list[AprRow], list[AprProblem]]:
    """Parse and check each row on its own; ``check_aprs`` checks them against Charter."""
    return read_identity_file(text_stream, _SHAPE, _apr_row)


def _apr_row(line: int, values: dict[str, str], report: Report) -> AprRow:
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


def _manager_pk(
    row: AprRow,
    employee: EmployeeRecord | None,
    by_id: dict[str, EmployeeRecord],
    by_email: dict[str, EmployeeRecord],
    report: Report,
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
    held_on: date, employee: EmployeeRecord | None, as_of: date, report: Report
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
