"""HR's org file, read row by row without a database: the columns, each row cleaned
(emails lower-cased, dates parsed) and every problem with its line number (the header is
line 1). Checks across rows and against Charter are :mod:`domain.org_checks`'.

The file's columns::

    employee_id,name,email,manager_email,department,job_title,start_date[,aad_object_id][,roles]
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from domain.csv_import import (
    ImportProblem,
    Progress,
    header_columns,
    read_header,
    read_rows,
)
from domain.org_chart import normalise_aad_object_id
from domain.people import KNOWN_ROLES, normalise_email, parse_roles

REQUIRED_COLUMNS = (
    "employee_id",
    "name",
    "email",
    "manager_email",
    "department",
    "job_title",
    "start_date",
)
OPTIONAL_COLUMNS = ("aad_object_id", "roles")
# Fields that must have a value (manager_email may be blank: that person is at the top).
REQUIRED_VALUES = ("employee_id", "name", "email", "department", "job_title", "start_date")
# Column widths in storage.models.Employee.
MAX_LENGTHS = {
    "employee_id": 64,
    "name": 200,
    "email": 320,
    "manager_email": 320,
    "department": 200,
    "job_title": 200,
    "aad_object_id": 64,
    "roles": 200,
}

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

OrgProblem = ImportProblem  # a line number and a message, as every import reports
# report(message): a problem on the row being read.
Reporter = Callable[[str], None]


@dataclass(frozen=True)
class OrgRow:
    """One data row of the file, cleaned: emails lower-cased, dates parsed.

    A row that has problems is still returned (with ``start_date`` None if the date was bad),
    so one bad row does not make every row that names it as manager fail too.
    """

    line: int
    employee_id: str
    name: str
    email: str
    manager_email: str | None
    department: str
    job_title: str
    start_date: date | None
    # None: blank or no such column, so Charter keeps the id it has.
    aad_object_id: str | None = None
    # None: no roles column, so Charter keeps the roles it has.
    roles: frozenset[str] | None = None


# --- parsing ----------------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD``, or the UK ``DD/MM/YYYY`` Excel likes; None if neither or not a real day."""
    if match := ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := UK_DATE.match(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_org_csv(
    text_stream: Iterable[str], *, progress: Progress | None = None, total_lines: int = 0
) -> tuple[list[OrgRow], list[OrgProblem]]:
    """Parse and check each row on its own; cross-row checks are ``check_org``'s job."""
    reader = csv.reader(text_stream)
    header, problems = read_header(reader, ",".join(REQUIRED_COLUMNS))
    if header is None:
        return [], problems
    columns, problems = _read_header(header)
    rows, line = read_rows(
        reader, header, columns, _parse_row, problems, progress=progress, total_lines=total_lines
    )
    if progress is not None:
        progress(line, line)
    if any(name not in columns for name in REQUIRED_COLUMNS):
        # Without every column, checks across rows would only repeat the header's problem.
        return [], problems
    return rows, problems


def _read_header(header: list[str]) -> tuple[dict[str, int], list[OrgProblem]]:
    columns, problems = header_columns(
        header,
        (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS),
        f"the columns are {', '.join(REQUIRED_COLUMNS)} "
        f"and optionally {', '.join(OPTIONAL_COLUMNS)}",
    )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        problems.append(OrgProblem(1, f"the header is missing column{plural} {', '.join(missing)}"))
    return columns, problems


def _parse_row(
    line: int,
    cells: list[str],
    columns: dict[str, int],
    width: int,
    problems: list[OrgProblem],
) -> OrgRow | None:
    if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
        cells = cells[:width]  # trailing empty cells, as spreadsheets write them
    if len(cells) != width:
        problems.append(
            OrgProblem(line, f"this row has {len(cells)} values but the header has {width} columns")
        )
        return None

    def report(message: str) -> None:
        problems.append(OrgProblem(line, message))

    values = {
        name: cells[columns[name]].strip() if name in columns else None
        for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    }
    _check_present_and_short(values, report)
    email = _email(values["email"], "email", report) or ""
    manager_email = _email(values["manager_email"], "manager_email", report)
    return OrgRow(
        line=line,
        employee_id=values["employee_id"] or "",
        name=values["name"] or "",
        email=email,
        manager_email=manager_email,
        department=values["department"] or "",
        job_title=values["job_title"] or "",
        start_date=_start_date(values["start_date"] or "", report),
        aad_object_id=_aad_object_id(values["aad_object_id"] or "", report),
        roles=_roles(values["roles"], report),
    )


def _check_present_and_short(values: dict[str, str | None], report: Reporter) -> None:
    for name in REQUIRED_VALUES:
        if values[name] == "":
            report(f"{name} is missing")
    for name, limit in MAX_LENGTHS.items():
        value = values[name]
        if value is not None and len(value) > limit:
            report(f"{name} is longer than {limit} characters")


def _email(text: str | None, column: str, report: Reporter) -> str | None:
    """The address lower-cased (None if blank), reported if it is not an email address."""
    email = normalise_email(text or "") or None
    if email and not EMAIL.match(email):
        report(f"{column} '{email}' is not an email address")
    return email


def _start_date(text: str, report: Reporter) -> date | None:
    start_date = parse_date(text) if text else None
    if text and start_date is None:
        report(f"start_date '{text}' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)")
    return start_date


def _aad_object_id(text: str, report: Reporter) -> str | None:
    aad = normalise_aad_object_id(text) or None
    if aad and not GUID.match(aad):
        report(
            f"aad_object_id '{aad}' is not an Azure AD object id "
            "(a GUID like 00000000-0000-0000-0000-000000000000)"
        )
    return aad


def _roles(text: str | None, report: Reporter) -> frozenset[str] | None:
    """The roles given (None: no roles column, so Charter keeps the ones it has)."""
    roles = parse_roles(text) if text is not None else None
    for role in sorted((roles or frozenset()) - KNOWN_ROLES):
        report(f"unknown role '{role}'; the known roles are {', '.join(sorted(KNOWN_ROLES))}")
    return roles
