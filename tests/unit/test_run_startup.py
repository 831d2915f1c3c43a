"""`charter run` refuses to serve what would be open to anyone, and says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import create_app
from bot.config import ConfigError, Settings
from cli.main import main

SETTINGS_NAMES = (
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "MicrosoftAppTenantId",
    "HOST",
    "CHARTER_ALLOWED_TENANTS",
    "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK",
)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    """A clean environment (no .env), and run_app recorded instead of serving."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'charter.db'}")
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(web, "run_app", lambda app, **kw: calls.append(kw))
    return calls


def test_local_mode_on_a_network_address_does_not_start(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert main(["run"]) == 2
    assert served == []
    err = capsys.readouterr().err
    assert "HOST=0.0.0.0 is not a loopback address" in err
    assert "NOT authenticated" in err
    assert "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK=true" in err
    assert "MicrosoftAppTenantId" in err  # what production needs


def test_local_mode_starts_on_this_machine_by_default(served: list[dict[str, Any]]) -> None:
    assert main(["run"]) == 0
    [call] = served
    assert call["host"] == "127.0.0.1"


def test_local_mode_on_a_network_address_starts_only_when_explicitly_allowed(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("CHARTER_ALLOW_UNAUTHENTICATED_NETWORK", "true")
    assert main(["run"]) == 0
    assert served[0]["host"] == "0.0.0.0"


def test_authentication_without_the_councils_tenant_does_not_start(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("MicrosoftAppId", "6f1b1c2e-3d4a-4b5c-8d7e-9f0a1b2c3d4e")
    monkeypatch.setenv("MicrosoftAppPassword", "not-a-real-secret")
    assert main(["run"]) == 2
    assert served == []
    err = capsys.readouterr().err
    assert "MicrosoftAppTenantId" in err and "CHARTER_ALLOWED_TENANTS" in err


def test_create_app_refuses_the_same_settings() -> None:
    with pytest.raises(ConfigError, match=r"HOST=0\.0\.0\.0"):
        create_app(Settings(host="0.0.0.0"))
    with pytest.raises(ConfigError, match="CHARTER_ALLOWED_TENANTS"):
        create_app(Settings(app_id="app"))
