"""The compliance report as text, CSV and JSON. Suppressed figures never appear as numbers in
any of them: every format reads ``Share.display`` or the ``suppressed`` flag."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from domain.compliance import MEASURE_TITLES, SUPPRESSED, ComplianceReport, GroupRow, Measure
from domain.meeting_slips import SlipReport, slip_note
from services.one_to_one_export import csv_cell

CSV_COLUMNS = ["group", "headcount"] + [
    f"{m.value}_{part}" for m in Measure for part in ("percent", "met", "total")
]


def _rows(report: ComplianceReport) -> list[GroupRow]:
    return [*report.groups, report.council]


def as_text(report: ComplianceReport, slips: SlipReport | None = None) -> str:
    title = "department" if report.group_by.value == "department" else "line manager"
    lines = [
        f"Compliance as of {report.as_of:%-d %B %Y}, by {title}",
        "",
    ]
    for row in _rows(report):
        lines.append(f"{row.name} (people: {row.headcount_text()})")
        for measure in Measure:
            lines.append(f"  {MEASURE_TITLES[measure]}: {row.shares[measure].display()}")
        lines.append("")
    lines += [f"Note: {note}" for note in report.notes]
    if slips is not None:
        header, *rows = slips.table()
        lines += ["", "Planned one-to-ones: " + ", ".join(header[1:]).lower()]
        lines += [f"  {row[0]}: " + " / ".join(row[1:]) for row in rows]
        lines.append(f"Note: {slip_note(slips.period_start, slips.as_of)}")
    return "\n".join(lines) + "\n"


def as_csv(report: ComplianceReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in _rows(report):
        cells: list[Any] = [row.name, row.headcount_text()]
        for measure in Measure:
            share = row.shares[measure]
            if share.suppressed:
                cells += [SUPPRESSED, "", ""]
            else:
                percent = share.percent
                cells += ["" if percent is None else f"{percent:.1f}", share.met, share.total]
        writer.writerow([csv_cell(cell) for cell in cells])
    return out.getvalue()


def _share_json(row: GroupRow, measure: Measure) -> dict[str, Any]:
    share = row.shares[measure]
    if share.suppressed:
        return {"suppressed": True, "display": SUPPRESSED}
    percent = share.percent
    return {
        "suppressed": False,
        "percent": None if percent is None else round(percent, 1),
        "met": share.met,
        "total": share.total,
        "display": share.display(),
    }


def as_json(report: ComplianceReport) -> str:
    def row_json(row: GroupRow) -> dict[str, Any]:
        return {
            "name": row.name,
            "headcount": None if row.headcount_suppressed else row.headcount,
            "headcount_suppressed": row.headcount_suppressed,
            "measures": {m.value: _share_json(row, m) for m in Measure},
        }

    data = {
        "as_of": report.as_of.isoformat(),
        "period_start": report.period_start.isoformat(),
        "group_by": report.group_by.value,
        "measures": {m.value: MEASURE_TITLES[m] for m in Measure},
        "groups": [row_json(r) for r in report.groups],
        "council": row_json(report.council),
        "notes": list(report.notes),
    }
    return json.dumps(data, indent=2) + "\n"
