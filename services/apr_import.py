"""Importing APRs held before Charter, from the previous system's CSV export: the file is
read and checked by the rules in :mod:`domain.apr_file` against what Charter has, and written
in one transaction with its audit events. Imported APRs are stored with ``source`` "import".

As with the org import, every problem is reported with its line number (the header is line 1),
and if there is any problem nothing is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from domain.apr_file import SOURCE, AprProblem, check_aprs, parse_apr_csv
from domain.import_audit import import_events, source_name
from services.audit import AuditTrail, RecordType
from services.org_import import OrgSource, read_text
from storage import aprs as repo
from storage.database import Database
from storage.employees import load_employee_records


@dataclass
class AprImportResult:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    problems: list[AprProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


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
