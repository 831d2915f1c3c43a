"""Importing absence records from HR's absence system: parse, validate everything, write once.

The file's columns::

    employee_id,employee_email,start_date,end_date,absence_type
        [,reason_category][,working_days_lost][,disability_related]

A file may have ``employee_id``, ``employee_email`` or both (as in the APR import); each row
needs at least one, and if a row gives both they must name the same person. Dates are
``YYYY-MM-DD`` or the UK ``DD/MM/YYYY``; ``end_date`` is the last day absent, blank while the
absence is ongoing. ``absence_type`` is ``sickness`` or ``other``. ``reason_category`` is one
of the configured sickness reasons, matched whatever the case on its label, its code
(``cold_cough_or_flu``) or one of HR's aliases (``cold/flu``, ``stomach``: the policy's
``reason_aliases``), and stored as the configured label.
``working_days_lost``, when given for an ended absence, is stored as HR's figure; when blank,
Charter counts it from the employee's working pattern and the bank holidays of England and
Wales. ``disability_related`` is true/false, yes/no or 1/0.

An absence is identified by (employee, start_date): a row for one Charter already has updates
it (end date, type, reason, days, disability flag), so the same file can be imported again. A
blank ``reason_category`` or ``disability_related`` on such a row keeps what Charter has (a
manager may have confirmed the reason at the return-to-work conversation).

As with the org import, every problem is reported with its line number (the header is line 1),
and if there is any problem nothing is written. Sickness absence is special category health
data: the problems name the employee and dates, never anything about their health.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.absence_file import (
    SOURCE,
    AbsenceProblem,
    AbsenceRow,
    parse_absence_csv,
)
from domain.csv_import import describe_employee
from domain.csv_import import employee_of as resolve_employee
from domain.csv_import import problem_reporter as reporter
from domain.import_audit import import_events, source_name
from domain.org_chart import EmployeeRecord
from domain.records import RtwHeld, StoredAbsence
from domain.triggers import find_overlaps
from domain.working_days import (
    ENGLAND_AND_WALES,
    BankHolidays,
    WorkingPattern,
    working_days_between,
)
from services.absence import AbsencePolicy
from services.audit import AuditTrail, RecordType
from services.org_import import OrgSource, read_text
from storage import absence_reports as reports
from storage import absences as repo
from storage.database import Database
from storage.employees import load_employee_records

_Report = Callable[[str], None]


@dataclass(frozen=True)
class PlannedAbsence:
    """An absence to add (``absence_id`` None) or to update, with every value to store."""

    line: int
    absence_id: int | None
    employee_pk: int
    start_date: date
    end_date: date | None
    absence_type: str
    reason_category: str | None
    working_days_lost: int | None
    working_days_given: bool
    disability_related: bool


@dataclass
class AbsenceImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[AbsenceProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- checks against Charter -------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What Charter has that the checks need, read in a few queries."""

    people: Sequence[EmployeeRecord]
    absences: Sequence[StoredAbsence]
    rtws: dict[int, RtwHeld]  # by absence id
    patterns: dict[int, str]  # employee pk -> their own working pattern


def check_absences(
    rows: Sequence[AbsenceRow],
    snapshot: Snapshot,
    *,
    as_of: date,
    policy: AbsencePolicy,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> tuple[list[PlannedAbsence], int, list[AbsenceProblem]]:
    """The absences to add or update, how many are unchanged, and the problems, by line.

    Pure: ``snapshot`` holds everything needed from the database.
    """
    by_id = {p.employee_id: p for p in snapshot.people}
    by_email = {p.email: p for p in snapshot.people}
    stored = {(a.employee_pk, a.start_date): a for a in snapshot.absences}
    problems: list[AbsenceProblem] = []
    first_line: dict[tuple[int, date], int] = {}
    spells: dict[int, list[_Spell]] = defaultdict(list)  # the file's rows, by employee pk
    planned: list[PlannedAbsence] = []
    unchanged = 0
    for row in rows:
        count_before = len(problems)
        report = reporter(problems, row.line)
        employee = resolve_employee(row, by_id, by_email, report)
        _check_dates(row, employee, as_of, report)
        reason = _reason(row, policy, report)
        existing = (
            stored.get((employee.id, row.start_date))
            if employee is not None and row.start_date is not None
            else None
        )
        if existing is not None:
            _check_rtw(row, snapshot.rtws.get(existing.id), report)
        if row.working_days_lost is not None:
            _check_days_given(row, report)
        if employee is None or row.start_date is None:
            continue
        key = (employee.id, row.start_date)
        if key in first_line:
            report(
                f"an absence for {describe_employee(employee)} starting "
                f"{row.start_date.isoformat()} is also on line {first_line[key]}"
            )
            continue
        first_line[key] = row.line
        if row.dates_ok:
            spells[employee.id].append(_Spell(row.start_date, row.end_date, row.line, employee))
        if len(problems) > count_before or row.absence_type is None:
            continue
        pattern = WorkingPattern.parse(snapshot.patterns.get(employee.id) or policy.default_pattern)
        plan = _plan(row, employee.id, existing, reason, pattern, holidays)
        if existing is not None and _same(plan, existing):
            unchanged += 1
        else:
            planned.append(plan)
    problems += _overlaps(spells, snapshot.absences, set(first_line))
    problems.sort(key=lambda problem: problem.line)
    return planned, unchanged, problems


def _check_dates(
    row: AbsenceRow, employee: EmployeeRecord | None, as_of: date, report: _Report
) -> None:
    start, end = row.start_date, row.end_date
    if start is not None and start > as_of:
        report(f"start_date {start.isoformat()} is in the future")
    elif employee is not None and start is not None:
        if employee.start_date and start < employee.start_date:
            report(
                f"start_date {start.isoformat()} is before {describe_employee(employee)} "
                f"started, on {employee.start_date.isoformat()}"
            )
        elif employee.left_on and start > employee.left_on:
            report(
                f"start_date {start.isoformat()} is after {describe_employee(employee)} left, "
                f"on {employee.left_on.isoformat()}"
            )
    if end is not None and end > as_of and row.dates_ok:
        report(
            f"end_date {end.isoformat()} is in the future; leave it blank while the "
            "absence is ongoing"
        )


def _reason(row: AbsenceRow, policy: AbsencePolicy, report: _Report) -> str | None:
    if row.reason_category is None:
        return None
    if row.absence_type == "other":
        report("reason_category is for sickness absence; leave it blank for absence_type other")
        return None
    reason = policy.reason_named(row.reason_category)
    if reason is None:
        report(
            f"unknown reason_category '{row.reason_category}'; the reasons are "
            f"{'; '.join(policy.reasons)} (or their codes, or an alias HR has set up)"
        )
    return reason


def _check_rtw(row: AbsenceRow, rtw: RtwHeld | None, report: _Report) -> None:
    """An absence with a return-to-work conversation must have ended before it was held."""
    if rtw is None or not row.dates_ok:
        return
    if row.end_date is None or row.end_date >= rtw.held_on:
        report(
            f"the return-to-work conversation for this absence was held on "
            f"{rtw.held_on.isoformat()}, so end_date must be a day before then"
        )


def _check_days_given(row: AbsenceRow, report: _Report) -> None:
    assert row.working_days_lost is not None
    if row.dates_ok and row.start_date is not None and row.end_date is None:
        report(
            "working_days_lost can only be given for an absence that has ended; leave it "
            "blank while the absence is ongoing"
        )
    elif row.dates_ok and row.start_date is not None and row.end_date is not None:
        calendar_days = (row.end_date - row.start_date).days + 1
        if row.working_days_lost > calendar_days:
            report(
                f"working_days_lost {row.working_days_lost} is more than the "
                f"{calendar_days} calendar day(s) from start_date to end_date"
            )


@dataclass(frozen=True)
class _Spell:
    start: date
    end: date | None
    line: int | None  # None: an absence Charter has that this file does not mention
    employee: EmployeeRecord


def _overlaps(
    spells: dict[int, list[_Spell]],
    stored: Sequence[StoredAbsence],
    in_file: set[tuple[int, date]],
) -> list[AbsenceProblem]:
    """File rows that overlap each other, or an absence Charter has that the file leaves as is."""
    problems: list[AbsenceProblem] = []
    for absence in stored:
        file_spells = spells.get(absence.employee_pk)
        if file_spells and (absence.employee_pk, absence.start_date) not in in_file:
            file_spells.append(
                _Spell(absence.start_date, absence.end_date, None, file_spells[0].employee)
            )
    for person_spells in spells.values():
        person_spells.sort(key=lambda s: (s.start, s.line is not None, s.line or 0))
        pairs = find_overlaps([(s.start, s.end) for s in person_spells])
        for i, j in pairs:
            first, second = person_spells[i], person_spells[j]
            if first.line is None and second.line is None:
                continue  # already in Charter: not this file's doing
            if first.line is not None and second.line is not None:
                line, other = max(first.line, second.line), min(first.line, second.line)
                this, that = (first, second) if first.line == line else (second, first)
                problems.append(
                    AbsenceProblem(
                        line,
                        f"this absence ({_span(this)}) overlaps the one on line {other} "
                        f"({_span(that)}) for {describe_employee(this.employee)}",
                    )
                )
            else:
                this, kept = (first, second) if first.line is not None else (second, first)
                assert this.line is not None
                problems.append(
                    AbsenceProblem(
                        this.line,
                        f"this absence ({_span(this)}) overlaps one Charter already has for "
                        f"{describe_employee(this.employee)} ({_span(kept)})",
                    )
                )
    return problems


def _span(spell: _Spell) -> str:
    end = spell.end.isoformat() if spell.end is not None else "ongoing"
    return f"{spell.start.isoformat()} to {end}"


def _plan(
    row: AbsenceRow,
    employee_pk: int,
    existing: StoredAbsence | None,
    reason: str | None,
    pattern: WorkingPattern,
    holidays: BankHolidays,
) -> PlannedAbsence:
    assert row.start_date is not None and row.absence_type is not None
    if row.working_days_lost is not None:
        days, given = row.working_days_lost, True
    elif row.end_date is not None:
        days = working_days_between(
            row.start_date, row.end_date, pattern=pattern, holidays=holidays
        )
        given = False
    else:
        days, given = None, False  # ongoing: counted so far whenever it is needed
    if reason is None and existing is not None and row.absence_type == "sickness":
        reason = existing.reason_category
    disability = row.disability_related
    if disability is None:
        disability = existing.disability_related if existing is not None else False
    return PlannedAbsence(
        line=row.line,
        absence_id=existing.id if existing is not None else None,
        employee_pk=employee_pk,
        start_date=row.start_date,
        end_date=row.end_date,
        absence_type=row.absence_type,
        reason_category=reason,
        working_days_lost=days,
        working_days_given=given,
        disability_related=disability,
    )


def _same(plan: PlannedAbsence, stored: StoredAbsence) -> bool:
    return (
        plan.end_date == stored.end_date
        and plan.absence_type == stored.absence_type
        and plan.reason_category == stored.reason_category
        and plan.working_days_lost == stored.working_days_lost
        and plan.working_days_given == stored.working_days_given
        and plan.disability_related == stored.disability_related
    )


# --- the service ------------------------------------------------------------------------------


async def import_absences(
    database: Database,
    source: OrgSource,
    *,
    as_of: date,
    policy: AbsencePolicy,
    holidays: BankHolidays = ENGLAND_AND_WALES,
    now: datetime | None = None,
    audit: AuditTrail | None = None,
) -> AbsenceImportResult:
    """Import an absence file (a path, or an open text or binary stream) in one transaction.

    If ``result.problems`` is not empty, nothing was written. With ``audit``, one event per
    employee whose absences were added or updated is written in the same transaction.
    """
    text, problem = read_text(source)
    if problem is not None:
        return AbsenceImportResult(problems=[problem])
    rows, problems = parse_absence_csv(io.StringIO(text, newline=""))
    result = AbsenceImportResult(rows=len(rows), problems=problems)
    written_at = now or datetime.now(UTC)
    async with database.transaction() as session:
        snapshot = Snapshot(
            people=await load_employee_records(session),
            absences=await reports.all_absences(session),
            rtws=await reports.rtws_held(session),
            patterns=await reports.working_patterns(session),
        )
        planned, unchanged, check_problems = check_absences(
            rows, snapshot, as_of=as_of, policy=policy, holidays=holidays
        )
        result.problems = sorted([*problems, *check_problems], key=lambda p: p.line)
        if result.problems:
            return result
        for absence in planned:
            await _write(session, absence, written_at)
        if audit is not None:
            written = ((a.employee_pk, a.absence_id is None) for a in planned)
            audit.note(
                session, None, *import_events(RecordType.ABSENCE, written, source_name(source))
            )
    result.created = sum(1 for a in planned if a.absence_id is None)
    result.updated = len(planned) - result.created
    result.unchanged = unchanged
    return result


async def _write(session: AsyncSession, absence: PlannedAbsence, now: datetime) -> None:
    if absence.absence_id is None:
        await repo.add_absence(
            session,
            employee_pk=absence.employee_pk,
            start_date=absence.start_date,
            end_date=absence.end_date,
            absence_type=absence.absence_type,
            reason_category=absence.reason_category,
            working_days_lost=absence.working_days_lost,
            working_days_given=absence.working_days_given,
            disability_related=absence.disability_related,
            expected_return=None,
            source=SOURCE,
            recorded_by_pk=None,
            now=now,
        )
    else:
        await reports.update_absence(
            session,
            absence.absence_id,
            end_date=absence.end_date,
            absence_type=absence.absence_type,
            reason_category=absence.reason_category,
            working_days_lost=absence.working_days_lost,
            working_days_given=absence.working_days_given,
            disability_related=absence.disability_related,
            now=now,
        )
