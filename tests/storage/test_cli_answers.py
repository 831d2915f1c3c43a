"""`charter ask`, `charter content check|reload` and `charter report questions` as HR runs them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cli.main import main
from domain.clock import FixedClock
from services.answers import AnswerService, ContentLibrary
from services.directory import Directory
from storage.content_reloads import ContentReloadRequests
from storage.database import Database

SAMPLE = Path(__file__).parents[1] / "fixtures" / "content_pack_sample"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(SAMPLE, folder)
    return folder


@pytest.fixture
def cli_env(db_url: str, pack: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHARTER_CONTENT_DIR", str(pack))
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.delenv("CHARTER_ANSWER_THRESHOLD", raising=False)
    monkeypatch.chdir(tmp_path)
    return db_url


async def test_ask_prints_json_with_the_answer_and_its_source(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await asyncio.to_thread(main, ["ask", "how often should I do 121s?", "--json"])
    assert code == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["answered"] is True
    assert answer["section_id"] == "one-to-ones#how-often-to-hold-one-to-ones"
    assert answer["title"] == "How often to hold one-to-ones"
    assert answer["source"] == "Sample framework: One to ones"
    assert answer["answer"].startswith("Hold them every month")
    assert 0 < answer["score"] <= 1
    assert all("section_id" in r for r in answer["related"])


async def test_ask_as_staff_and_out_of_scope(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["ask", "what happens at my appraisal", "--audience", "staff", "--json"]
    assert await asyncio.to_thread(main, args) == 0
    assert json.loads(capsys.readouterr().out)["section_id"] == (
        "apr-for-staff#what-happens-at-your-apr"
    )
    assert await asyncio.to_thread(main, ["ask", "who won the world cup", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["answered"] is False and answer["answer"] is None
    assert await asyncio.to_thread(main, ["ask", "how often should I do 121s"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("How often to hold one-to-ones — One-to-ones")
    assert "Source: Sample framework: One to ones" in text
    assert "- book a recurring slot" in text


async def test_content_check_passes_a_good_pack_and_fails_a_broken_one_with_path_and_line(
    cli_env: str, pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await asyncio.to_thread(main, ["content", "check"]) == 0
    assert "6 topics, 9 sections, no problems" in capsys.readouterr().out
    broken = pack / "apr.md"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("audience: manager", "audience: bosses")
        + "\nSee [nowhere](missing.md#x).\n",
        encoding="utf-8",
    )
    assert await asyncio.to_thread(main, ["content", "check", str(pack)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:4: audience 'bosses' must be one of manager, staff, all" in err
    assert "problem(s)" in err


async def test_content_reload_refuses_a_broken_pack_and_records_a_good_one(
    cli_env: str, pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = Database(cli_env)
    try:
        requests = ContentReloadRequests(database)
        assert await requests.generation() == 0
        assert await asyncio.to_thread(main, ["content", "reload"]) == 0
        assert "reload #1" in capsys.readouterr().out
        assert await requests.generation() == 1
        (pack / "capability.md").write_text("oops\n", encoding="utf-8")
        assert await asyncio.to_thread(main, ["content", "reload"]) == 1
        assert "capability.md:1: missing front matter" in capsys.readouterr().err
        assert await requests.generation() == 1
    finally:
        await database.dispose()


async def test_report_questions_lists_unanswered_and_down_votes_in_each_format(
    cli_env: str, demo_org: Database, pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = Directory(demo_org, FixedClock(NOW))
    staff = await directory.by_email("rhys.evans@demo-council.example")
    assert staff is not None
    answers = AnswerService(demo_org, FixedClock(NOW), ContentLibrary(pack))
    await answers.ask("Where is the canteen", staff)
    await answers.ask("where is the  canteen", staff)
    rated = await answers.ask("what happens at my appraisal", staff)
    await answers.rate(rated.question_id or 0, staff, helpful=False)

    assert await asyncio.to_thread(main, ["report", "questions"]) == 0
    text = capsys.readouterr().out
    assert "where is the canteen" in text and "what happens at my appraisal" in text
    assert "Rhys" not in text

    assert await asyncio.to_thread(main, ["report", "questions", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["question"], r["asked"], r["unanswered"], r["down_votes"]) for r in rows] == [
        ("where is the canteen", "2", "2", "0"),
        ("what happens at my appraisal", "1", "0", "1"),
    ]
    assert rows[1]["section_id"] == "apr-for-staff#what-happens-at-your-apr"

    args = ["report", "questions", "--format", "json", "--since", "2026-12-01"]
    assert await asyncio.to_thread(main, args) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert await asyncio.to_thread(main, ["report", "questions", "--since", "soon"]) == 2
