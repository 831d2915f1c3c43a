"""HR's absence file, read row by row without a database: the columns, each row cleaned and
every problem with its line number (the header is line 1). Problems name the employee and
dates, never anything about their health. Checks against Charter are the import service's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.csv_import import (
    IDENTITY_COLUMNS,
    IdentityFile,
    ImportProblem,
    Report,
    read_identity_file,
)
from domain.org_file import parse_date
from domain.people import normalise_email

REQUIRED_COLUMNS = ("start_date", "end_date", "absence_type")
OPTIONAL_COLUMNS = ("reason_category", "working_days_lost", "disability_related")
COLUMNS = (*IDENTITY_COLUMNS, *REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
ABSENCE_TYPES = ("sickness", "other")
MAX_LENGTHS = {"employee_id": 64, "employee_email": 320}
SOURCE = "import"

_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})

AbsenceProblem = ImportProblem  # a line number and a message, as every import reports


@dataclass(frozen=True)
class AbsenceRow:
    """One data row, cleaned. Blank optional cells are None ("not given").

    ``dates_ok`` is False when a date could not be read or the end is before the start, so
    the row takes no part in the overlap checks (its problem is reported already).
    """

    line: int
    employee_id: str
    employee_email: str
    start_date: date | None
    end_date: date | None
    dates_ok: bool
    absence_type: str | None
    reason_category: str | None
    working_days_lost: int | None
    disability_related: bool | None


# --- parsing ----------------------------------------------------------------------------------


def parse_bool(text: str) -> bool | None:
    """true/false, yes/no or 1/0 in any case; None if it is none of them."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


_SHAPE = IdentityFile(
    first_line="employee_id,start_date,end_date,absence_type",
    columns=COLUMNS,
    required=REQUIRED_COLUMNS,
    hint=f"the columns are employee_id and/or employee_email, {', '.join(REQUIRED_COLUMNS)}, "
    f"and optionally {', '.join(OPTIONAL_COLUMNS)}",
    max_lengths=MAX_LENGTHS,
)


def parse_absence_csv(text_stream: Iterable[str]) -> tuple[list[AbsenceRow], list[AbsenceProblem]]:
    """Parse and check each row on its own; ``check_absences`` checks them against Charter."""
    return read_identity_file(text_stream, _SHAPE, _absence_row)


def _absence_row(line: int, values: dict[str, str], report: Report) -> AbsenceRow:
    start_date, end_date, dates_ok = _period(values, report)
    return AbsenceRow(
        line=line,
        employee_id=values["employee_id"],
        employee_email=normalise_email(values["employee_email"]),
        start_date=start_date,
        end_date=end_date,
        dates_ok=dates_ok,
        absence_type=_absence_type(values["absence_type"], report),
        reason_category=values["reason_category"] or None,
        working_days_lost=_working_days_lost(values["working_days_lost"], report),
        disability_related=_disability_related(values["disability_related"], report),
    )


def _period(values: dict[str, str], report: Report) -> tuple[date | None, date | None, bool]:
    """The start and (last) end day, and whether both are usable in the overlap checks."""
    start_date, start_ok = _date(values, "start_date", report, required=True)
    end_date, end_ok = _date(values, "end_date", report, required=False)
    dates_ok = start_ok and end_ok
    if start_date is not None and end_date is not None and end_date < start_date:
        report(
            f"end_date {end_date.isoformat()} is before start_date {start_date.isoformat()}; "
            "end_date is the last day absent"
        )
        dates_ok = False
    return start_date, end_date, dates_ok


def _absence_type(text: str, report: Report) -> str | None:
    kind = text.lower()
    absence_type = kind if kind in ABSENCE_TYPES else None
    if not kind:
        report("absence_type is missing; write sickness or other")
    elif absence_type is None:
        report(f"absence_type '{text}' is not sickness or other")
    return absence_type


def _working_days_lost(text: str, report: Report) -> int | None:
    working_days_lost = int(text) if text.isdigit() else None
    if text and working_days_lost is None:
        report(f"working_days_lost '{text}' is not a whole number of days (0 or more)")
    return working_days_lost


def _disability_related(text: str, report: Report) -> bool | None:
    disability_related = parse_bool(text) if text else None
    if text and disability_related is None:
        report(f"disability_related '{text}' is not true/false, yes/no or 1/0")
    return disability_related


def _date(
    values: dict[str, str], name: str, report: Report, *, required: bool
) -> tuple[date | None, bool]:
    """The parsed date (None if blank or bad) and whether the cell was acceptable."""
    text = values[name]
    if not text:
        if required:
            report(f"{name} is missing")
        return None, not required
    parsed = parse_date(text)
    if parsed is None:
        report(f"{name} '{text}' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)")
        return None, False
    return parsed, True
