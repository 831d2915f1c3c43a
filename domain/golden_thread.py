"""The golden thread: live objectives (agreed or in progress) per council priority per
department, and the share of each department's active staff with at least one.

Plain rules and formats, no database: ``services.objective_reports`` reads the counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.apr_cycle import long_date
from domain.objective_lifecycle import LIVE

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


# (department, priority title, live objectives, people) as storage counts them
PriorityCount = tuple[str, str | None, int, int]


def golden_thread_report(
    as_of: date,
    counts: Sequence[PriorityCount],
    headcount: Mapping[str, int],
    people: Mapping[str, int],
    active: Sequence[str],
) -> GoldenThreadReport:
    """The report from the counts: ``active`` priorities in order, then any others that have
    objectives, then objectives with no priority; departments by name, no department last."""
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
