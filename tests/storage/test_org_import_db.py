"""The org import against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from services.demo import seed_demo
from services.org_import import OrgImportResult, import_org
from storage.database import Database
from storage.employees import (
    AadObjectIdInUse,
    active_direct_reports,
    get_person,
    get_person_by_aad_object_id,
    get_person_by_email,
    set_aad_object_id,
)
from storage.models import Employee

AS_OF = date(2026, 11, 23)
HEADER = "employee_id,name,email,manager_email,department,job_title,start_date,aad_object_id,roles"
GUID = "00000000-0000-4000-8000-0000000000{:02d}"

# Each row: employee_id,name,email,manager_email,department,job_title,start_date,aad,roles
DANA = (
    "E1,Dana Boss,Dana@Council.example,,Community Services,Head of Service,2010-01-04,"
    f"{GUID.format(1)},"
)
SAM = (
    "E2,Sam Staff,sam@council.example,dana@council.example,Community Services,"
    f"Library Assistant,2021-03-01,{GUID.format(2)},"
)
KIM = (
    "E3,Kim Lee,kim@council.example,dana@council.example,Community Services,"
    "Customer Advisor,15/06/2019,,"
)
HELEN = (
    "E4,Helen HR,helen@council.example,,Corporate Resources,HR Business Partner,2012-05-08,,"
    "hr_admin"
)


def org(*rows: str) -> io.StringIO:
    return io.StringIO("\n".join([HEADER, *rows]) + "\n")


async def run(
    database: Database, *rows: str, full: bool = False, as_of: date = AS_OF
) -> OrgImportResult:
    return await import_org(database, org(*rows), full=full, as_of=as_of)


def counts(result: OrgImportResult) -> tuple[int, int, int, int]:
    assert result.problems == []
    return result.created, result.updated, result.unchanged, result.marked_left


async def table(database: Database) -> list[dict[str, Any]]:
    """Every row and column of the employee table, for before/after comparisons."""
    async with database.transaction() as session:
        result = await session.execute(select(Employee.__table__).order_by(Employee.id))
        return [dict(row._mapping) for row in result]


async def by_employee_id(database: Database) -> dict[str, dict[str, Any]]:
    rows = await table(database)
    ids = {row["id"]: row["employee_id"] for row in rows}
    return {row["employee_id"]: {**row, "manager": ids.get(row["manager_id"])} for row in rows}


async def test_a_first_import_creates_everyone_with_managers_linked(database: Database) -> None:
    assert counts(await run(database, DANA, SAM, KIM, HELEN)) == (4, 0, 0, 0)
    people = await by_employee_id(database)
    assert people["E1"]["email"] == "dana@council.example"
    assert people["E1"]["manager"] is None
    assert people["E2"]["manager"] == "E1" and people["E3"]["manager"] == "E1"
    assert people["E3"]["start_date"] == date(2019, 6, 15)
    assert people["E2"]["aad_object_id"] == GUID.format(2)
    assert people["E3"]["aad_object_id"] is None
    assert people["E4"]["roles"] == "hr_admin"
    assert not any(p["is_demo"] or p["left_on"] for p in people.values())


async def test_a_second_import_updates_what_changed_and_nothing_else(database: Database) -> None:
    await run(database, DANA, SAM, KIM, HELEN)
    before = await by_employee_id(database)
    promoted = SAM.replace("Library Assistant", "Senior Library Officer")
    moved = KIM.replace("dana@council.example", "sam@council.example")
    assert counts(await run(database, DANA, promoted, moved, HELEN)) == (0, 2, 2, 0)
    after = await by_employee_id(database)
    assert after["E2"]["job_title"] == "Senior Library Officer"
    assert after["E3"]["manager"] == "E2"
    assert after["E1"] == before["E1"] and after["E4"] == before["E4"]


async def test_importing_the_same_file_twice_changes_nothing(database: Database) -> None:
    await run(database, DANA, SAM, KIM, HELEN)
    before = await table(database)
    assert counts(await run(database, DANA, SAM, KIM, HELEN)) == (0, 0, 4, 0)
    assert await table(database) == before  # updated_at untouched too


async def test_blank_aad_object_id_and_missing_roles_column_keep_what_is_stored(
    database: Database,
) -> None:
    await run(database, DANA, SAM, KIM, HELEN)
    await set_aad_object_id_for(database, "E3", GUID.format(3))
    short_header = "employee_id,name,email,manager_email,department,job_title,start_date"
    text = "\n".join(
        [
            short_header,
            "E1,Dana Boss,dana@council.example,,Community Services,Head of Service,2010-01-04",
            "E3,Kim Lee,kim@council.example,dana@council.example,Community Services,"
            "Customer Advisor,2019-06-15",
            "E4,Helen HR,helen@council.example,,Corporate Resources,HR Business Partner,2012-05-08",
        ]
    )
    result = await import_org(database, io.StringIO(text), full=False, as_of=AS_OF)
    assert counts(result) == (0, 0, 3, 0)
    people = await by_employee_id(database)
    assert people["E1"]["aad_object_id"] == GUID.format(1)
    assert people["E3"]["aad_object_id"] == GUID.format(3)
    assert people["E4"]["roles"] == "hr_admin"


async def set_aad_object_id_for(database: Database, employee_id: str, aad: str) -> None:
    async with database.transaction() as session:
        pk = await session.scalar(select(Employee.id).where(Employee.employee_id == employee_id))
        assert pk is not None
        await set_aad_object_id(session, pk, aad)


async def test_full_marks_absent_people_as_left_and_brings_them_back(database: Database) -> None:
    await run(database, DANA, SAM, KIM, HELEN)
    assert counts(await run(database, DANA, SAM, HELEN, full=True)) == (0, 0, 3, 1)
    people = await by_employee_id(database)
    assert len(people) == 4  # never deleted
    assert people["E3"]["left_on"] == AS_OF
    assert people["E3"]["manager"] == "E1"

    # Marked once: a later full import keeps the date they were first missing.
    later = date(2026, 12, 1)
    assert counts(await run(database, DANA, SAM, HELEN, full=True, as_of=later)) == (0, 0, 3, 0)
    assert (await by_employee_id(database))["E3"]["left_on"] == AS_OF

    assert counts(await run(database, DANA, SAM, KIM, HELEN, full=True, as_of=later)) == (
        0,
        1,
        3,
        0,
    )
    assert (await by_employee_id(database))["E3"]["left_on"] is None


async def test_without_full_absent_people_are_left_alone(database: Database) -> None:
    await run(database, DANA, SAM, KIM, HELEN)
    assert counts(await run(database, SAM)) == (0, 0, 1, 0)
    assert all(p["left_on"] is None for p in (await by_employee_id(database)).values())


async def test_a_partial_file_can_name_a_manager_already_in_charter(database: Database) -> None:
    await run(database, DANA, SAM)
    newcomer = "E5,New Starter,new@council.example,sam@council.example,CS,Officer,2026-09-07,,"
    assert counts(await run(database, newcomer)) == (1, 0, 0, 0)
    assert (await by_employee_id(database))["E5"]["manager"] == "E2"


async def test_a_new_manager_in_the_same_file_as_an_existing_report(database: Database) -> None:
    await run(database, DANA, SAM, KIM)
    lead = "E5,Lou Lead,lou@council.example,dana@council.example,CS,Team Leader,2026-10-05,,"
    moved = KIM.replace("dana@council.example", "lou@council.example")
    assert counts(await run(database, moved, lead)) == (1, 1, 0, 0)
    assert (await by_employee_id(database))["E3"]["manager"] == "E5"


async def test_a_very_deep_chain_of_new_people(database: Database) -> None:
    # Deeper than the insert's managers-first waves: the last links are made by an UPDATE.
    chain = [
        f"C{i},Person {i},p{i}@council.example,"
        f"{f'p{i - 1}@council.example' if i else ''},CS,Officer,2020-01-01,,"
        for i in range(100)
    ]
    assert counts(await run(database, *reversed(chain))) == (100, 0, 0, 0)
    people = await by_employee_id(database)
    assert people["C0"]["manager"] is None
    assert all(people[f"C{i}"]["manager"] == f"C{i - 1}" for i in range(1, 100))


async def test_nothing_is_written_when_the_file_has_a_problem(database: Database) -> None:
    await run(database, DANA, SAM, KIM, HELEN)
    before = await table(database)
    bad = (
        DANA.replace("Head of Service", "Director"),  # would update
        SAM.replace("dana@council.example", "kim@council.example"),  # cycle with KIM below
        KIM.replace("dana@council.example", "sam@council.example"),
        "E6,New Person,new@council.example,ghost@council.example,CS,Officer,2026-01-01,,",
    )
    result = await run(database, *bad, full=True)
    assert [p.line for p in result.problems] == [3, 4, 5]
    assert (result.created, result.updated, result.marked_left) == (0, 0, 0)
    assert await table(database) == before


async def test_a_row_level_problem_also_stops_every_write(database: Database) -> None:
    before = await table(database)
    result = await run(database, DANA, SAM.replace("2021-03-01", "2021-02-30"))
    assert [p.line for p in result.problems] == [3]
    assert await table(database) == before == []


async def test_an_email_and_an_aad_id_can_change_hands_in_one_import(database: Database) -> None:
    await run(database, DANA, SAM, KIM)
    # Sam moves to a new email and gives up his aad id; a new Sam takes both.
    renamed = SAM.replace("sam@", "sam.staff@").replace(GUID.format(2), GUID.format(9))
    new_sam = (
        "E7,Sam Newman,sam@council.example,dana@council.example,CS,Officer,2026-10-01,"
        f"{GUID.format(2)},"
    )
    assert counts(await run(database, DANA, renamed, KIM, new_sam)) == (1, 1, 2, 0)
    people = await by_employee_id(database)
    assert (people["E2"]["email"], people["E2"]["aad_object_id"]) == (
        "sam.staff@council.example",
        GUID.format(9),
    )
    assert (people["E7"]["email"], people["E7"]["aad_object_id"]) == (
        "sam@council.example",
        GUID.format(2),
    )


async def test_an_email_held_by_someone_else_in_charter_is_refused(database: Database) -> None:
    await run(database, DANA, SAM)
    before = await table(database)
    imposter = "E8,Sam Other,sam@council.example,,CS,Officer,2026-10-01,,"
    result = await run(database, imposter)
    assert [p.line for p in result.problems] == [2]
    assert "already belongs to E2 Sam Staff" in result.problems[0].message
    assert await table(database) == before


async def test_a_file_path_with_a_bom_and_windows_line_endings(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "org.csv"
    text = "\r\n".join([HEADER, DANA, KIM]) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = await import_org(database, path, full=False, as_of=AS_OF)
    assert counts(result) == (2, 0, 0, 0)
    assert result.rows == 2


async def test_a_file_that_is_not_utf8(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "org.csv"
    zoe = "E9,Zoë Ward,zoe@council.example,,CS,Officer,2020-01-01,,"
    path.write_bytes("\n".join([HEADER, DANA, zoe]).encode("cp1252"))
    result = await import_org(database, path, full=False, as_of=AS_OF)
    assert [p.line for p in result.problems] == [3]
    assert "not UTF-8" in result.problems[0].message
    assert await table(database) == []


async def test_progress_is_reported_while_reading_and_writing(database: Database) -> None:
    calls: list[tuple[int, int]] = []
    rows = [f"P{i},Person {i},p{i}@council.example,,CS,Officer,2020-01-01,," for i in range(2500)]
    result = await import_org(
        database, org(*rows), full=False, as_of=AS_OF, progress=lambda d, t: calls.append((d, t))
    )
    assert counts(result) == (2500, 0, 0, 0)
    finished = [call for call in calls if call[0] == call[1]]
    assert finished == [(2501, 2501), (2500, 2500)]  # reading (lines), then writing (rows)


# --- look-ups ---------------------------------------------------------------------------------


async def test_looking_people_up(database: Database) -> None:
    await run(database, DANA, SAM, KIM, HELEN)
    left_on = date(2026, 11, 1)
    await run(database, DANA, SAM, HELEN, full=True, as_of=left_on)  # Kim left on 1 Nov
    async with database.transaction() as session:
        dana = await get_person_by_aad_object_id(session, GUID.format(1).upper(), as_of=AS_OF)
        assert dana is not None
        assert dana.name == "Dana Boss" and dana.aad_object_id == GUID.format(1)
        assert dana.active_report_count == 1 and dana.is_manager
        assert dana.manager_id is None and dana.manager_name is None

        # Before Kim's leaving date she still counts.
        earlier = await get_person(session, dana.id, as_of=date(2026, 10, 31))
        assert earlier is not None and earlier.active_report_count == 2

        sam = await get_person_by_email(session, " SAM@council.example ", as_of=AS_OF)
        assert sam is not None
        assert sam.manager_id == dana.id and sam.manager_name == "Dana Boss"
        assert sam.start_date == date(2021, 3, 1) and not sam.is_manager

        helen = await get_person_by_email(session, "helen@council.example")
        assert helen is not None and helen.is_hr_admin and helen.roles == frozenset({"hr_admin"})

        kim = await get_person_by_email(session, "kim@council.example", as_of=AS_OF)
        assert kim is not None and kim.left_on == left_on and not kim.is_active(AS_OF)

        reports = await active_direct_reports(session, dana.id, AS_OF)
        assert [p.name for p in reports] == ["Sam Staff"]
        assert [p.manager_name for p in reports] == ["Dana Boss"]
        before_leaving = await active_direct_reports(session, dana.id, date(2026, 10, 31))
        assert [p.name for p in before_leaving] == ["Kim Lee", "Sam Staff"]

        assert await get_person(session, 999_999) is None
        assert await get_person_by_email(session, "nobody@council.example") is None
        assert await get_person_by_aad_object_id(session, GUID.format(99)) is None
        assert await get_person_by_aad_object_id(session, "") is None


async def test_setting_an_aad_object_id(database: Database) -> None:
    await run(database, DANA, SAM, KIM)
    async with database.transaction() as session:
        kim = await get_person_by_email(session, "kim@council.example")
        assert kim is not None and kim.aad_object_id is None
        await set_aad_object_id(session, kim.id, GUID.format(3).upper())
    async with database.transaction() as session:
        found = await get_person_by_aad_object_id(session, GUID.format(3))
        assert found is not None and found.id == kim.id
        with pytest.raises(AadObjectIdInUse):
            await set_aad_object_id(session, kim.id, GUID.format(1))  # Dana's
        await set_aad_object_id(session, kim.id, GUID.format(3))  # their own again: fine


# --- the demo organisation --------------------------------------------------------------------


async def test_the_demo_organisation_loads_once(database: Database) -> None:
    first = await seed_demo(database, AS_OF)
    assert counts(first) == (48, 0, 0, 0)
    before = await table(database)
    assert counts(await seed_demo(database, AS_OF)) == (0, 0, 48, 0)
    assert await table(database) == before
    assert all(row["is_demo"] for row in before)
    assert all(row["email"].endswith("@demo-council.example") for row in before)

    async with database.transaction() as session:
        priya = await get_person_by_aad_object_id(session, "00000000-0000-4000-8000-000000000003")
        assert priya is not None
        assert (priya.name, priya.job_title) == ("Priya Shah", "Libraries Team Manager")
        assert priya.manager_name == "David Marsh" and priya.active_report_count == 5
        team = await active_direct_reports(session, priya.id, AS_OF)
        assert len(team) == 5
        assert sum(p.start_date >= date(2026, 9, 1) for p in team) == 1  # one in probation

        helen = await get_person_by_aad_object_id(session, "00000000-0000-4000-8000-000000000001")
        assert helen is not None and helen.is_hr_admin and helen.manager_id is None
        assert helen.department == "Corporate Resources"

        david = await get_person_by_email(session, "david.marsh@demo-council.example")
        assert david is not None and david.manager_id is None and david.active_report_count == 3
        for number in range(11, 26):
            staff = await get_person_by_aad_object_id(
                session, f"00000000-0000-4000-8000-{number:012d}"
            )
            assert staff is not None and staff.employee_id == f"D{number:03d}"
            assert staff.department == "Community Services"


async def test_charter_import_org_dates_leavers_by_the_councils_calendar(
    database: Database,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """At 00:30 on 1 July in London the host's UTC date is still 30 June."""
    import asyncio
    from datetime import UTC, datetime

    from cli.main import main
    from domain.clock import Clock

    await run(database, DANA, SAM, KIM, HELEN)
    half_past_midnight_bst = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(Clock, "now", lambda self: half_past_midnight_bst.astimezone(self.tz))
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHARTER_TIMEZONE", "Europe/London")
    path = tmp_path / "org.csv"
    path.write_text(org(DANA, SAM, HELEN).getvalue())
    assert await asyncio.to_thread(main, ["import", "org", str(path), "--full"]) == 0
    assert "1 marked as left" in capsys.readouterr().out
    assert (await by_employee_id(database))["E3"]["left_on"] == date(2026, 7, 1)
