"""`charter delegate` and `charter report compliance|scorecard` as HR runs them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from cli.main import main
from services.demo import demo_org_csv


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.chdir(tmp_path)
    org = tmp_path / "org.csv"
    org.write_text(demo_org_csv(), encoding="utf-8")
    assert main(["import", "org", str(org)]) == 0
    return db_url


def test_delegate_list_and_end(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    until = (date.today() + timedelta(days=10)).isoformat()
    capsys.readouterr()
    args = ["delegate", "--manager", "priya.shah@demo-council.example"]
    assert main([*args, "--to", "tom.griffiths@demo-council.example", "--until", until]) == 0
    out = capsys.readouterr()
    assert "Tom Griffiths acts for Priya Shah's team" in out.out
    assert "please let them know" in out.err  # no Teams here: HR is told to tell them
    # A second acting manager for the same days is refused and changes nothing.
    assert main([*args, "--to", "aisha.khan@demo-council.example", "--until", until]) == 1
    assert "already acting" in capsys.readouterr().err
    # Someone in the team can't act for it.
    assert main([*args, "--to", "rhys.evans@demo-council.example", "--until", until]) == 1
    assert main(["delegate", "list"]) == 0
    listed = capsys.readouterr().out
    assert "priya.shah@demo-council.example" in listed and listed.count("\n") == 1
    delegation_id = listed.split("\t")[0]
    assert main(["delegate", "end", delegation_id]) == 0
    assert main(["delegate", "list"]) == 0
    assert "no current or upcoming delegations" in capsys.readouterr().out


def test_hr_confirms_a_pending_delegation(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Priya delegates to Tom, her peer (outside her own chain of managers): it waits for
    HR, grants nothing, and `charter delegate confirm` puts it in force."""
    from zoneinfo import ZoneInfo

    from domain.clock import Clock
    from services.delegation import DelegationService
    from storage import employees
    from storage.database import Database

    async def priya_asks() -> tuple[int, bool]:
        async with Database(cli_env) as database:
            today = date.today()
            async with database.sessions() as session:
                priya = await employees.get_person_by_email(
                    session, "priya.shah@demo-council.example", as_of=today
                )
                tom = await employees.get_person_by_email(
                    session, "tom.griffiths@demo-council.example", as_of=today
                )
            assert priya is not None and tom is not None
            service = DelegationService(database, Clock(ZoneInfo("Europe/London")))
            made = await service.create(priya, priya, tom, ends_on=today + timedelta(days=5))
            return made.id, await service.is_acting_manager(tom)

    delegation_id, tom_may_act = asyncio.run(priya_asks())
    assert not tom_may_act
    capsys.readouterr()
    assert main(["delegate", "list"]) == 0
    assert "AWAITING HR CONFIRMATION" in capsys.readouterr().out
    assert main(["delegate", "confirm", str(delegation_id)]) == 0
    assert "confirmed delegation" in capsys.readouterr().out
    assert main(["delegate", "confirm", str(delegation_id)]) == 1
    assert "already confirmed" in capsys.readouterr().err
    assert main(["delegate", "list"]) == 0
    assert "AWAITING" not in capsys.readouterr().out


def test_compliance_report_formats(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["report", "compliance", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["council"]["name"] == "Whole council"
    assert main(["report", "compliance", "--by", "manager", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {"Priya Shah", "Whole council"} <= {r["group"] for r in rows}
    page = tmp_path / "out.html"
    assert main(["report", "compliance", "--html", str(page)]) == 0
    assert "<svg" in page.read_text(encoding="utf-8")
    assert "Do planned one-to-ones happen?" in page.read_text(encoding="utf-8")
    assert main(["report", "compliance"]) == 0
    text = capsys.readouterr().out
    assert "Planned one-to-ones: held on the planned date, moved, didn't happen" in text


def test_scorecard_for_a_department(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["report", "scorecard", "--department", "Community Services"]) == 0
    out = capsys.readouterr().out
    assert "Balanced scorecard: Community Services" in out
    assert "Not measured by Charter" in out
    assert main(["report", "scorecard", "--department", "Nowhere"]) == 1
