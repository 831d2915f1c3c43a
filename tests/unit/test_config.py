from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SETTINGS_HELP, ConfigError, load_settings


def test_defaults_are_local_mode_on_sqlite() -> None:
    settings = load_settings({}, env_file=None)
    assert settings.local_mode
    assert settings.port == 3978
    assert settings.database_url == "sqlite:///charter.db"
    assert settings.timezone == "Europe/London"
    assert settings.max_request_bytes == 262_144
    assert settings.allowed_tenants == frozenset()


def test_bot_framework_names_are_read_and_exposed_to_the_sdk() -> None:
    settings = load_settings(
        {
            "MicrosoftAppId": " 11111111-2222-3333-4444-555555555555 ",
            "MicrosoftAppPassword": "secret",
            "MicrosoftAppType": "SingleTenant",
            "MicrosoftAppTenantId": "tenant-1",
        },
        env_file=None,
    )
    assert not settings.local_mode
    assert settings.APP_ID == "11111111-2222-3333-4444-555555555555"
    assert settings.APP_PASSWORD == "secret"
    assert settings.APP_TYPE == "SingleTenant"
    assert settings.APP_TENANTID == "tenant-1"


def test_allowed_tenants_is_a_comma_list() -> None:
    settings = load_settings({"CHARTER_ALLOWED_TENANTS": "a, b,,c "}, env_file=None)
    assert settings.allowed_tenants == {"a", "b", "c"}
    assert settings.tenant_allowed("b")
    assert not settings.tenant_allowed("z")
    assert not settings.tenant_allowed(None)
    assert load_settings({}, env_file=None).tenant_allowed(None)


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=4000\nCHARTER_TIMEZONE=Europe/Dublin\n")
    settings = load_settings({"PORT": "5000"}, env_file=env_file)
    assert settings.port == 5000
    assert settings.timezone == "Europe/Dublin"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a whole number"),
        ({"PORT": "0"}, "PORT must be at least 1"),
        ({"CHARTER_APR_WINDOW": "April to June"}, "CHARTER_APR_WINDOW must look like"),
        ({"CHARTER_APR_WINDOW": "11-01..02-28"}, "CHARTER_APR_WINDOW must look like"),
        ({"CHARTER_APR_CYCLE": "sometimes"}, "CHARTER_APR_CYCLE must be"),
        ({"CHARTER_TIMEZONE": "Mars/Olympus"}, "not a known time zone"),
        ({"MicrosoftAppType": "Sometimes"}, "MicrosoftAppType must be"),
        (
            {"MicrosoftAppId": "x", "MicrosoftAppType": "SingleTenant"},
            "MicrosoftAppTenantId is required",
        ),
        ({"DATABASE_URL": "mysql://root@localhost/db"}, "supports SQLite and PostgreSQL"),
        ({"CHARTER_LOG_LEVEL": "chatty"}, "CHARTER_LOG_LEVEL"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env, env_file=None)


def test_readme_lists_every_setting() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    missing = [name for name in SETTINGS_HELP if f"`{name}`" not in readme]
    assert missing == []
