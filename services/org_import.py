"""Importing the org chart from HR's CSV export: parse, validate everything, then write once.

The file's columns::

    employee_id,name,email,manager_email,department,job_title,start_date[,aad_object_id][,roles]

Rows are upserted by ``employee_id``. A blank ``manager_email`` puts someone at the top. A
blank ``aad_object_id`` (or no such column) keeps whatever Charter already has, since the bot
learns it when someone first talks to it; without a ``roles`` column roles are kept too.
With ``full``, anyone in Charter but not in the file is marked as left (never deleted).

Every problem is reported with its line number (the header is line 1), and if there is any
problem nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from domain.csv_import import (
    ImportProblem,
    Progress,
    header_columns,
    read_header,
    read_rows,
)
from domain.people import KNOWN_ROLES, format_roles, normalise_email, parse_roles
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from services.import_audit import left_events, source_name
from storage.database import Database
from storage.employees import (
    EmployeeRecord,
    OrgChanges,
    apply_org_changes,
    load_employee_records,
    normalise_aad_object_id,
)

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

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

OrgProblem = ImportProblem  # a line number and a message, as every import reports


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


@dataclass
class OrgImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    marked_left: int = 0
    kept_erased: int = 0
    problems: list[OrgProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- parsing ----------------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD``, or the UK ``DD/MM/YYYY`` Excel likes; None if neither or not a real day."""
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := _UK_DATE.match(text):
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

    def get(name: str) -> str | None:
        return cells[columns[name]].strip() if name in columns else None

    def report(message: str) -> None:
        problems.append(OrgProblem(line, message))

    values = {name: get(name) for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)}
    for name in REQUIRED_VALUES:
        if values[name] == "":
            report(f"{name} is missing")
    for name, limit in MAX_LENGTHS.items():
        value = values[name]
        if value is not None and len(value) > limit:
            report(f"{name} is longer than {limit} characters")

    email = normalise_email(values["email"] or "")
    if email and not _EMAIL.match(email):
        report(f"email '{email}' is not an email address")
    manager_email = normalise_email(values["manager_email"] or "") or None
    if manager_email and not _EMAIL.match(manager_email):
        report(f"manager_email '{manager_email}' is not an email address")

    start_text = values["start_date"] or ""
    start_date = parse_date(start_text) if start_text else None
    if start_text and start_date is None:
        report(f"start_date '{start_text}' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)")

    aad = normalise_aad_object_id(values["aad_object_id"] or "") or None
    if aad and not _GUID.match(aad):
        report(
            f"aad_object_id '{aad}' is not an Azure AD object id "
            "(a GUID like 00000000-0000-0000-0000-000000000000)"
        )

    roles = parse_roles(values["roles"]) if values["roles"] is not None else None
    for role in sorted((roles or frozenset()) - KNOWN_ROLES):
        report(f"unknown role '{role}'; the known roles are {', '.join(sorted(KNOWN_ROLES))}")

    return OrgRow(
        line=line,
        employee_id=values["employee_id"] or "",
        name=values["name"] or "",
        email=email,
        manager_email=manager_email,
        department=values["department"] or "",
        job_title=values["job_title"] or "",
        start_date=start_date,
        aad_object_id=aad,
        roles=roles,
    )


# --- checks across rows and against what Charter already has ---------------------------------


def check_org(
    rows: Sequence[OrgRow],
    existing: Sequence[EmployeeRecord],
    *,
    full: bool,
    as_of: date,
) -> list[OrgProblem]:
    """Duplicates, emails and aad ids taken by others, unknown managers and reporting cycles.

    ``existing`` is a snapshot of everyone already in Charter, so this is pure and needs no
    database. Problems come back sorted by line.
    """
    org = _Org(rows, existing, full=full, as_of=as_of)
    problems = [*org.duplicate_ids(), *org.email_clashes(), *org.aad_clashes()]
    managers, manager_problems = org.resolve_managers()
    problems += manager_problems
    problems += org.cycles(managers)
    problems.sort(key=lambda problem: problem.line)
    return problems


class _Org:
    """The file's rows beside the stored employees, indexed for the checks."""

    def __init__(
        self,
        rows: Sequence[OrgRow],
        existing: Sequence[EmployeeRecord],
        *,
        full: bool,
        as_of: date,
    ) -> None:
        self.full = full
        self.as_of = as_of
        self.rows = rows
        self.by_id: dict[str, OrgRow] = {}  # first row for each employee_id
        for row in rows:
            if row.employee_id:
                self.by_id.setdefault(row.employee_id, row)
        self.existing = {record.employee_id: record for record in existing}
        # People in Charter the file does not mention: they keep their email, aad id, manager.
        self.others = [r for r in existing if r.employee_id not in self.by_id]
        self.others_by_email = {r.email: r for r in self.others}
        self.file_by_email: dict[str, OrgRow] = {}
        for row in rows:
            if row.email and row.employee_id in self.by_id:
                self.file_by_email.setdefault(row.email, row)

    def duplicate_ids(self) -> Iterable[OrgProblem]:
        for row in self.rows:
            first = self.by_id.get(row.employee_id)
            if first is not None and first is not row:
                yield OrgProblem(
                    row.line, f"employee_id {row.employee_id} is also on line {first.line}"
                )

    def email_clashes(self) -> Iterable[OrgProblem]:
        first_line: dict[str, int] = {}
        for row in self.rows:
            if not row.email or self.by_id.get(row.employee_id) is not row:
                continue  # no email, or a repeated employee_id (reported already)
            if row.email in first_line:
                yield OrgProblem(
                    row.line, f"email {row.email} is also on line {first_line[row.email]}"
                )
                continue
            first_line[row.email] = row.line
            holder = self.others_by_email.get(row.email)
            if holder is not None:
                yield OrgProblem(
                    row.line,
                    f"email {row.email} already belongs to {self._describe(holder)} in Charter, "
                    "who is not in this file; an email can belong to one employee only",
                )

    def aad_clashes(self) -> Iterable[OrgProblem]:
        # Who holds each aad id after the import, and on which line (None: not in the file).
        holders: dict[str, tuple[str, int | None]] = {
            r.aad_object_id: (r.employee_id, None) for r in self.others if r.aad_object_id
        }
        for row in self.by_id.values():
            kept = self.existing.get(row.employee_id)
            if row.aad_object_id is None and kept is not None and kept.aad_object_id:
                holders[kept.aad_object_id] = (row.employee_id, None)
        for row in self.rows:
            aad = row.aad_object_id
            if aad is None:
                continue
            holder = holders.get(aad)
            if holder is None:
                holders[aad] = (row.employee_id, row.line)
            elif holder[0] == row.employee_id:
                continue
            elif holder[1] is not None:
                yield OrgProblem(row.line, f"aad_object_id {aad} is also on line {holder[1]}")
            else:
                yield OrgProblem(row.line, self._aad_taken_message(aad, holder[0]))

    def _aad_taken_message(self, aad: str, employee_id: str) -> str:
        message = (
            f"aad_object_id {aad} already belongs to {self._describe(self.existing[employee_id])}"
        )
        if employee_id in self.by_id:
            line = self.by_id[employee_id].line
            return f"{message} (line {line} leaves aad_object_id blank, so Charter keeps it)"
        return f"{message} in Charter, who is not in this file"

    def resolve_managers(self) -> tuple[dict[str, str | None], list[OrgProblem]]:
        """Each file row's manager as an employee_id (None at the top), and the problems."""
        managers: dict[str, str | None] = {}
        problems: list[OrgProblem] = []
        old_emails = {
            record.email: record
            for employee_id, record in self.existing.items()
            if employee_id in self.by_id and self.by_id[employee_id].email != record.email
        }
        for row in self.by_id.values():
            email = row.manager_email
            if email is None or not _EMAIL.match(email):
                managers[row.employee_id] = None
                continue
            if email == row.email:
                problems.append(
                    OrgProblem(
                        row.line,
                        "manager_email is this person's own email: nobody can manage themselves",
                    )
                )
                continue
            if email in self.file_by_email:
                managers[row.employee_id] = self.file_by_email[email].employee_id
                continue
            other = self.others_by_email.get(email)
            if other is not None and not other.is_active(self.as_of):
                message = f"manager {email} is {self._describe(other)}, who left on {other.left_on}"
            elif other is not None and self.full:
                message = (
                    f"manager {email} is {self._describe(other)}, who is not in this file, so "
                    "this full import would mark them as left"
                )
            elif other is not None:
                managers[row.employee_id] = other.employee_id
                continue
            elif email in old_emails:
                record = old_emails[email]
                new_email = self.by_id[record.employee_id].email
                message = (
                    f"manager {email} is the old email of {record.employee_id} {record.name}; "
                    f"this file gives them {new_email}"
                )
            else:
                message = (
                    f"unknown manager {email}: nobody in this file or in Charter has that email"
                )
            problems.append(OrgProblem(row.line, message))
        return managers, problems

    def cycles(self, managers: dict[str, str | None]) -> Iterable[OrgProblem]:
        """A problem on each file line caught in a reporting cycle."""
        manager_of: dict[str, str | None] = {
            r.employee_id: r.manager_employee_id for r in self.others
        }
        manager_of.update(managers)
        for cycle in _find_cycles(manager_of):
            for position, employee_id in enumerate(cycle):
                row = self.by_id.get(employee_id)
                if row is not None:
                    chain = self._chain(cycle[position:] + cycle[:position])
                    yield OrgProblem(row.line, f"reporting cycle: {chain}")

    def _chain(self, cycle: list[str]) -> str:
        emails = [self._email_of(employee_id) for employee_id in cycle]
        if len(emails) > 6:
            emails = [*emails[:5], f"… ({len(cycle)} people)"]
        return " → ".join([*emails, self._email_of(cycle[0])])

    def _email_of(self, employee_id: str) -> str:
        row = self.by_id.get(employee_id)
        return row.email if row is not None else self.existing[employee_id].email

    @staticmethod
    def _describe(record: EmployeeRecord) -> str:
        return f"{record.employee_id} {record.name}"


def _find_cycles(manager_of: dict[str, str | None]) -> list[list[str]]:
    """Every cycle in a graph where each node has at most one manager, in linear time."""
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in manager_of:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done and node not in position:
            position[node] = len(path)
            path.append(node)
            node = manager_of.get(node)
        if node is not None and node in position:
            cycles.append(path[position[node] :])
        done.update(path)
    return cycles


# --- planning the writes ----------------------------------------------------------------------


@dataclass
class OrgPlan:
    """The writes for an import, and how many stored people it changes or leaves as they are."""

    changes: OrgChanges
    updated: int = 0
    unchanged: int = 0
    # Rows for people `charter erase` erased: left as they are, never restored from the file.
    kept_erased: int = 0


def plan_org_changes(
    rows: Sequence[OrgRow],
    existing: Sequence[EmployeeRecord],
    *,
    full: bool,
    as_of: date,
    demo: bool = False,
) -> OrgPlan:
    """What to write for rows that passed ``check_org``; unchanged rows are not written."""
    org = _Org(rows, existing, full=full, as_of=as_of)
    managers, _ = org.resolve_managers()
    changes = OrgChanges(existing_pks={r.employee_id: r.id for r in existing}, left_on=as_of)
    plan = OrgPlan(changes)
    for row in rows:
        record = org.existing.get(row.employee_id)
        if record is not None and record.erased:
            plan.kept_erased += 1
            continue
        manager = managers.get(row.employee_id)
        values = _column_values(row, record, demo)
        if record is None:
            changes.new_rows.append({"employee_id": row.employee_id, **values})
            if manager is not None:
                changes.managers.append((row.employee_id, manager))
            continue
        changed = any(getattr(record, name) != value for name, value in values.items())
        if changed:
            changes.changed_rows.append({"id": record.id, **values})
            if values["email"] != record.email:
                changes.release_email.append(record.id)
            if record.aad_object_id and values["aad_object_id"] != record.aad_object_id:
                changes.release_aad_object_id.append(record.id)
        if manager != record.manager_employee_id:
            changes.managers.append((row.employee_id, manager))
            changed = True
        if changed:
            plan.updated += 1
        else:
            plan.unchanged += 1
    if full:
        changes.left = [r.id for r in org.others if r.is_active(as_of)]
    return plan


def _column_values(row: OrgRow, record: EmployeeRecord | None, demo: bool) -> dict[str, Any]:
    aad = row.aad_object_id or (record.aad_object_id if record else None)
    kept_roles = record.roles if record else ""
    roles = format_roles(row.roles) if row.roles is not None else kept_roles
    return {
        "name": row.name,
        "email": row.email,
        "department": row.department,
        "job_title": row.job_title,
        "start_date": row.start_date,
        "aad_object_id": aad,
        "roles": roles,
        "left_on": None,
        "is_demo": demo,
    }


# --- the service ------------------------------------------------------------------------------

OrgSource = str | Path | IO[str] | IO[bytes]


async def import_org(
    database: Database,
    source: OrgSource,
    *,
    full: bool,
    as_of: date,
    progress: Progress | None = None,
    demo: bool = False,
    audit: AuditTrail | None = None,
) -> OrgImportResult:
    """Import an org file (a path, or an open text or binary stream) in one transaction.

    If ``result.problems`` is not empty, nothing was written. With ``audit``, one summary event
    and one event per person marked as left are written in the same transaction.
    """
    text, problem = read_text(source)
    if problem is not None:
        return OrgImportResult(problems=[problem])
    rows, problems = parse_org_csv(
        io.StringIO(text, newline=""), progress=progress, total_lines=text.count("\n")
    )
    result = OrgImportResult(rows=len(rows), problems=problems)
    async with database.transaction() as session:
        existing = await load_employee_records(session)
        result.problems = sorted(
            [*problems, *check_org(rows, existing, full=full, as_of=as_of)],
            key=lambda p: p.line,
        )
        if result.problems:
            return result
        plan = plan_org_changes(rows, existing, full=full, as_of=as_of, demo=demo)
        await apply_org_changes(session, plan.changes, progress=progress)
        result.created = len(plan.changes.new_rows)
        result.updated = plan.updated
        result.unchanged = plan.unchanged
        result.marked_left = len(plan.changes.left)
        result.kept_erased = plan.kept_erased
        if audit is not None:
            _audit_import(audit, session, result, plan.changes, source_name(source))
    return result


def _audit_import(
    audit: AuditTrail,
    session: AsyncSession,
    result: OrgImportResult,
    changes: OrgChanges,
    file_name: str,
) -> None:
    summary = AuditEvent(
        AuditAction.UPDATE,
        RecordType.EMPLOYEE,
        None,
        None,
        f"import of {file_name}: {result.created} added, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.marked_left} marked as left",
    )
    audit.note(session, None, summary, *left_events(changes.left, changes.left_on, file_name))


def read_text(source: OrgSource) -> tuple[str, OrgProblem | None]:
    """A CSV file's text without a byte-order mark, or the line where it stops being UTF-8."""
    if isinstance(source, str | Path):
        data: str | bytes = Path(source).read_bytes()
    else:
        data = source.read()
    try:
        text = data if isinstance(data, str) else data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        assert isinstance(data, bytes)  # only bytes are decoded
        line = data[: exc.start].count(b"\n") + 1
        return "", OrgProblem(
            line,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "in Excel, save it as 'CSV UTF-8 (Comma delimited)'",
        )
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        # A binary file, or UTF-16 text; nothing a database should store as a name or date.
        line = text[: text.index("\x00")].count("\n") + 1
        return "", OrgProblem(
            line,
            "the file contains a NUL character, so it is not a CSV text file; "
            "in Excel, save it as 'CSV UTF-8 (Comma delimited)'",
        )
    return text, None


# --- a minimal progress bar -------------------------------------------------------------------


class ProgressBar:
    """``[##########..........]  50%  25,000/50,000`` on one line of a terminal."""

    def __init__(self, stream: TextIO, *, width: int = 30, min_total: int = 2000) -> None:
        self.stream = stream
        self.width = width
        self.min_total = min_total  # smaller jobs finish too fast to need a bar
        self._last_percent = -1

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_total:
            return
        percent = min(100, done * 100 // total)
        if percent == self._last_percent:
            return
        self._last_percent = -1 if percent >= 100 else percent
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}%  {done:,}/{total:,}")
        if percent >= 100:
            self.stream.write("\n")
        self.stream.flush()


def progress_bar(stream: TextIO | None = None, *, force: bool = False) -> ProgressBar | None:
    """A progress bar on stderr if it is a terminal (or ``force``), else None."""
    stream = stream if stream is not None else sys.stderr
    if force or stream.isatty():
        return ProgressBar(stream)
    return None
