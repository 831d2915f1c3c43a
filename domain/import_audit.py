"""Audit events for the CSV imports and the exports: one per person whose records were written
or sent out, so ``charter audit --employee X`` shows every import and export that touched X.

Events are built here and noted by the caller in its own transaction (``AuditTrail.note``):
one bulk insert with the import's writes, or one small transaction before an export leaves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from domain.audit import AuditAction, AuditEvent, RecordType


def source_name(source: object) -> str:
    """The file name of an import's source (a path, or an open file), for the event detail."""
    if isinstance(source, str | Path):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) and name else "a stream"


def import_events(
    record_type: RecordType, written: Iterable[tuple[int, bool]], file_name: str
) -> list[AuditEvent]:
    """One event per employee from ``(employee_pk, is_new)`` per record written.

    The action is ``create`` when any of that person's records was added, otherwise
    ``update``; the detail gives the counts and the file.
    """
    added: Counter[int] = Counter()
    updated: Counter[int] = Counter()
    for employee_pk, is_new in written:
        (added if is_new else updated)[employee_pk] += 1
    events = []
    for employee_pk in sorted(added.keys() | updated.keys()):
        counts = [f"{added[employee_pk]} added"] if added[employee_pk] else []
        counts += [f"{updated[employee_pk]} updated"] if updated[employee_pk] else []
        events.append(
            AuditEvent(
                AuditAction.CREATE if added[employee_pk] else AuditAction.UPDATE,
                record_type,
                employee_pk,
                None,
                f"import of {file_name}: {', '.join(counts)}",
            )
        )
    return events


def left_events(employee_pks: Iterable[int], left_on: object, file_name: str) -> list[AuditEvent]:
    """One event per person an org import marked as having left."""
    return [
        AuditEvent(
            AuditAction.UPDATE,
            RecordType.EMPLOYEE,
            pk,
            pk,
            f"import of {file_name}: marked as left on {left_on}",
        )
        for pk in employee_pks
    ]


def export_events(
    record_type: str, rows_by_subject: Mapping[int, int], summary: str
) -> list[AuditEvent]:
    """One event per person included in an export, after the export's summary event."""
    return [
        AuditEvent(AuditAction.EXPORT, record_type, None, None, summary),
        *(
            AuditEvent(
                AuditAction.EXPORT,
                record_type,
                pk,
                None,
                f"{rows} row{'s' if rows != 1 else ''} in an export of {summary}",
            )
            for pk, rows in sorted(rows_by_subject.items())
        ),
    ]
