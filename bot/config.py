"""Configuration from environment variables and an optional ``.env`` file.

Bot Framework settings keep the names the SDK samples use (``MicrosoftAppId`` …) so that an
Azure Bot registration's values can be pasted in unchanged. Every setting is listed in
``SETTINGS_HELP`` (:mod:`bot.settings_help`) and rendered in the README table; the settings
value is :class:`bot.settings.Settings`, each value's parsing is in :mod:`bot.environment`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot import environment as read
from bot.settings import VERSION, ConfigError, Settings
from bot.settings_help import SETTINGS_HELP
from bot.teams import service_urls

__all__ = [
    "SETTINGS_HELP",
    "VERSION",
    "ConfigError",
    "Settings",
    "load_settings",
    "serving_notice",
    "serving_problem",
    "settings_or_exit",
]


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read settings: real environment variables win over the ``.env`` file."""
    env = read.read_environment(environ, env_file)
    app_id = read.text(env, "MicrosoftAppId")
    app_type = read.app_type(env)
    # Checked in this order, so the first unusable setting is the one reported.
    tenant = read.app_tenant_id(env, app_id, app_type)
    database_url, timezone = read.database_url(env), read.timezone(env)
    log_level = read.log_level(env)
    return Settings(
        app_id=app_id,
        app_password=env.get("MicrosoftAppPassword", ""),
        app_type=app_type,
        app_tenant_id=tenant,
        database_url=database_url,
        host=read.text(env, "HOST", "127.0.0.1"),
        allow_unauthenticated_network=read.boolean(
            env, "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK", False
        ),
        service_hosts=read.service_hosts(env),
        port=read.integer(env, "PORT", 3978),
        timezone=timezone,
        allowed_tenants=read.allowed_tenants(env),
        public_hostname=read.text(env, "CHARTER_PUBLIC_HOSTNAME"),
        max_request_bytes=read.integer(env, "CHARTER_MAX_REQUEST_BYTES", 262_144),
        outbound_timeout_seconds=read.integer(env, "CHARTER_OUTBOUND_TIMEOUT_SECONDS", 15),
        log_level=log_level,
        one_to_one_cadence_days=read.integer(env, "CHARTER_ONE_TO_ONE_CADENCE_DAYS", 28),
        one_to_one_edit_days=read.integer(env, "CHARTER_ONE_TO_ONE_EDIT_DAYS", 7),
        one_to_one_notify_employee=read.boolean(env, "CHARTER_ONE_TO_ONE_NOTIFY_EMPLOYEE", True),
        one_to_one_manager_summary=read.boolean(env, "CHARTER_ONE_TO_ONE_MANAGER_SUMMARY", True),
        wellbeing_signposts=read.wellbeing_signposts(env),
        apr_policy=read.apr_policy(env),
        absence_policy=(absence := read.absence_policy(env)),
        nudge_policy=read.nudge_policy(env, absence),
        nudge_schedule=read.nudge_schedule(env),
        nudge_rate=read.integer(env, "CHARTER_NUDGE_RATE", 50),
        teams_service_url=read.text(
            env, "CHARTER_TEAMS_SERVICE_URL", "https://smba.trafficmanager.net/uk/"
        ),
        content_dir=read.content_dir(env),
        answer_threshold=read.answer_threshold(env),
        blas_threads=read.blas_threads(env),
        retention=tuple(read.retention(env).items()),
        retention_time=read.retention_time(env),
        scorecard_targets=read.scorecard_targets(env),
    )


def settings_or_exit() -> Settings:
    """The settings for a command: a setting Charter cannot use stops it, saying which."""
    try:
        return load_settings()
    except ConfigError as error:
        raise SystemExit(f"charter: configuration error: {error}") from error


def serving_problem(settings: Settings) -> str | None:
    """Why `charter run` must not serve with these settings (None: it may).

    Authentication on: the council's tenant must be known, or a user from any tenant whose
    roster email matches an unlinked employee would become that employee. Local mode: no
    authentication at all, so only this machine may reach it unless explicitly allowed.
    """
    if not settings.local_mode:
        if not settings.council_tenants:
            return (
                "MicrosoftAppId is set but the council's tenant is not: set MicrosoftAppTenantId "
                "(the app registration's tenant) or CHARTER_ALLOWED_TENANTS (the council's "
                "Microsoft 365 tenant ids). Without it anyone in any tenant could use the bot."
            )
        if refused := settings.service_url_refusal(settings.teams_service_url):
            return f"CHARTER_TEAMS_SERVICE_URL cannot be used: {refused} (CHARTER_SERVICE_HOSTS)."
        return None
    if not service_urls.is_loopback_host(settings.host) and not (
        settings.allow_unauthenticated_network
    ):
        return (
            f"HOST={settings.host} is not a loopback address, and MicrosoftAppId is empty "
            "(local mode: requests are NOT authenticated, anyone who reaches the port can act "
            "as anyone). Use HOST=127.0.0.1, or set MicrosoftAppId, MicrosoftAppPassword and "
            "MicrosoftAppTenantId for production. Only on an isolated test network, set "
            "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK=true."
        )
    return None


def serving_notice(settings: Settings) -> str:
    """What `charter run` says at start-up about how it is protected."""
    if not settings.local_mode:
        return (
            "Authentication on: only activities signed by the Bot Framework for this app, from "
            f"tenant(s) {', '.join(sorted(settings.council_tenants))}, are handled; the bot's "
            "token goes only to the hosts in CHARTER_SERVICE_HOSTS."
        )
    exposed = not service_urls.is_loopback_host(settings.host)
    return (
        "LOCAL MODE (MicrosoftAppId is empty): requests are NOT authenticated. For the Agents "
        "Playground and tests on this machine only; replies go only to a serviceUrl on this "
        "machine, and a non-loopback HOST refuses to start unless "
        "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK=true. Production needs MicrosoftAppId, "
        "MicrosoftAppPassword and MicrosoftAppTenantId (or CHARTER_ALLOWED_TENANTS)."
        + (
            f" WARNING: listening on {settings.host} because "
            "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK=true: anyone who reaches this port can act "
            "as anyone."
            if exposed
            else ""
        )
    )
