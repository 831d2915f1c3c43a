"""The org file's rows beside the people Charter has, without a database: duplicates, emails
and aad ids taken by others, unknown managers and reporting cycles, then the writes a clean
file makes (unchanged rows are not written; people `charter erase` erased are never restored).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.org_chart import EmployeeRecord, OrgChanges
from domain.org_file import EMAIL, OrgProblem, OrgRow
from domain.people import format_roles

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
            if email is None or not EMAIL.match(email):
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
