"""The bulk one-to-one export HR runs: `charter export one-to-ones [--format] [--with-notes]`.

One row per one-to-one. The four areas are exported as true/false (whether the manager wrote
anything there), never their text; ``--with-notes`` adds the shared notes, the part the
employee sees anyway. Private notes are never exported: the query does not even select them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Literal, TextIO

from domain.records import AREA_COLUMNS, ExportRow
from storage import one_to_ones as repo
from storage.database import Database

ExportFormat = Literal["csv", "json"]

_LEADING = ("employee_id", "employee_email", "manager_email", "held_on")
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


def _row(row: ExportRow, with_notes: bool) -> dict[str, object]:
    result: dict[str, object] = {
        "employee_id": row.employee_id,
        "employee_email": row.employee_email,
        "manager_email": row.manager_email,
        "held_on": row.held_on,
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


async def export_one_to_ones(database: Database, *, with_notes: bool) -> list[dict[str, object]]:
    """Every one-to-one, oldest first, as rows keyed by ``export_columns(with_notes=…)``.

    Values keep their types (str, date, bool, int, UTC datetime); ``write_export`` formats them.
    """
    async with database.sessions() as session:
        rows = await repo.export_rows(session)
    return [_row(row, with_notes) for row in rows]


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
