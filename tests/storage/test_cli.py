"""The `charter` command as HR and IT run it."""

from __future__ import annotations

import asyncio
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.teams.app_package import manifest_errors
from cli.main import main
from storage.database import Database
from storage.models import Employee

HEADER = "employee_id,name,email,manager_email,department,job_title,start_date\n"


def count_employees(db_url: str) -> int:
    async def run() -> int:
        database = Database(db_url)
        try:
            async with database.sessions() as session:
                return int(await session.scalar(select(func.count()).select_from(Employee)) or 0)
        finally:
            await database.dispose()

    return asyncio.run(run())


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.chdir(tmp_path)
    return db_url


def test_manifest_writes_a_package_that_validates(cli_env: str, tmp_path: Path) -> None:
    out = tmp_path / "build" / "appPackage.zip"
    assert (
        main(["manifest", "--app-id", "6f1b1c2e-3d4a-4b5c-8d7e-9f0a1b2c3d4e", "--out", str(out)])
        == 0
    )
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["id"] == "6f1b1c2e-3d4a-4b5c-8d7e-9f0a1b2c3d4e"
    assert manifest["bots"][0]["botId"] == manifest["id"]
    assert manifest_errors(manifest) == []


def test_manifest_refuses_a_bad_app_id(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest", "--app-id", "not-a-guid"]) == 1
    assert "GUID" in capsys.readouterr().err


def test_import_org_reports_a_cycle_and_an_unknown_manager_and_writes_nothing(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "E1,Ann Top,ann@x.example,,Resources,Director,2020-01-01\n")
    assert main(["import", "org", str(good)]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "E2,Bob Bell,bob@x.example,ann@x.example,Resources,Officer,2020-01-01\n"
        + "E3,Cat Cole,cat@x.example,dan@x.example,Resources,Lead,2020-01-01\n"
        + "E4,Dan Dee,dan@x.example,cat@x.example,Resources,Lead,2020-01-01\n"
        + "E5,Eve Eng,eve@x.example,nobody@x.example,Resources,Officer,2020-01-01\n"
    )
    assert main(["import", "org", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 3: reporting cycle" in err
    assert "line 5: unknown manager nobody@x.example" in err
    assert "nothing was imported" in err
    assert count_employees(cli_env) == 1


def test_report_feedback_when_there_is_none(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "feedback"]) == 0
    assert "No feedback yet." in capsys.readouterr().out
