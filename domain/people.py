"""Who someone is to Charter: an employee in the org chart, with roles derived from it.

Plain rules, no Bot Framework and no database: a manager is anyone with active direct
reports; an HR admin is anyone HR gave the ``hr_admin`` role in the org file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Role(StrEnum):
    HR_ADMIN = "hr_admin"


KNOWN_ROLES: frozenset[str] = frozenset(r.value for r in Role)


def parse_roles(text: str | None) -> frozenset[str]:
    """Parse the org file's ``;``-separated roles column (case and spaces forgiven)."""
    if not text:
        return frozenset()
    return frozenset(part.strip().lower() for part in text.split(";") if part.strip())


def format_roles(roles: frozenset[str] | set[str]) -> str:
    return ";".join(sorted(roles))


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class Person:
    """An employee as the rest of Charter sees them."""

    id: int
    employee_id: str
    name: str
    email: str
    department: str
    job_title: str
    start_date: date
    manager_id: int | None = None
    manager_name: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    left_on: date | None = None
    active_report_count: int = 0
    aad_object_id: str | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def is_manager(self) -> bool:
        return self.active_report_count > 0

    @property
    def is_hr_admin(self) -> bool:
        return Role.HR_ADMIN in self.roles

    def is_active(self, as_of: date) -> bool:
        return self.left_on is None or self.left_on > as_of

    @property
    def role_names(self) -> list[str]:
        """Human labels for what this person is to Charter, most senior first."""
        labels = []
        if self.is_hr_admin:
            labels.append("HR admin")
        if self.is_manager:
            labels.append("manager")
        labels.append("member of staff")
        return labels
