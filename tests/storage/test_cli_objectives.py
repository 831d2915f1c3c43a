"""The objective and APR commands as HR runs them: import, export, report, and the lists."""

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
from services.demo import demo_org_csv
from services.objective_reports import APR_COLUMNS, OBJECTIVE_COLUMNS
from storage.database import Database
from storage.models import Apr

APR_HEADER = "employee_id,employee_email,held_on,manager_email,overall_comments\n"


def count_aprs(db_url: str) -> int:
    async def run() -> int:
        database = Database(db_url)
        try:
            async with database.sessions() as session:
                return int(await session.scalar(select(func.count()).select_from(Apr)) or 0)
        finally:
            await database.dispose()

    return asyncio.run(run())


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


def test_import_aprs_then_again_changes_nothing(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    path = tmp_path / "aprs.csv"
    path.write_text(
        APR_HEADER
        + "D011,,2026-05-04,,Strong year\n"
        + ",rhys.evans@demo-council.example,12/06/2025,,\n",
        encoding="utf-8",
    )
    assert main(["import", "aprs", str(path)]) == 0
    assert "imported aprs.csv: 2 APRs added, 0 unchanged" in capsys.readouterr().out
    assert main(["import", "aprs", str(path)]) == 0
    assert "0 APRs added, 2 unchanged (already in Charter)" in capsys.readouterr().out
    assert count_aprs(cli_env) == 2


def test_import_aprs_reports_every_problem_and_writes_nothing(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    future = (date.today() + timedelta(days=30)).isoformat()
    path = tmp_path / "bad.csv"
    path.write_text(
        APR_HEADER + "D011,,2026-05-04,,\n" + "D999,,2026-05-04,,\n" + f"D012,,{future},,\n",
        encoding="utf-8",
    )
    assert main(["import", "aprs", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv: line 3: unknown employee_id D999" in err
    assert f"bad.csv: line 4: held_on {future} is in the future" in err
    assert "2 problem(s); nothing was imported." in err
    assert count_aprs(cli_env) == 0


def test_import_aprs_needs_a_file(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "aprs", "missing.csv"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_exports_write_their_columns_to_stdout_or_a_file(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["export", "objectives"]) == 0
    out = capsys.readouterr().out
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header == list(OBJECTIVE_COLUMNS) and len(rows) > 30

    target = tmp_path / "aprs.json"
    assert main(["export", "aprs", "--format", "json", "--out", str(target)]) == 0
    assert f"to {target}" in capsys.readouterr().err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data and all(list(item) == list(APR_COLUMNS) for item in data)
    text = target.read_text(encoding="utf-8")
    # Free text from the demo APRs (overall comments, the employee's comment) never leaks.
    assert "A brilliant summer" not in text and "fair summary" not in text
    assert any(item["commented"] is True for item in data)


def test_report_golden_thread_in_three_formats(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["report", "golden-thread"]) == 0
    text = capsys.readouterr().out
    assert "Golden thread on" in text and "Council total" in text
    assert "P1  Transforming public services" in text
    assert main(["report", "golden-thread", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][0] == "department" and rows[-1][0] == "Council total"
    assert rows[-1][-2:] == ["48", "0.0"]  # 48 active demo staff, none with an objective yet
    assert main(["report", "golden-thread", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["headcount"] == 48


def test_plans_list_add_and_retire(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["plans", "list"]) == 0
    assert "The list is empty." in capsys.readouterr().out
    assert (
        main(
            ["plans", "add", "Libraries Service Plan 2026/27", "--department", "community services"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "added service plan 1: Libraries Service Plan 2026/27 (Community Services)" in out
    assert main(["plans", "add", "Parks Plan", "--department", "Parks"]) == 1
    assert "no department 'Parks'" in capsys.readouterr().err
    assert main(["plans", "retire", "1"]) == 0
    assert "retired service plan 1" in capsys.readouterr().out
    assert main(["plans", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Libraries Service Plan 2026/27" in listed and "retired" in listed
    assert main(["plans", "retire", "42"]) == 1
    assert "no service plan with id 42" in capsys.readouterr().err


def test_priorities_list_add_and_retire(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["priorities", "add", "A greener borough"]) == 0
    assert "added council priority 6: A greener borough" in capsys.readouterr().out
    assert main(["priorities", "retire", "6"]) == 0
    assert "retired council priority 6" in capsys.readouterr().out
    assert main(["priorities", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "Title", "Status"]
    assert lines[-1].split()[0] == "6" and lines[-1].endswith("retired")
    assert len(lines) == 7
    assert main(["priorities", "add", "  "]) == 1
    assert "the title is empty" in capsys.readouterr().err
