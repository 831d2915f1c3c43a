"""The absence commands as HR runs them: import, the two exports, and working patterns."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cli.main import main
from services.absence_export import ABSENCE_COLUMNS, RTW_COLUMNS
from services.demo import demo_org_csv
from storage.database import Database
from storage.models import Absence, Employee

HEADER = "employee_id,employee_email,start_date,end_date,absence_type,reason_category\n"


def _query(db_url: str, statement):  # type: ignore[no-untyped-def]
    async def run():  # type: ignore[no-untyped-def]
        database = Database(db_url)
        try:
            async with database.sessions() as session:
                return await session.scalar(statement)
        finally:
            await database.dispose()

    return asyncio.run(run())


def count_absences(db_url: str) -> int:
    return int(_query(db_url, select(func.count()).select_from(Absence)) or 0)


def pattern_of(db_url: str, employee_id: str) -> str:
    return str(
        _query(db_url, select(Employee.working_pattern).where(Employee.employee_id == employee_id))
    )


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The demo organisation chart loaded through the CLI, and nothing else."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.chdir(tmp_path)
    org = tmp_path / "org.csv"
    org.write_text(demo_org_csv(), encoding="utf-8")
    assert main(["import", "org", str(org)]) == 0
    return db_url


def test_import_absences_then_again_updates_nothing(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    path = tmp_path / "absences.csv"
    path.write_text(
        HEADER
        + 'D011,,2026-05-01,2026-05-05,sickness,"Cold, cough or flu"\n'
        + ",rhys.evans@demo-council.example,2026-03-02,,sickness,\n",
        encoding="utf-8",
    )
    assert main(["import", "absences", str(path)]) == 0
    out = capsys.readouterr().out
    assert "imported absences.csv: 2 absences added, 0 updated, 0 unchanged" in out
    assert main(["import", "absences", str(path)]) == 0
    assert "0 absences added, 0 updated, 2 unchanged" in capsys.readouterr().out
    path.write_text(HEADER + "D013,,2026-03-02,2026-03-06,sickness,\n", encoding="utf-8")
    assert main(["import", "absences", str(path)]) == 0
    assert "0 absences added, 1 updated, 0 unchanged" in capsys.readouterr().out
    assert count_absences(cli_env) == 2


def test_import_absences_reports_every_problem_and_writes_nothing(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    future = (date.today() + timedelta(days=30)).isoformat()
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "D011,,2026-03-10,2026-03-04,sickness,\n"
        + "D012,,2026-03-02,2026-03-06,sickness,\n"
        + "D012,,2026-03-05,2026-03-09,sickness,\n"
        + f"D014,,{future},,sickness,\n"
        + "D016,,2026-02-02,2026-02-03,sickness,\n",
        encoding="utf-8",
    )
    assert main(["import", "absences", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv: line 2: end_date 2026-03-04 is before start_date 2026-03-10" in err
    assert (
        "bad.csv: line 4: this absence (2026-03-05 to 2026-03-09) overlaps the one on line 3" in err
    )
    assert f"bad.csv: line 5: start_date {future} is in the future" in err
    assert "3 problem(s); nothing was imported." in err
    assert count_absences(cli_env) == 0


def test_import_absences_needs_a_file(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "absences", "missing.csv"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_exports_write_their_columns_to_stdout_or_a_file(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["export", "absences"]) == 0
    header, *rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert header == list(ABSENCE_COLUMNS) and len(rows) >= 8

    target = tmp_path / "rtw.json"
    assert main(["export", "return-to-work", "--format", "json", "--out", str(target)]) == 0
    assert f"to {target}" in capsys.readouterr().err
    text = target.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data and all(list(item) == list(RTW_COLUMNS) for item in data)
    assert any(item["trigger_reached"] is True for item in data)
    assert any(item["rtw_state"] == "due" and item["on_time"] is None for item in data)
    # The demo's return-to-work notes never leak.
    assert "heavy cold" not in text and "manual handling" not in text

    assert main(["export", "return-to-work", "--format", "csv"]) == 0
    header, *_ = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert header == list(RTW_COLUMNS)


def test_pattern_set_and_clear(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    email = "MeiLing.Chen@demo-council.example"
    assert main(["pattern", "set", "--employee", email, "monday, wednesday and fri"]) == 0
    out = capsys.readouterr().out
    assert "Mei Ling Chen (D014): Monday, Wednesday and Friday (Mon,Wed,Fri)" in out
    assert pattern_of(cli_env, "D014") == "Mon,Wed,Fri"

    assert main(["pattern", "clear", "--employee", email]) == 0
    assert "back to the default, Monday to Friday (Mon-Fri)" in capsys.readouterr().out
    assert pattern_of(cli_env, "D014") == ""


def test_pattern_set_rejects_bad_patterns_and_unknown_people(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    email = "meiling.chen@demo-council.example"
    assert main(["pattern", "set", "--employee", email, "Mon,Funday"]) == 1
    assert "'funday'" in capsys.readouterr().err
    assert main(["pattern", "set", "--employee", "nobody@demo-council.example", "Mon-Fri"]) == 1
    assert "nobody in Charter has the email nobody@demo-council.example" in (
        capsys.readouterr().err
    )
    assert pattern_of(cli_env, "D014") == ""
    with pytest.raises(SystemExit):
        main(["pattern", "set", "Mon-Fri"])  # --employee is required
