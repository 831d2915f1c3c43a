"""The absence and return-to-work exports (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from sqlalchemy import select, update

from domain.triggers import TriggerPolicy
from services.absence import AbsencePolicy
from services.absence_export import (
    ABSENCE_COLUMNS,
    RTW_COLUMNS,
    export_absences,
    export_return_to_work,
)
from services.absence_import import import_absences
from services.one_to_one_export import ExportFormat, write_export
from storage import absences as repo
from storage.database import Database
from storage.models import Employee

AS_OF = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
POLICY = AbsencePolicy()
SECRET = "SECRET-7f3a: diagnosed with something private"

ABSENCES = (
    "employee_id,start_date,end_date,absence_type,reason_category,working_days_lost,"
    "disability_related\n"
    "D011,2026-10-05,2026-10-06,sickness,Injury,,\n"  # RTW held on time
    "D012,2026-11-02,2026-11-03,sickness,,,\n"  # RTW held late
    "D013,2026-03-02,2026-03-03,sickness,,,\n"  # three spells, no RTWs
    "D013,2026-06-01,2026-06-02,sickness,,,\n"
    "D013,2026-11-09,2026-11-10,sickness,,,yes\n"
    "D014,2026-11-19,2026-11-20,sickness,,,\n"  # ended Friday: due today
    "D016,2026-11-16,,sickness,Musculoskeletal,,\n"  # ongoing
    "D017,2026-11-16,2026-11-16,sickness,,,\n"  # Mon,Wed,Fri: not yet overdue
    "D021,2026-09-24,2026-09-24,other,,,\n"
    "D022,2026-04-07,2026-04-10,sickness,,2,\n"  # HR's own figure
)


async def _rtw(
    database: Database, employee_id: str, held_on: date, *, trigger_reached: bool
) -> None:
    async with database.transaction() as session:
        person = await session.scalar(select(Employee).where(Employee.employee_id == employee_id))
        assert person is not None and person.manager_id is not None
        [absence] = await repo.absences_for(session, person.id)
        rtw_id = await repo.add_rtw(
            session,
            absence_id=absence.id,
            employee_pk=person.id,
            manager_pk=person.manager_id,
            held_on=held_on,
            reason_category=None,
            notes=SECRET,
            reported_correctly=True,
            fit_note_received=None,
            work_related=False,
            accident_at_work=False,
            underlying_condition=True,
            adjustments_needed=False,
            support_offered=("eap",),
            outcome="keep_under_review",
            employee_comments=SECRET,
            trigger_summary=SECRET,
            trigger_reached=trigger_reached,
            now=NOW,
        )
        await repo.record_rtw_response(session, rtw_id, comment=SECRET, now=NOW)


async def _seed(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(
            update(Employee)
            .where(Employee.employee_id == "D017")
            .values(working_pattern="Mon,Wed,Fri")
        )
    result = await import_absences(
        database, io.StringIO(ABSENCES), as_of=AS_OF, policy=POLICY, now=NOW
    )
    assert result.problems == []
    await _rtw(database, "D011", date(2026, 10, 7), trigger_reached=True)  # as recorded
    await _rtw(database, "D012", date(2026, 11, 16), trigger_reached=False)


def _written(rows: list[dict[str, object]], fmt: ExportFormat, columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    write_export(rows, out, fmt, columns=columns)
    return out.getvalue()


async def test_absence_export_has_its_columns_and_counts_days(demo_org: Database) -> None:
    await _seed(demo_org)
    rows = await export_absences(demo_org, as_of=AS_OF, policy=POLICY)
    assert [list(row) for row in rows] == [list(ABSENCE_COLUMNS)] * 10
    by_key = {(r["employee_id"], r["start_date"]): r for r in rows}
    starts = [r["start_date"] for r in rows]
    assert starts == sorted(starts)  # type: ignore[type-var]
    margaret = by_key["D011", date(2026, 10, 5)]
    assert margaret == {
        "employee_id": "D011",
        "employee_email": "margaret.hughes@demo-council.example",
        "start_date": date(2026, 10, 5),
        "end_date": date(2026, 10, 6),
        "absence_type": "sickness",
        "reason_category": "Injury",
        "working_days_lost": 2,
        "working_days_given": False,
        "disability_related": False,
        "source": "import",
    }
    ongoing = by_key["D016", date(2026, 11, 16)]
    assert ongoing["end_date"] is None and ongoing["working_days_lost"] == 6  # so far
    given = by_key["D022", date(2026, 4, 7)]
    assert (given["working_days_lost"], given["working_days_given"]) == (2, True)
    assert by_key["D013", date(2026, 11, 9)]["disability_related"] is True

    text = _written(rows, "csv", ABSENCE_COLUMNS)
    assert text.splitlines()[0] == ",".join(ABSENCE_COLUMNS)
    assert SECRET not in text


async def test_return_to_work_export_one_row_per_ended_sickness_absence(
    demo_org: Database,
) -> None:
    await _seed(demo_org)
    rows = await export_return_to_work(demo_org, as_of=AS_OF, policy=POLICY)
    assert all(list(row) == list(RTW_COLUMNS) for row in rows)
    by_key = {(r["employee_id"], r["absence_start"]): r for r in rows}
    # No ongoing absence (D016) and no 'other' absence (D021).
    assert sorted({r["employee_id"] for r in rows}) == [  # type: ignore[type-var]
        "D011",
        "D012",
        "D013",
        "D014",
        "D017",
        "D022",
    ]
    assert len(rows) == 8

    held = by_key["D011", date(2026, 10, 5)]
    assert held == {
        "employee_id": "D011",
        "employee_email": "margaret.hughes@demo-council.example",
        "manager_email": "priya.shah@demo-council.example",
        "absence_start": date(2026, 10, 5),
        "absence_end": date(2026, 10, 6),
        "rtw_due_on": date(2026, 10, 7),
        "rtw_deadline": date(2026, 10, 12),
        "rtw_held_on": date(2026, 10, 7),
        "rtw_state": "held_on_time",
        "on_time": True,
        "trigger_reached": True,  # what the conversation recorded, not worked out again
    }
    late = by_key["D012", date(2026, 11, 2)]
    assert (late["rtw_state"], late["on_time"]) == ("held_late", False)

    first, second, third = (by_key["D013", d] for d in sorted(d for e, d in by_key if e == "D013"))
    assert [r["rtw_state"] for r in (first, second, third)] == ["overdue"] * 3
    assert [r["on_time"] for r in (first, second, third)] == [False] * 3
    assert [r["rtw_held_on"] for r in (first, second, third)] == [None] * 3
    # Worked out on each absence's last day. The third is disability-related, so by default
    # it is not counted: two occasions, below the trigger.
    assert [r["trigger_reached"] for r in (first, second, third)] == [False, False, False]
    counting = AbsencePolicy(triggers=TriggerPolicy(count_disability_related=True))
    recount = await export_return_to_work(demo_org, as_of=AS_OF, policy=counting)
    assert [r["trigger_reached"] for r in recount if r["employee_id"] == "D013"] == [
        False,
        False,
        True,
    ]

    due = by_key["D014", date(2026, 11, 19)]
    assert (due["rtw_due_on"], due["rtw_state"], due["on_time"]) == (AS_OF, "due", None)
    # Mon,Wed,Fri: back on Wednesday 18th, three working days later is Wednesday 25th.
    pattern = by_key["D017", date(2026, 11, 16)]
    assert (pattern["rtw_due_on"], pattern["rtw_deadline"]) == (
        date(2026, 11, 18),
        date(2026, 11, 25),
    )
    assert (pattern["rtw_state"], pattern["on_time"]) == ("due", None)
    assert pattern["manager_email"] == "tom.griffiths@demo-council.example"


async def test_no_free_text_reaches_either_export_in_either_format(demo_org: Database) -> None:
    await _seed(demo_org)
    absences = await export_absences(demo_org, as_of=AS_OF, policy=POLICY)
    rtws = await export_return_to_work(demo_org, as_of=AS_OF, policy=POLICY)
    for fmt in ("csv", "json"):
        assert SECRET not in _written(absences, fmt, ABSENCE_COLUMNS)  # type: ignore[arg-type]
        written = _written(rtws, fmt, RTW_COLUMNS)  # type: ignore[arg-type]
        assert SECRET not in written and "SECRET" not in written
    data = json.loads(_written(rtws, "json", RTW_COLUMNS))
    on_time = {(row["employee_id"], row["absence_start"]): row["on_time"] for row in data}
    assert on_time["D014", "2026-11-19"] is None and on_time["D011", "2026-10-05"] is True
    [header, *_] = list(csv.reader(io.StringIO(_written(rtws, "csv", RTW_COLUMNS))))
    assert header == list(RTW_COLUMNS)


async def test_empty_exports_still_have_their_header(demo_org: Database) -> None:
    assert await export_absences(demo_org, as_of=AS_OF, policy=POLICY) == []
    assert _written([], "csv", RTW_COLUMNS).strip() == ",".join(RTW_COLUMNS)
