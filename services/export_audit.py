"""Auditing an export before its data leaves Charter (`charter export …`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from domain.import_audit import export_events
from services.audit import AuditTrail
from storage.database import Database
from storage.employees import ids_by_email


async def audit_export(
    database: Database,
    audit: AuditTrail,
    record_type: str,
    rows: Sequence[Mapping[str, object]],
    detail: str = "",
) -> None:
    """One summary event and one event per person with rows in the export (so `charter
    audit --employee` shows it), written together in one transaction."""
    per_email = Counter(str(row.get("employee_email") or "") for row in rows)
    async with database.sessions() as session:
        ids = await ids_by_email(session, [email for email in per_email if email])
    by_subject = Counter({ids[email]: n for email, n in per_email.items() if email in ids})
    summary = f"{record_type}: {len(rows)} rows" + (f"; {detail}" if detail else "")
    await audit.record(None, *export_events(record_type, by_subject, summary))
