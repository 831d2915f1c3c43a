"""The org chart as an import sees it: each stored employee by business key, and the writes
an import plans (storage applies them in bulk)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class EmployeeRecord:
    """One stored employee as the org import sees it: columns, with the manager by business key."""

    id: int
    employee_id: str
    name: str
    email: str
    manager_employee_id: str | None = None
    department: str = ""
    job_title: str = ""
    start_date: date | None = None
    aad_object_id: str | None = None
    roles: str = ""
    left_on: date | None = None
    is_demo: bool = False
    # Erased by `charter erase`: an import never brings their details back.
    erased: bool = False

    def is_active(self, as_of: date) -> bool:
        return self.left_on is None or self.left_on > as_of


@dataclass
class OrgChanges:
    """What an org import writes. Column dicts use Employee attribute names.

    ``new_rows`` and ``changed_rows`` carry no ``manager_id``: managers are given by business
    key in ``managers``, because new rows have no primary key until they are inserted.
    """

    existing_pks: dict[str, int] = field(default_factory=dict)
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    changed_rows: list[dict[str, Any]] = field(default_factory=list)
    # Primary keys whose email / aad_object_id change: released first, so a value can move
    # from one employee to another in the same import without tripping a unique constraint.
    release_email: list[int] = field(default_factory=list)
    release_aad_object_id: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    left_on: date | None = None
    # (employee_id, manager's employee_id or None) for every new row with a manager and every
    # existing row whose manager changes.
    managers: list[tuple[str, str | None]] = field(default_factory=list)


def normalise_aad_object_id(aad_object_id: str) -> str:
    """Azure AD object ids are GUIDs; Charter stores them lower-case."""
    return aad_object_id.strip().lower()
