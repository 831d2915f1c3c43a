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

import io
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from domain.csv_import import Progress
from domain.import_audit import left_events, source_name
from domain.org_chart import OrgChanges
from domain.org_checks import OrgPlan, check_org, plan_org_changes
from domain.org_file import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    OrgProblem,
    OrgRow,
    parse_date,
    parse_org_csv,
)
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from storage.database import Database
from storage.employees import apply_org_changes, load_employee_records

# The file's rules live in the domain; these names are kept here for the importers that use them.
__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "OrgImportResult",
    "OrgPlan",
    "OrgProblem",
    "OrgRow",
    "OrgSource",
    "ProgressBar",
    "check_org",
    "import_org",
    "parse_date",
    "parse_org_csv",
    "plan_org_changes",
    "progress_bar",
    "read_text",
]


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
