from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import (
    SETTINGS_HELP,
    ConfigError,
    Settings,
    load_settings,
    serving_notice,
    serving_problem,
)
from bot.teams.service_urls import DEFAULT_SERVICE_HOSTS


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
        ({"CHARTER_BLAS_THREADS": "0"}, "CHARTER_BLAS_THREADS must be a whole number from 1 to 64"),
        ({"CHARTER_BLAS_THREADS": "-2"}, r"CHARTER_BLAS_THREADS must be .* from 1 to 64, not '-2'"),
        ({"CHARTER_BLAS_THREADS": "two"}, r"CHARTER_BLAS_THREADS must be .* 1 to 64, not 'two'"),
        ({"CHARTER_BLAS_THREADS": "1.5"}, r"CHARTER_BLAS_THREADS must be .* 1 to 64"),
        ({"CHARTER_BLAS_THREADS": "65"}, r"CHARTER_BLAS_THREADS must be .* 1 to 64"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env, env_file=None)


def test_blas_threads_are_read_and_default_to_one() -> None:
    assert load_settings({}, env_file=None).blas_threads == 1
    assert load_settings({"CHARTER_BLAS_THREADS": " 2 "}, env_file=None).blas_threads == 2


def test_readme_lists_every_setting() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    missing = [name for name in SETTINGS_HELP if f"`{name}`" not in readme]
    assert missing == []


# --- local mode, the council's tenant and the service hosts (issue 13) ----------------------


def test_local_mode_listens_on_this_machine_only_by_default() -> None:
    settings = load_settings({}, env_file=None)
    assert settings.host == "127.0.0.1"
    assert serving_problem(settings) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "charter.example"])
def test_local_mode_refuses_to_serve_a_network_address(host: str) -> None:
    problem = serving_problem(load_settings({"HOST": host}, env_file=None))
    assert problem is not None
    assert f"HOST={host}" in problem
    assert "MicrosoftAppId" in problem and "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK" in problem


def test_local_mode_on_a_network_address_needs_the_loud_setting() -> None:
    settings = load_settings(
        {"HOST": "0.0.0.0", "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK": "true"}, env_file=None
    )
    assert serving_problem(settings) is None
    assert "anyone who reaches this port can act as anyone" in serving_notice(settings)


@pytest.mark.parametrize("host", ["localhost", "::1", "127.0.0.2"])
def test_local_mode_accepts_any_loopback_address(host: str) -> None:
    assert serving_problem(load_settings({"HOST": host}, env_file=None)) is None


def test_authentication_without_the_councils_tenant_refuses_to_serve() -> None:
    settings = load_settings(
        {"MicrosoftAppId": "app", "MicrosoftAppPassword": "s", "HOST": "0.0.0.0"}, env_file=None
    )
    problem = serving_problem(settings)
    assert problem is not None
    assert "MicrosoftAppTenantId" in problem and "CHARTER_ALLOWED_TENANTS" in problem


@pytest.mark.parametrize(
    "env",
    [
        {"MicrosoftAppTenantId": "AAAA-Tenant"},
        {"CHARTER_ALLOWED_TENANTS": "aaaa-tenant,bbbb"},
    ],
)
def test_authentication_with_the_councils_tenant_serves_anywhere(env: dict[str, str]) -> None:
    settings = load_settings({"MicrosoftAppId": "app", "HOST": "0.0.0.0", **env}, env_file=None)
    assert serving_problem(settings) is None
    assert settings.tenant_allowed("AAAA-TENANT")
    assert settings.tenant_allowed("aaaa-tenant")
    assert not settings.tenant_allowed("cccc")
    assert not settings.tenant_allowed(None)


def test_tenant_ids_compare_case_insensitively() -> None:
    settings = load_settings(
        {"CHARTER_ALLOWED_TENANTS": "00000000-0000-4000-8000-0000000000AA"}, env_file=None
    )
    assert settings.tenant_allowed("00000000-0000-4000-8000-0000000000aa")
    built = Settings(allowed_tenants=frozenset({"ABC"}))
    assert built.tenant_allowed("abc") and built.may_link_by_email("aBc")


def test_email_linking_is_only_for_the_councils_tenant() -> None:
    secured = Settings(app_id="app", app_tenant_id="Council")
    assert secured.may_link_by_email("council")
    assert not secured.may_link_by_email("elsewhere")
    assert not secured.may_link_by_email(None)
    # A bot with authentication but no tenant (start-up refuses it) links nobody by email.
    assert not Settings(app_id="app").may_link_by_email("anything")
    # Local mode with no tenant configured: the Playground's tenant links.
    assert Settings().may_link_by_email("playground")


def test_service_hosts_default_to_teams_and_bot_framework_and_can_be_set() -> None:
    assert load_settings({}, env_file=None).service_hosts == DEFAULT_SERVICE_HOSTS
    settings = load_settings(
        {
            "MicrosoftAppId": "app",
            "CHARTER_SERVICE_HOSTS": " SMBA.trafficmanager.net , *.x.example",
        },
        env_file=None,
    )
    assert settings.service_hosts == ("smba.trafficmanager.net", "*.x.example")
    assert settings.service_url_refusal("https://a.x.example/") is None
    assert settings.service_url_refusal("https://webchat.botframework.com/") is not None


@pytest.mark.parametrize("value", ["https://smba.trafficmanager.net/", "*", "a.example:443"])
def test_service_hosts_must_be_host_names(value: str) -> None:
    with pytest.raises(ConfigError, match="CHARTER_SERVICE_HOSTS"):
        load_settings({"CHARTER_SERVICE_HOSTS": value}, env_file=None)


def test_authentication_refuses_a_teams_service_url_off_the_host_list() -> None:
    env = {"MicrosoftAppId": "app", "MicrosoftAppTenantId": "t"}
    assert serving_problem(load_settings(env, env_file=None)) is None
    settings = load_settings(
        {**env, "CHARTER_TEAMS_SERVICE_URL": "https://teams.evil.example/uk/"}, env_file=None
    )
    problem = serving_problem(settings)
    assert problem is not None and "CHARTER_TEAMS_SERVICE_URL" in problem
