"""HR's absence exports: `charter export absences` and `charter export return-to-work`.

Sickness absence is special category health data (UK GDPR), so both exports carry dates,
categories, counts and flags only: never the notes or comments anyone wrote at a
return-to-work conversation, nor the trigger summary the manager was shown. The queries in
``storage.absence_reports`` do not even select them.

``export absences``: one row per absence, oldest first. ``working_days_lost`` is HR's figure
when the import gave one (``working_days_given`` true), else the figure Charter counted from
the employee's working pattern and bank holidays; for an ongoing absence (blank ``end_date``)
it is the working days lost so far, up to the day of the export.

``export return-to-work``: one row per ended sickness absence, with or without its
return-to-work conversation. ``rtw_due_on`` is the first working day back and ``rtw_deadline``
the last day it counts as on time (both from the employee's working pattern). ``rtw_state`` is
``not_yet_due``, ``due``, ``overdue``, ``held_on_time`` or ``held_late``. ``on_time`` is true or
false once held; when not held it is false if the deadline has passed, and empty while the
conversation can still be held on time. ``trigger_reached`` is what the conversation recorded
when it was held; otherwise whether a trigger point was reached on the absence's last day,
worked out now. ``manager_email`` is who held it, or the current line manager if nobody has.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from domain.records import StoredAbsence
from domain.rtw import RtwState, rtw_due
from domain.triggers import AbsenceSpell, trigger_status
from domain.working_days import (
    ENGLAND_AND_WALES,
    BankHolidays,
    WorkingPattern,
    working_days_between,
)
from services.absence import AbsencePolicy
from storage import absence_reports as repo
from storage.database import Database

ABSENCE_COLUMNS = (
    "employee_id",
    "employee_email",
    "start_date",
    "end_date",
    "absence_type",
    "reason_category",
    "working_days_lost",
    "working_days_given",
    "disability_related",
    "source",
)
RTW_COLUMNS = (
    "employee_id",
    "employee_email",
    "manager_email",
    "absence_start",
    "absence_end",
    "rtw_due_on",
    "rtw_deadline",
    "rtw_held_on",
    "rtw_state",
    "on_time",
    "trigger_reached",
)


class _Counter:
    """Working days lost per absence, with each working pattern parsed once."""

    def __init__(self, policy: AbsencePolicy, holidays: BankHolidays, as_of: date) -> None:
        self.policy = policy
        self.holidays = holidays
        self.as_of = as_of
        self._patterns: dict[str, WorkingPattern] = {}

    def pattern(self, absence: StoredAbsence) -> WorkingPattern:
        text = absence.working_pattern or self.policy.default_pattern
        if text not in self._patterns:
            self._patterns[text] = WorkingPattern.parse(text)
        return self._patterns[text]

    def days_lost(self, absence: StoredAbsence) -> int:
        if absence.working_days_lost is not None:
            return absence.working_days_lost
        return working_days_between(
            absence.start_date,
            absence.end_date or self.as_of,
            pattern=self.pattern(absence),
            holidays=self.holidays,
        )


async def export_absences(
    database: Database,
    *,
    as_of: date,
    policy: AbsencePolicy,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> list[dict[str, object]]:
    """Every absence, oldest first, as rows keyed by ``ABSENCE_COLUMNS``."""
    async with database.sessions() as session:
        absences = await repo.all_absences(session)
    counter = _Counter(policy, holidays, as_of)
    return [
        {
            "employee_id": a.employee_id,
            "employee_email": a.employee_email,
            "start_date": a.start_date,
            "end_date": a.end_date,
            "absence_type": a.absence_type,
            "reason_category": a.reason_category,
            "working_days_lost": counter.days_lost(a),
            "working_days_given": a.working_days_given,
            "disability_related": a.disability_related,
            "source": a.source,
        }
        for a in absences
    ]


async def export_return_to_work(
    database: Database,
    *,
    as_of: date,
    policy: AbsencePolicy,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> list[dict[str, object]]:
    """One row per ended sickness absence, oldest first, keyed by ``RTW_COLUMNS``."""
    async with database.sessions() as session:
        absences = await repo.all_absences(session)
        held = await repo.rtws_held(session)
        managers = await repo.line_manager_emails(session)
    counter = _Counter(policy, holidays, as_of)
    by_person: defaultdict[int, list[StoredAbsence]] = defaultdict(list)
    for absence in absences:
        by_person[absence.employee_pk].append(absence)
    rows: list[dict[str, object]] = []
    for absence in absences:
        if absence.absence_type != "sickness" or absence.end_date is None:
            continue
        rtw = held.get(absence.id)
        due = rtw_due(
            absence_end=absence.end_date,
            as_of=as_of,
            held_on=rtw.held_on if rtw else None,
            deadline_days=policy.rtw_deadline_days,
            pattern=counter.pattern(absence),
            holidays=holidays,
        )
        if rtw is not None:
            reached = rtw.trigger_reached
        else:
            reached = _reached_on(absence.end_date, by_person[absence.employee_pk], counter)
        rows.append(
            {
                "employee_id": absence.employee_id,
                "employee_email": absence.employee_email,
                "manager_email": (rtw.manager_email if rtw else None)
                or managers.get(absence.employee_pk),
                "absence_start": absence.start_date,
                "absence_end": absence.end_date,
                "rtw_due_on": due.due_on,
                "rtw_deadline": due.deadline,
                "rtw_held_on": due.held_on,
                "rtw_state": due.state.value,
                "on_time": _on_time(due.state),
                "trigger_reached": reached,
            }
        )
    return rows


def _on_time(state: RtwState) -> bool | None:
    """True or false once held; false when overdue; None while it can still be on time."""
    if state is RtwState.HELD_ON_TIME:
        return True
    if state in (RtwState.HELD_LATE, RtwState.OVERDUE):
        return False
    return None


def _reached_on(day: date, absences: Sequence[StoredAbsence], counter: _Counter) -> bool:
    """Whether a trigger point was reached on ``day``, counting this person's absences."""
    spells = [
        AbsenceSpell(
            start=a.start_date,
            end=a.end_date,
            working_days_lost=counter.days_lost(a),
            disability_related=a.disability_related,
            kind=a.absence_type,
        )
        for a in absences
        if a.start_date <= day
    ]
    return trigger_status(spells, as_of=day, policy=counter.policy.triggers).reached
