"""The bulk one-to-one export HR runs: `charter export one-to-ones [--format] [--with-notes]`.

One row per one-to-one. The four areas are exported as true/false (whether the manager wrote
anything there), never their text; ``--with-notes`` adds the shared notes, the part the
employee sees anyway. Private notes are never exported: the query does not even select them.

The plan status (#18, HR asks how often one-to-ones slip): ``planned_for`` is the day the
one-to-one was planned for (the council's local day) and ``plan_status`` says what became of
the plan: ``held`` (on the planned day), ``moved`` (held on another day) or ``unplanned`` (no
plan; ``planned_for`` is empty). A plan settled without a one-to-one has a row of its own with
no ``held_on`` and nothing in the one-to-one's columns: ``moved`` (rescheduled; the meeting
then has its own plan) or ``missed`` (the manager said it didn't happen). Counting the rows by
``plan_status`` gives the compliance report's meeting-slip figures (a plan moved twice counts
twice); plans still to come or unanswered are not exported.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Literal, TextIO

from domain.agenda import PlanStatus
from domain.records import AREA_COLUMNS, ExportRow
from storage import one_to_ones as repo
from storage.agenda_reports import SettledPlanRow, settled_plans_for_export
from storage.database import Database

ExportFormat = Literal["csv", "json"]

_LEADING = (
    "employee_id",
    "employee_email",
    "manager_email",
    "held_on",
    "planned_for",
    "plan_status",
)
UNPLANNED = "unplanned"
_TRAILING = ("actions_open", "actions_done", "logged_at")

# A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_columns(*, with_notes: bool) -> tuple[str, ...]:
    notes = ("shared_notes",) if with_notes else ()
    return (*_LEADING, *AREA_COLUMNS, "wellbeing_concern", *notes, *_TRAILING)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; Charter's convention is that they are UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _row(
    row: ExportRow, with_notes: bool, plan: SettledPlanRow | None, tz: tzinfo
) -> dict[str, object]:
    result: dict[str, object] = {
        "employee_id": row.employee_id,
        "employee_email": row.employee_email,
        "manager_email": row.manager_email,
        "held_on": row.held_on,
        "planned_for": _utc(plan.starts_at).astimezone(tz).date() if plan else None,
        "plan_status": plan.status.value if plan else UNPLANNED,
    }
    for key in AREA_COLUMNS:
        result[key] = bool(row.notes.get(key, "").strip())
    result["wellbeing_concern"] = bool(row.wellbeing_concern)
    if with_notes:
        result["shared_notes"] = row.shared_notes
    result["actions_open"] = int(row.actions_open)
    result["actions_done"] = int(row.actions_done)
    result["logged_at"] = _utc(row.logged_at)
    return result


def _plan_row(plan: SettledPlanRow, with_notes: bool, tz: tzinfo) -> dict[str, object]:
    """A plan settled without a one-to-one (moved or missed): the one-to-one's columns empty."""
    result: dict[str, object] = dict.fromkeys(export_columns(with_notes=with_notes))
    result.update(
        employee_id=plan.employee_id,
        employee_email=plan.employee_email,
        manager_email=plan.manager_email,
        planned_for=_utc(plan.starts_at).astimezone(tz).date(),
        plan_status=plan.status.value,
    )
    return result


def _day(row: dict[str, object]) -> date:
    day = row["held_on"] or row["planned_for"]
    assert isinstance(day, date)
    return day


async def export_one_to_ones(
    database: Database, *, with_notes: bool, tz: tzinfo = UTC
) -> list[dict[str, object]]:
    """Every one-to-one and every plan settled without one, oldest first (by the day held, or
    planned), as rows keyed by ``export_columns(with_notes=…)``; planned days in ``tz``.

    Values keep their types (str, date, bool, int, UTC datetime, None for nothing);
    ``write_export`` formats them.
    """
    async with database.sessions() as session:
        rows = await repo.export_rows(session)
        plans = await settled_plans_for_export(session)
    by_one_to_one = {p.one_to_one_id: p for p in plans if p.one_to_one_id is not None}
    found = [_row(row, with_notes, by_one_to_one.get(row.record_id), tz) for row in rows]
    found += [
        _plan_row(plan, with_notes, tz)
        for plan in plans
        if plan.one_to_one_id is None and plan.status in (PlanStatus.MOVED, PlanStatus.MISSED)
    ]
    return sorted(found, key=_day)  # stable: one-to-ones before a plan row of the same day


def _plain(value: object) -> object:
    """A JSON-ready value: dates and times as ISO 8601 text, the rest as they are."""
    if isinstance(value, datetime):
        return _utc(value).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_cell(value: object) -> str:
    """One CSV cell as text; a cell a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""  # no value (JSON says null)
    if isinstance(value, bool):
        return "true" if value else "false"
    plain = _plain(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return str(plain)


def write_export(
    rows: Sequence[dict[str, object]],
    stream: TextIO,
    fmt: ExportFormat,
    *,
    columns: Sequence[str] | None = None,
) -> None:
    """Write the rows as CSV (header first) or as a JSON list of objects.

    Any export can use it: booleans become true/false, dates and times ISO 8601 (UTC), None an
    empty cell (null in JSON), and a text cell a spreadsheet would run as a formula is quoted.
    The columns are the first row's keys, else ``columns``, else the export without notes: an
    empty export still has its header. A CSV stream should be opened with ``newline=""``.
    """
    if columns is None:
        columns = list(rows[0]) if rows else list(export_columns(with_notes=False))
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow([csv_cell(name) for name in columns])  # names can come from HR
        for row in rows:
            writer.writerow([csv_cell(row[key]) for key in columns])
    elif fmt == "json":
        objects = [{key: _plain(row[key]) for key in columns} for row in rows]
        json.dump(objects, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    else:
        raise ValueError(f"unknown export format {fmt!r}; use csv or json")
