"""HR's bulk views of objectives and APRs: the two exports and the golden-thread report.

The exports are one row per objective and one per APR, written by ``write_export`` (CSV or
JSON). The APR export counts the outcomes and says whether the employee acknowledged and
commented, but never exports what anyone wrote: overall comments, development and learning
needs and the employee's comment can hold sensitive detail.

The golden thread counts live objectives (agreed or in progress) per council priority per
department, and the share of each department's active staff with at least one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from domain.apr_cycle import long_date
from domain.objective_lifecycle import LIVE
from domain.records import AprExportRow, ObjectiveExportRow
from storage import aprs as apr_repo
from storage import objectives as repo
from storage.database import Database

OBJECTIVE_COLUMNS = (
    "employee_id",
    "employee_email",
    "department",
    "title",
    "measure",
    "target_date",
    "council_priority",
    "service_plan",
    "status",
    "proposed_by",
    "percent_complete",
    "rag",
    "agreed_at",
    "created_at",
)
APR_OUTCOMES = ("achieved", "partly_achieved", "not_achieved", "continuing")
APR_COLUMNS = (
    "employee_id",
    "employee_email",
    "manager_email",
    "held_on",
    "source",
    "objectives_reviewed",
    *APR_OUTCOMES,
    "leadership_themes",
    "acknowledged",
    "commented",
)

ReportFormat = Literal["text", "csv", "json"]


# --- the exports ------------------------------------------------------------------------------


def _objective_row(row: ObjectiveExportRow) -> dict[str, object]:
    objective = row.objective
    return {
        "employee_id": row.employee_ref,
        "employee_email": row.employee_email,
        "department": row.department,
        "title": objective.title,
        "measure": objective.measure,
        "target_date": objective.target_date,
        "council_priority": objective.priority_title,
        "service_plan": objective.plan_title,
        "status": objective.status,
        "proposed_by": objective.proposed_by,
        "percent_complete": objective.percent_complete,
        "rag": objective.rag,
        "agreed_at": objective.agreed_at,
        "created_at": objective.created_at,
    }


async def export_objectives(database: Database) -> list[dict[str, object]]:
    """Every objective, by employee, as rows keyed by ``OBJECTIVE_COLUMNS``."""
    async with database.sessions() as session:
        rows = await repo.export_rows(session)
    return [_objective_row(row) for row in rows]


def _apr_row(row: AprExportRow) -> dict[str, object]:
    result: dict[str, object] = {
        "employee_id": row.employee_ref,
        "employee_email": row.employee_email,
        "manager_email": row.manager_email,
        "held_on": row.held_on,
        "source": row.source,
        "objectives_reviewed": sum(row.outcomes.values()),
    }
    for outcome in APR_OUTCOMES:
        result[outcome] = row.outcomes.get(outcome, 0)
    result["leadership_themes"] = ";".join(row.leadership_themes)
    result["acknowledged"] = row.acknowledged
    result["commented"] = row.commented
    return result


async def export_aprs(database: Database) -> list[dict[str, object]]:
    """Every APR, oldest first, as rows keyed by ``APR_COLUMNS``: counts, never free text."""
    async with database.sessions() as session:
        rows = await apr_repo.export_rows(session)
    return [_apr_row(row) for row in rows]


# --- the golden thread ------------------------------------------------------------------------

LIVE_STATUSES = tuple(sorted(status.value for status in LIVE))
NO_PRIORITY = "(no council priority)"
NO_DEPARTMENT = "(no department)"
COUNCIL_TOTAL = "Council total"


@dataclass(frozen=True)
class DepartmentThread:
    """One line of the report: a department, or the council total."""

    department: str
    objectives_by_priority: dict[str, int] = field(default_factory=dict)
    people_with_objective: int = 0
    headcount: int = 0  # active staff

    @property
    def objectives(self) -> int:
        return sum(self.objectives_by_priority.values())

    @property
    def share(self) -> float | None:
        """The share of active staff with a live objective (None with nobody active)."""
        return self.people_with_objective / self.headcount if self.headcount else None


@dataclass(frozen=True)
class GoldenThreadReport:
    as_of: date
    priorities: tuple[str, ...]  # active priorities in order, then others that have objectives
    departments: tuple[DepartmentThread, ...]
    total: DepartmentThread


async def golden_thread(database: Database, as_of: date) -> GoldenThreadReport:
    async with database.sessions() as session:
        counts = await repo.agreed_counts_by_department(session, as_of, LIVE_STATUSES)
        headcount = await repo.headcount_by_department(session, as_of)
        people = await repo.people_with_objective_by_department(session, as_of, LIVE_STATUSES)
        active = [choice.title for choice in await repo.priorities(session)]
    by_department: dict[str, dict[str, int]] = {}
    for department, priority, objectives, _people in counts:
        line = by_department.setdefault(department, {})
        title = priority or NO_PRIORITY
        line[title] = line.get(title, 0) + objectives
    linked = {title for line in by_department.values() for title in line}
    others = sorted(linked - set(active) - {NO_PRIORITY})
    columns = (*active, *others, *([NO_PRIORITY] if NO_PRIORITY in linked else []))
    departments = tuple(
        DepartmentThread(
            department=department or NO_DEPARTMENT,
            objectives_by_priority={
                t: by_department.get(department, {}).get(t, 0) for t in columns
            },
            people_with_objective=people.get(department, 0),
            headcount=headcount.get(department, 0),
        )
        for department in sorted({*headcount, *by_department}, key=lambda d: d or "\uffff")
    )
    total = DepartmentThread(
        department=COUNCIL_TOTAL,
        objectives_by_priority={
            t: sum(d.objectives_by_priority[t] for d in departments) for t in columns
        },
        people_with_objective=sum(d.people_with_objective for d in departments),
        headcount=sum(d.headcount for d in departments),
    )
    return GoldenThreadReport(as_of, columns, departments, total)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def golden_thread_rows(report: GoldenThreadReport) -> list[dict[str, object]]:
    """One row per department and the council total, for ``write_export``'s CSV."""
    return [
        {
            "department": line.department,
            **line.objectives_by_priority,
            "objectives": line.objectives,
            "people_with_objective": line.people_with_objective,
            "headcount": line.headcount,
            "share_percent": _percent(line.share),
        }
        for line in (*report.departments, report.total)
    ]


def golden_thread_columns(report: GoldenThreadReport) -> list[str]:
    return [
        "department",
        *report.priorities,
        "objectives",
        "people_with_objective",
        "headcount",
        "share_percent",
    ]


def golden_thread_json(report: GoldenThreadReport) -> dict[str, object]:
    def line(thread: DepartmentThread) -> dict[str, object]:
        return {
            "department": thread.department,
            "objectives_by_priority": thread.objectives_by_priority,
            "objectives": thread.objectives,
            "people_with_objective": thread.people_with_objective,
            "headcount": thread.headcount,
            "share_percent": _percent(thread.share),
        }

    return {
        "as_of": report.as_of.isoformat(),
        "statuses": list(LIVE_STATUSES),
        "priorities": list(report.priorities),
        "departments": [line(d) for d in report.departments],
        "total": line(report.total),
    }


def golden_thread_text(report: GoldenThreadReport) -> str:
    """A table for a terminal: priorities as numbered columns, with a key underneath."""
    heading = [
        f"Golden thread on {long_date(report.as_of)}",
        "Live objectives (agreed or in progress) per council priority, and how many active",
        "staff have at least one.",
        "",
    ]
    if not report.departments:
        return "\n".join([*heading, "Nobody is in the org chart yet: import it first.", ""])
    keys = [f"P{i}" for i in range(1, len(report.priorities) + 1)]
    header = ["Department", *keys, "Objectives", "Staff with one", "Active staff", "Share"]

    def cells(line: DepartmentThread) -> list[str]:
        share = line.share  # rounded once, here: 10.53% shows as 11%, not 10.5% then 10%
        return [
            line.department,
            *(str(line.objectives_by_priority[t]) for t in report.priorities),
            str(line.objectives),
            str(line.people_with_objective),
            str(line.headcount),
            "-" if share is None else f"{share * 100:.0f}%",
        ]

    body = [cells(line) for line in report.departments]
    total = cells(report.total)
    widths = [max(len(row[i]) for row in (header, *body, total)) for i in range(len(header))]

    def render(row: list[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    table = [render(header), rule, *(render(row) for row in body), rule, render(total)]
    key = [f"{k:<4}{title}" for k, title in zip(keys, report.priorities, strict=True)]
    return "\n".join([*heading, *table, "", *key, ""])
