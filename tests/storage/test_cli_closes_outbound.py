"""CLI commands that build a Teams notifier close its shared HTTP session when they end;
otherwise aiohttp prints "Unclosed client session" at exit."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.teams.outbound import CharterBotFrameworkAuthentication
from cli.main import main
from services.demo import demo_org_csv


@pytest.fixture
def closed(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[object]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    # The bot's credentials are set, so the commands reach people through Teams; nobody has a
    # chat with the bot here, so nothing is sent anywhere.
    monkeypatch.setenv("MicrosoftAppId", "6f1b1c2e-3d4a-4b5c-8d7e-9f0a1b2c3d4e")
    monkeypatch.setenv("MicrosoftAppPassword", "not-a-real-secret")
    monkeypatch.setenv("MicrosoftAppTenantId", "11111111-2222-4333-8444-555555555555")
    monkeypatch.chdir(tmp_path)
    org = tmp_path / "org.csv"
    org.write_text(demo_org_csv(), encoding="utf-8")
    assert main(["import", "org", str(org)]) == 0
    calls: list[object] = []
    original = CharterBotFrameworkAuthentication.close

    async def recording_close(self: CharterBotFrameworkAuthentication) -> None:
        calls.append(self)
        await original(self)

    monkeypatch.setattr(CharterBotFrameworkAuthentication, "close", recording_close)
    return calls


def test_nudges_closes_the_notifiers_http_session(closed: list[Any]) -> None:
    assert main(["nudges", "--dry-run"]) == 0
    assert len(closed) == 1


def test_delegate_closes_the_notifiers_http_session(
    closed: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    until = (date.today() + timedelta(days=10)).isoformat()
    args = ["delegate", "--manager", "priya.shah@demo-council.example"]
    assert main([*args, "--to", "tom.griffiths@demo-council.example", "--until", until]) == 0
    assert "please let them know" in capsys.readouterr().err  # no chat with Charter yet
    assert len(closed) == 1
