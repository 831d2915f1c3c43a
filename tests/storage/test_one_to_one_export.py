"""The bulk one-to-one export, against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cli.main import main
from domain.agenda import PlanStatus
from services.one_to_one_export import (
    ExportFormat,
    export_columns,
    export_one_to_ones,
    write_export,
)
from storage import agenda as agenda_repo
from storage import one_to_ones as repo
from storage.database import Database
from storage.models import Employee, OneToOne

LONDON = ZoneInfo("Europe/London")

PRIVATE = "Private: thinking about a capability review, do not share"
BASE_COLUMNS = [
    "employee_id",
    "employee_email",
    "manager_email",
    "held_on",
    "planned_for",
    "plan_status",
    "managing",
    "developing",
    "supporting",
    "wellbeing",
    "wellbeing_concern",
    "actions_open",
    "actions_done",
    "logged_at",
]


async def _seed(database: Database) -> None:
    """Two one-to-ones for Sam with Dana: one with a private note and a done action."""
    async with database.transaction() as session:
        dana = Employee(
            employee_id="E1",
            name="Dana Boss",
            email="dana@council.example",
            start_date=date(2010, 1, 4),
        )
        session.add(dana)
        await session.flush()
        sam = Employee(
            employee_id="E2",
            name="Sam Staff",
            email="sam@council.example",
            start_date=date(2021, 3, 1),
            manager_id=dana.id,
        )
        session.add(sam)
        await session.flush()
        await repo.add_one_to_one(
            session,
            employee_pk=sam.id,
            manager_pk=dana.id,
            held_on=date(2026, 10, 6),
            notes={"managing": "Story-time numbers up", "wellbeing": "Back pain again"},
            shared_notes='=HYPERLINK("http://evil.example")',
            private_note=PRIVATE,
            wellbeing_concern=True,
            actions=[
                ("Book the DSE assessment", "manager", date(2026, 10, 20)),
                ("Draft the half-term programme", "employee", None),
            ],
            now=datetime(2026, 10, 6, 14, 30, tzinfo=UTC),
        )
        await repo.add_one_to_one(
            session,
            employee_pk=sam.id,
            manager_pk=dana.id,
            held_on=date(2026, 11, 3),
            notes={"developing": "Signed up for the CILIP webinar"},
            shared_notes="Good month.",
            private_note="",
            wellbeing_concern=False,
            actions=[],
            now=datetime(2026, 11, 3, 9, 5, tzinfo=UTC),
        )
        first = await repo.one_to_ones_for(session, sam.id)
        done = [a.id for r in first for a in r.actions if a.text.startswith("Book")]
        await repo.mark_actions_done(
            session, done, by_pk=dana.id, now=datetime(2026, 10, 15, 12, 0, tzinfo=UTC)
        )


def _render(rows: list[dict[str, object]], fmt: ExportFormat) -> str:
    out = io.StringIO(newline="")
    write_export(rows, out, fmt)
    return out.getvalue()


async def test_csv_export_has_the_columns_and_values(database: Database) -> None:
    await _seed(database)
    rows = await export_one_to_ones(database, with_notes=False)
    text = _render(rows, "csv")
    header, first, second = list(csv.reader(io.StringIO(text, newline="")))
    assert header == BASE_COLUMNS == list(export_columns(with_notes=False))
    assert dict(zip(header, first, strict=True)) == {
        "employee_id": "E2",
        "employee_email": "sam@council.example",
        "manager_email": "dana@council.example",
        "held_on": "2026-10-06",
        "planned_for": "",
        "plan_status": "unplanned",
        "managing": "true",
        "developing": "false",
        "supporting": "false",
        "wellbeing": "true",
        "wellbeing_concern": "true",
        "actions_open": "1",
        "actions_done": "1",
        "logged_at": "2026-10-06T14:30:00Z",
    }
    assert dict(zip(header, second, strict=True))["held_on"] == "2026-11-03"
    assert second[header.index("developing")] == "true"
    assert second[header.index("managing")] == "false"
    assert (second[header.index("actions_open")], second[header.index("actions_done")]) == (
        "0",
        "0",
    )
    assert "Story-time" not in text and "Back pain" not in text  # area text never exported


async def test_json_export_keeps_types(database: Database) -> None:
    await _seed(database)
    data = json.loads(_render(await export_one_to_ones(database, with_notes=False), "json"))
    assert [list(item) for item in data] == [BASE_COLUMNS, BASE_COLUMNS]
    first = data[0]
    assert first["held_on"] == "2026-10-06"
    assert first["managing"] is True and first["developing"] is False
    assert first["wellbeing_concern"] is True
    assert (first["actions_open"], first["actions_done"]) == (1, 1)
    assert first["logged_at"] == "2026-10-06T14:30:00Z"


async def test_private_notes_never_appear_in_any_export(database: Database) -> None:
    await _seed(database)
    for with_notes in (False, True):
        rows = await export_one_to_ones(database, with_notes=with_notes)
        formats: tuple[ExportFormat, ...] = ("csv", "json")
        for fmt in formats:
            output = _render(rows, fmt)
            assert PRIVATE not in output
            assert "capability review" not in output
            assert "private_note" not in output


async def test_with_notes_adds_shared_notes_after_wellbeing_concern(database: Database) -> None:
    await _seed(database)
    rows = await export_one_to_ones(database, with_notes=True)
    expected = [*BASE_COLUMNS[:11], "shared_notes", *BASE_COLUMNS[11:]]
    assert list(rows[0]) == expected == list(export_columns(with_notes=True))
    assert rows[0]["managing"] is True  # areas stay true/false with notes too

    data = json.loads(_render(rows, "json"))
    assert data[0]["shared_notes"] == '=HYPERLINK("http://evil.example")'  # JSON: as written
    assert data[1]["shared_notes"] == "Good month."

    header, first, second = list(csv.reader(io.StringIO(_render(rows, "csv"), newline="")))
    assert header == expected
    # CSV: a formula is defused with a leading apostrophe, plain text is left alone.
    assert first[header.index("shared_notes")] == '\'=HYPERLINK("http://evil.example")'
    assert second[header.index("shared_notes")] == "Good month."


def test_formula_cells_are_defused_in_csv_only() -> None:
    row: dict[str, object] = {
        "employee_id": "+44",
        "employee_email": "@x",
        "manager_email": "-1",
        "held_on": date(2026, 1, 5),
        "shared_notes": "ok = fine",
        "actions_open": 2,
    }
    _header, values = list(csv.reader(io.StringIO(_render([row], "csv"), newline="")))
    assert values == ["'+44", "'@x", "'-1", "2026-01-05", "ok = fine", "2"]
    assert json.loads(_render([row], "json"))[0]["employee_id"] == "+44"


def test_an_empty_export_still_has_its_header() -> None:
    assert _render([], "csv").strip() == ",".join(BASE_COLUMNS)
    assert json.loads(_render([], "json")) == []
    out = io.StringIO()
    write_export([], out, "csv", columns=export_columns(with_notes=True))
    assert "shared_notes" in out.getvalue()


async def _plan(
    database: Database, starts_at: datetime, status: PlanStatus, held_on: date | None = None
) -> None:
    """A plan for Sam with Dana, settled as ``status`` (by the one-to-one held on ``held_on``)."""
    async with database.transaction() as session:
        sam = await session.scalar(select(Employee).where(Employee.employee_id == "E2"))
        assert sam is not None
        one_to_one = None
        if held_on is not None:
            one_to_one = await session.scalar(
                select(OneToOne.id).where(
                    OneToOne.employee_id == sam.id, OneToOne.held_on == held_on
                )
            )
            assert one_to_one is not None
        plan = await agenda_repo.add_plan(
            session,
            employee_pk=sam.id,
            manager_pk=sam.manager_id,
            starts_at=starts_at,
            set_by_pk=sam.manager_id,
            proposed=False,
            now=starts_at - timedelta(days=7),
        )
        if status is not PlanStatus.PLANNED:
            await agenda_repo.resolve_plan(
                session, plan, status, now=starts_at, one_to_one_pk=one_to_one
            )


async def test_the_export_says_what_became_of_each_planned_one_to_one(
    database: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Held on the planned day, held on another (moved), rescheduled, didn't happen; a plan
    still to come is not exported. Planned days are the council's (London) days."""
    await _seed(database)  # one-to-ones held on 6 October and 3 November
    await _plan(
        database, datetime(2026, 10, 6, 9, 0, tzinfo=UTC), PlanStatus.HELD, date(2026, 10, 6)
    )
    await _plan(database, datetime(2026, 10, 27, 10, 0, tzinfo=UTC), PlanStatus.MOVED)
    await _plan(
        database, datetime(2026, 10, 30, 14, 0, tzinfo=UTC), PlanStatus.MOVED, date(2026, 11, 3)
    )
    # 23:30 UTC on 30 September is 00:30 on 1 October in London (BST).
    await _plan(database, datetime(2026, 9, 30, 23, 30, tzinfo=UTC), PlanStatus.MISSED)
    await _plan(database, datetime(2026, 12, 1, 10, 0, tzinfo=UTC), PlanStatus.PLANNED)

    rows = await export_one_to_ones(database, with_notes=False, tz=LONDON)
    assert [(r["held_on"], r["planned_for"], r["plan_status"]) for r in rows] == [
        (None, date(2026, 10, 1), "missed"),
        (date(2026, 10, 6), date(2026, 10, 6), "held"),
        (None, date(2026, 10, 27), "moved"),
        (date(2026, 11, 3), date(2026, 10, 30), "moved"),
    ]
    missed = rows[0]
    assert list(missed) == BASE_COLUMNS
    assert (missed["employee_id"], missed["manager_email"]) == ("E2", "dana@council.example")
    assert all(missed[key] is None for key in BASE_COLUMNS[6:])  # no one-to-one, no figures

    # As HR runs it: the CLI, in the council's time zone, the plan rows' cells empty in CSV.
    monkeypatch.setenv("DATABASE_URL", db_url)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["export", "one-to-ones"]) == 0
    header, *lines = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert header == BASE_COLUMNS
    assert [line[3:6] for line in lines] == [
        ["", "2026-10-01", "missed"],
        ["2026-10-06", "2026-10-06", "held"],
        ["", "2026-10-27", "moved"],
        ["2026-11-03", "2026-10-30", "moved"],
    ]
    assert lines[0][6:] == [""] * (len(BASE_COLUMNS) - 6)
