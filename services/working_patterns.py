"""HR sets the days someone works, for absence rules: `charter pattern set|clear`.

The pattern decides which days of an absence are working days lost and when a return-to-work
conversation falls due. Someone without a pattern of their own follows the configured default
(``CHARTER_WORKING_PATTERN``). Setting a pattern changes no stored figures: absences already
counted keep the working days they were counted with.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.working_days import WorkingPattern
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from storage import absence_reports as repo
from storage.database import Database


class PatternError(ValueError):
    """Safe to show: why the pattern was not set."""


@dataclass(frozen=True)
class PatternChange:
    employee_id: str
    name: str
    pattern: WorkingPattern | None  # None: back to the default

    def describe(self, default: str) -> str:
        if self.pattern is None:
            fallback = WorkingPattern.parse(default)
            return (
                f"working pattern for {self.name} ({self.employee_id}): back to the default, "
                f"{fallback.describe()} ({fallback.to_text()})"
            )
        return (
            f"working pattern for {self.name} ({self.employee_id}): "
            f"{self.pattern.describe()} ({self.pattern.to_text()})"
        )


async def set_pattern(
    database: Database, email: str, text: str | None, *, audit: AuditTrail | None = None
) -> PatternChange:
    """Give the employee with this email a working pattern, or clear it with ``text`` None.

    Raises ``PatternError`` for a pattern that cannot be read or an unknown email. With an
    ``audit`` trail, the change is audited in the same transaction.
    """
    pattern = None
    if text is not None:
        try:
            pattern = WorkingPattern.parse(text)
        except ValueError as error:
            raise PatternError(str(error)) from error
    async with database.transaction() as session:
        holder = await repo.set_working_pattern(
            session, email, pattern.to_text() if pattern is not None else ""
        )
        if holder is not None and audit is not None:
            audit.note(
                session,
                None,
                AuditEvent(
                    AuditAction.UPDATE,
                    RecordType.WORKING_PATTERN,
                    holder.id,
                    holder.id,
                    f"pattern: {holder.working_pattern or 'default'}",
                ),
            )
    if holder is None:
        raise PatternError(f"nobody in Charter has the email {email.strip()}")
    return PatternChange(holder.employee_id, holder.name, pattern)
