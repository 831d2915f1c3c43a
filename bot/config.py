"""Configuration from environment variables and an optional ``.env`` file.

Bot Framework settings keep the names the SDK samples use (``MicrosoftAppId`` …) so that an
Azure Bot registration's values can be pasted in unchanged. Every setting is listed in
``SETTINGS_HELP`` and rendered in the README table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.teams import service_urls
from domain.answer_index import ANSWER_THRESHOLD
from domain.apr_cycle import AprCyclePolicy, CycleKind
from domain.nudge_rules import NudgePolicy
from domain.retention import DEFAULT_PERIODS, Kind, Period, RetentionError, parse_retention
from domain.triggers import TriggerPolicy
from domain.working_days import WorkingPattern
from services.absence import DEFAULT_REASONS, AbsencePolicy
from services.one_to_ones import DEFAULT_SIGNPOSTS, OneToOnePolicy
from services.scorecard import DEFAULT_TARGETS, parse_targets
from storage.database import DEFAULT_DATABASE_URL, DatabaseUrlError, normalise_database_url

VERSION = "0.1.0"

# name -> (default, meaning); the README's configuration table is checked against this.
SETTINGS_HELP: dict[str, tuple[str, str]] = {
    "MicrosoftAppId": ("(empty)", "Azure Bot app id. Empty runs in local mode with no auth."),
    "MicrosoftAppPassword": ("(empty)", "Client secret of the app registration."),
    "MicrosoftAppType": ("MultiTenant", "MultiTenant, SingleTenant or UserAssignedMSI."),
    "MicrosoftAppTenantId": ("(empty)", "Tenant of the app registration (SingleTenant/MSI)."),
    "DATABASE_URL": (DEFAULT_DATABASE_URL, "sqlite:///path or postgresql://user@host/db."),
    "PORT": ("3978", "HTTP port of the bot service."),
    "HOST": (
        "127.0.0.1",
        "Interface the bot service listens on. In local mode only a loopback address starts.",
    ),
    "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK": (
        "false",
        "true lets local mode (no MicrosoftAppId, NO authentication) listen on a non-loopback "
        "HOST. Anyone who reaches the port can act as anyone: for an isolated test network only.",
    ),
    "CHARTER_TIMEZONE": ("Europe/London", "Time zone for dates, working days and schedules."),
    "CHARTER_ALLOWED_TENANTS": (
        "(empty)",
        "Comma list of the council's Microsoft 365 tenant ids; other tenants are refused. "
        "Empty: MicrosoftAppTenantId's tenant only. With MicrosoftAppId set, one of the two "
        "is required.",
    ),
    "CHARTER_SERVICE_HOSTS": (
        ",".join(service_urls.DEFAULT_SERVICE_HOSTS),
        "With authentication on, the only hosts (exact, or *.domain) a serviceUrl may name: the "
        "bot's token is sent to no other.",
    ),
    "CHARTER_PUBLIC_HOSTNAME": (
        "(empty)",
        "Public host name of the bot (for the app package's validDomains).",
    ),
    "CHARTER_MAX_REQUEST_BYTES": ("262144", "Largest request body /api/messages accepts."),
    "CHARTER_OUTBOUND_TIMEOUT_SECONDS": (
        "15",
        "Seconds to wait for Teams (the Bot Connector) to answer a reply or proactive send.",
    ),
    "CHARTER_LOG_LEVEL": ("INFO", "Log level: DEBUG, INFO, WARNING, ERROR."),
    "CHARTER_ONE_TO_ONE_CADENCE_DAYS": (
        "28",
        "Expected days between one-to-ones (HR can override per team or employee).",
    ),
    "CHARTER_ONE_TO_ONE_EDIT_DAYS": ("7", "Days the author may edit a one-to-one after logging."),
    "CHARTER_ONE_TO_ONE_NOTIFY_EMPLOYEE": (
        "true",
        "Send the employee their shared notes and actions after a one-to-one.",
    ),
    "CHARTER_ONE_TO_ONE_MANAGER_SUMMARY": (
        "true",
        "Show the manager a summary card after saving a one-to-one.",
    ),
    "CHARTER_APR_CYCLE": (
        "fixed_window",
        "fixed_window (everyone in one window) or anniversary (of each start date).",
    ),
    "CHARTER_APR_WINDOW": ("04-01..06-30", "The fixed APR window, as MM-DD..MM-DD."),
    "CHARTER_PROBATION_MONTHS": ("6", "Months of probation before a first APR is due."),
    "CHARTER_WORKING_PATTERN": (
        "Mon-Fri",
        "Default working days for absence rules (an employee's own pattern wins).",
    ),
    "CHARTER_RTW_DEADLINE_DAYS": (
        "3",
        "Working days after the first day back by which the RTW conversation is due.",
    ),
    "CHARTER_TRIGGER_OCCASIONS": ("3", "Sickness occasions in a rolling 12 months that trigger."),
    "CHARTER_TRIGGER_DAYS": ("8", "Working days lost in a rolling 12 months that trigger."),
    "CHARTER_BRADFORD_THRESHOLD": ("(empty)", "Optional Bradford Factor threshold to flag."),
    "CHARTER_COUNT_DISABILITY_ABSENCE": (
        "false",
        "Count disability-related absence towards triggers (default: shown separately).",
    ),
    "CHARTER_ABSENCE_REASONS": (
        "(musculoskeletal | stress, anxiety or depression | cold, cough or flu | …)",
        "Absence reason categories, separated by |.",
    ),
    "CHARTER_NUDGE_SCHEDULE": (
        "mon-fri 09:00",
        "When the reminder cycle runs (days, then local time); 'off' to stop it.",
    ),
    "CHARTER_NUDGE_HOURS": ("09:00-17:00", "Reminders are only sent within these hours."),
    "CHARTER_NUDGE_WEEKLY_CAP": ("3", "At most this many reminder digests a person a week."),
    "CHARTER_NUDGE_RATE": (
        "50",
        "Messages a second to Teams for the tenant (Teams' limit is ~50).",
    ),
    "CHARTER_ESCALATE_AFTER": (
        "2",
        "Nudges about an overdue RTW before the manager's manager sees it too.",
    ),
    "CHARTER_TEAMS_SERVICE_URL": (
        "https://smba.trafficmanager.net/uk/",
        "Bot Connector URL for starting a chat with someone who never opened the bot.",
    ),
    "CHARTER_RETENTION": (
        "(one_to_one=2y,absence=6y,return_to_work=6y,objective=6y,apr=6y,question=1y,…)",
        "Retention period per record type (record_type=period, e.g. absence=6y); "
        "types not named keep their default.",
    ),
    "CHARTER_RETENTION_TIME": (
        "02:30",
        "Local time the nightly retention run starts inside `charter run`; 'off' to stop it.",
    ),
    "CHARTER_CONTENT_DIR": (
        "(the pack shipped with Charter)",
        "Folder of the 'what good looks like' content pack (Markdown topics).",
    ),
    "CHARTER_ANSWER_THRESHOLD": (
        str(ANSWER_THRESHOLD),
        "Confidence (0-1) an answer needs; below it Charter says it is not sure.",
    ),
    "CHARTER_SCORECARD_TARGETS": (
        "(one_to_ones=90,aprs=95,objectives=95,objectives_on_track=70,rtw=90,sickness_days=8,"
        "trigger_points=10)",
        "Balanced scorecard targets as measure=value pairs; measures not named keep their default.",
    ),
    "CHARTER_WELLBEING_SIGNPOSTS": (
        "(Occupational Health | EAP | Mental Health First Aiders)",
        "Support signposted when a wellbeing concern is raised: entries separated by |.",
    ),
}


class ConfigError(ValueError):
    """A setting has a value Charter cannot use; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    app_tenant_id: str = ""
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    allow_unauthenticated_network: bool = False
    service_hosts: tuple[str, ...] = service_urls.DEFAULT_SERVICE_HOSTS
    port: int = 3978
    timezone: str = "Europe/London"
    allowed_tenants: frozenset[str] = field(default_factory=frozenset)
    public_hostname: str = ""
    max_request_bytes: int = 262_144
    outbound_timeout_seconds: int = 15
    log_level: str = "INFO"
    one_to_one_cadence_days: int = 28
    one_to_one_edit_days: int = 7
    one_to_one_notify_employee: bool = True
    one_to_one_manager_summary: bool = True
    wellbeing_signposts: tuple[str, ...] = DEFAULT_SIGNPOSTS
    apr_policy: AprCyclePolicy = field(default_factory=AprCyclePolicy)
    absence_policy: AbsencePolicy = field(default_factory=AbsencePolicy)
    nudge_policy: NudgePolicy = field(default_factory=NudgePolicy)
    nudge_schedule: str = "mon-fri 09:00"
    nudge_rate: int = 50
    teams_service_url: str = "https://smba.trafficmanager.net/uk/"
    # None: the content pack shipped with Charter (content.PACK_DIR).
    content_dir: Path | None = None
    answer_threshold: float = ANSWER_THRESHOLD
    # (record type, period) pairs; a tuple keeps Settings hashable. See retention_periods.
    retention: tuple[tuple[Kind, Period], ...] = tuple(DEFAULT_PERIODS.items())
    retention_time: str = "02:30"
    # (measure, target) pairs for the balanced scorecard; see services.scorecard.
    scorecard_targets: tuple[tuple[str, float], ...] = tuple(DEFAULT_TARGETS.items())

    @property
    def notification_tenant(self) -> str:
        """The tenant to start new chats in: the app's own, else the only allowed one."""
        if self.app_tenant_id:
            return self.app_tenant_id
        return next(iter(self.allowed_tenants)) if len(self.allowed_tenants) == 1 else ""

    def nudge_cron(self) -> dict[str, object] | None:
        """APScheduler cron fields for the reminder cycle, or None when switched off."""
        text = self.nudge_schedule.strip().lower()
        if text == "off":
            return None
        days, _, clock = text.partition(" ")
        hour, _, minute = clock.partition(":")
        return {"day_of_week": days, "hour": int(hour), "minute": int(minute or 0)}

    @property
    def retention_periods(self) -> dict[Kind, Period]:
        return dict(self.retention)

    def retention_cron(self) -> dict[str, object] | None:
        """APScheduler cron fields for the nightly retention run, or None when off."""
        if self.retention_time == "off":
            return None
        hour, _, minute = self.retention_time.partition(":")
        return {"hour": int(hour), "minute": int(minute or 0)}

    def one_to_one_policy(self) -> OneToOnePolicy:
        return OneToOnePolicy(
            default_cadence_days=self.one_to_one_cadence_days,
            edit_window_days=self.one_to_one_edit_days,
            notify_employee=self.one_to_one_notify_employee,
            manager_summary=self.one_to_one_manager_summary,
            signposts=self.wellbeing_signposts,
        )

    @property
    def local_mode(self) -> bool:
        """No app id: the bot accepts unauthenticated requests (local development only)."""
        return not self.app_id

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def council_tenants(self) -> frozenset[str]:
        """The council's tenant ids, lower case: the allow-list, else the app's own tenant."""
        if self.allowed_tenants:
            return frozenset(t.lower() for t in self.allowed_tenants)
        return frozenset({self.app_tenant_id.lower()}) if self.app_tenant_id else frozenset()

    def tenant_allowed(self, tenant_id: str | None) -> bool:
        """May an activity from this tenant be handled? Tenant ids compare case-insensitively
        (Teams and the Azure portal do not agree on the case of a GUID)."""
        council = self.council_tenants
        return not council or (tenant_id or "").lower() in council

    def may_link_by_email(self, tenant_id: str | None) -> bool:
        """May a roster email match make this Teams account someone's, for good? Only for the
        council's own tenant: anyone can put any address in another tenant's directory. With
        no tenant configured only local mode links (authenticated bots refuse to start so)."""
        council = self.council_tenants
        if not council:
            return self.local_mode
        return (tenant_id or "").lower() in council

    def service_url_refusal(self, service_url: object) -> str | None:
        """Why the bot must not call this serviceUrl (None: it may); see bot.teams.service_urls."""
        return service_urls.refusal(
            service_url, local_mode=self.local_mode, allowed_hosts=self.service_hosts
        )

    # The attribute names ConfigurationBotFrameworkAuthentication reads.
    @property
    def APP_ID(self) -> str:
        return self.app_id

    @property
    def APP_PASSWORD(self) -> str:
        return self.app_password

    @property
    def APP_TYPE(self) -> str:
        return self.app_type

    @property
    def APP_TENANTID(self) -> str:
        return self.app_tenant_id


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from exc
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}.")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def _apr_policy(env: Mapping[str, str]) -> AprCyclePolicy:
    kind_raw = env.get("CHARTER_APR_CYCLE", "").strip().lower() or "fixed_window"
    try:
        kind = CycleKind(kind_raw)
    except ValueError as exc:
        raise ConfigError("CHARTER_APR_CYCLE must be fixed_window or anniversary.") from exc
    window = env.get("CHARTER_APR_WINDOW", "").strip() or "04-01..06-30"
    try:
        start_raw, end_raw = window.split("..")
        start = tuple(int(part) for part in start_raw.split("-"))
        end = tuple(int(part) for part in end_raw.split("-"))
        return AprCyclePolicy(
            kind=kind,
            window_start=(start[0], start[1]),
            window_end=(end[0], end[1]),
            probation_months=_int(env, "CHARTER_PROBATION_MONTHS", 6, minimum=0),
        )
    except ConfigError:
        raise
    except (ValueError, IndexError) as exc:
        raise ConfigError(
            f"CHARTER_APR_WINDOW must look like 04-01..06-30 (month-day..month-day) within "
            f"one year, not {window!r}."
        ) from exc


def _absence_policy(env: Mapping[str, str]) -> AbsencePolicy:
    pattern = env.get("CHARTER_WORKING_PATTERN", "").strip() or "Mon-Fri"
    try:
        WorkingPattern.parse(pattern)
    except ValueError as exc:
        raise ConfigError(f"CHARTER_WORKING_PATTERN: {exc}") from exc
    reasons = tuple(
        r.strip() for r in env.get("CHARTER_ABSENCE_REASONS", "").split("|") if r.strip()
    )
    bradford = env.get("CHARTER_BRADFORD_THRESHOLD", "").strip()
    try:
        triggers = TriggerPolicy(
            occasions=_int(env, "CHARTER_TRIGGER_OCCASIONS", 3),
            working_days=_int(env, "CHARTER_TRIGGER_DAYS", 8),
            bradford_threshold=_int(env, "CHARTER_BRADFORD_THRESHOLD", 1) if bradford else None,
            count_disability_related=_bool(env, "CHARTER_COUNT_DISABILITY_ABSENCE", False),
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    return AbsencePolicy(
        reasons=reasons or DEFAULT_REASONS,
        rtw_deadline_days=_int(env, "CHARTER_RTW_DEADLINE_DAYS", 3),
        triggers=triggers,
        default_pattern=pattern,
    )


_NUDGE_HOURS = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$")


def _nudge_hours(text: str) -> dict[str, int]:
    """``09:30-16:45`` (or ``9-17``) as NudgePolicy's start/end hour and minute fields."""
    match = _NUDGE_HOURS.match(text)
    if match is None:
        raise ValueError(text)
    start_hour, start_minute, end_hour, end_minute = (int(part or 0) for part in match.groups())
    return {
        "start_hour": start_hour,
        "start_minute": start_minute,
        "end_hour": end_hour,
        "end_minute": end_minute,
    }


def _nudge_policy(env: Mapping[str, str], absence: AbsencePolicy) -> NudgePolicy:
    hours = env.get("CHARTER_NUDGE_HOURS", "").strip() or "09:00-17:00"
    try:
        return NudgePolicy(
            send_days=WorkingPattern.parse(absence.default_pattern),
            **_nudge_hours(hours),
            weekly_cap=_int(env, "CHARTER_NUDGE_WEEKLY_CAP", 3),
            escalate_after=_int(env, "CHARTER_ESCALATE_AFTER", 2),
        )
    except ConfigError:
        raise
    except ValueError as exc:
        raise ConfigError(
            f"CHARTER_NUDGE_HOURS must look like 09:00-17:00, not {hours!r}."
        ) from exc


def _nudge_schedule(env: Mapping[str, str]) -> str:
    text = env.get("CHARTER_NUDGE_SCHEDULE", "").strip() or "mon-fri 09:00"
    if text.lower() == "off":
        return "off"
    days, _, clock = text.partition(" ")
    hour, _, minute = clock.partition(":")
    if not days or not hour.isdigit() or not (minute or "0").isdigit() or int(hour) > 23:
        raise ConfigError(
            f"CHARTER_NUDGE_SCHEDULE must look like 'mon-fri 09:00' or 'off', not {text!r}."
        )
    return text


def _retention(env: Mapping[str, str]) -> dict[Kind, Period]:
    try:
        return parse_retention(env.get("CHARTER_RETENTION", ""))
    except RetentionError as exc:
        raise ConfigError(f"CHARTER_RETENTION: {exc}") from exc


def _retention_time(env: Mapping[str, str]) -> str:
    text = env.get("CHARTER_RETENTION_TIME", "").strip().lower() or "02:30"
    if text == "off":
        return text
    hour, _, minute = text.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ConfigError(f"CHARTER_RETENTION_TIME must look like 02:30 or 'off', not {text!r}.")
    return f"{int(hour):02d}:{int(minute):02d}"


def _content_dir(env: Mapping[str, str]) -> Path | None:
    raw = env.get("CHARTER_CONTENT_DIR", "").strip()
    if not raw:
        return None
    folder = Path(raw).expanduser()
    if not folder.is_dir():
        raise ConfigError(f"CHARTER_CONTENT_DIR {raw!r} is not a folder.")
    return folder


def _answer_threshold(env: Mapping[str, str]) -> float:
    raw = env.get("CHARTER_ANSWER_THRESHOLD", "").strip()
    if not raw:
        return ANSWER_THRESHOLD
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"CHARTER_ANSWER_THRESHOLD must be a number, not {raw!r}.") from exc
    if not 0 < value <= 1:
        raise ConfigError("CHARTER_ANSWER_THRESHOLD must be above 0 and at most 1.")
    return value


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read settings: real environment variables win over the ``.env`` file."""
    env: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        env.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    env.update(os.environ if environ is None else environ)

    app_type = env.get("MicrosoftAppType", "").strip() or "MultiTenant"
    if app_type.lower() not in ("multitenant", "singletenant", "userassignedmsi"):
        raise ConfigError(
            f"MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, "
            f"not {app_type!r}."
        )
    app_id = env.get("MicrosoftAppId", "").strip()
    tenant = env.get("MicrosoftAppTenantId", "").strip()
    if app_id and app_type.lower() != "multitenant" and not tenant:
        raise ConfigError(f"MicrosoftAppTenantId is required when MicrosoftAppType={app_type}.")

    database_url = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    try:
        normalise_database_url(database_url)  # fail early, with a clear message
    except DatabaseUrlError as exc:
        raise ConfigError(str(exc)) from exc

    timezone = env.get("CHARTER_TIMEZONE", "").strip() or "Europe/London"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"CHARTER_TIMEZONE {timezone!r} is not a known time zone.") from exc

    log_level = (env.get("CHARTER_LOG_LEVEL", "").strip() or "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("CHARTER_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR.")

    tenants = frozenset(
        t.strip().lower() for t in env.get("CHARTER_ALLOWED_TENANTS", "").split(",") if t.strip()
    )
    return Settings(
        app_id=app_id,
        app_password=env.get("MicrosoftAppPassword", ""),
        app_type=app_type,
        app_tenant_id=tenant,
        database_url=database_url,
        host=env.get("HOST", "").strip() or "127.0.0.1",
        allow_unauthenticated_network=_bool(env, "CHARTER_ALLOW_UNAUTHENTICATED_NETWORK", False),
        service_hosts=_service_hosts(env),
        port=_int(env, "PORT", 3978),
        timezone=timezone,
        allowed_tenants=tenants,
        public_hostname=env.get("CHARTER_PUBLIC_HOSTNAME", "").strip(),
        max_request_bytes=_int(env, "CHARTER_MAX_REQUEST_BYTES", 262_144),
        outbound_timeout_seconds=_int(env, "CHARTER_OUTBOUND_TIMEOUT_SECONDS", 15),
        log_level=log_level,
        one_to_one_cadence_days=_int(env, "CHARTER_ONE_TO_ONE_CADENCE_DAYS", 28),
        one_to_one_edit_days=_int(env, "CHARTER_ONE_TO_ONE_EDIT_DAYS", 7),
        one_to_one_notify_employee=_bool(env, "CHARTER_ONE_TO_ONE_NOTIFY_EMPLOYEE", True),
        one_to_one_manager_summary=_bool(env, "CHARTER_ONE_TO_ONE_MANAGER_SUMMARY", True),
        wellbeing_signposts=tuple(
            part.strip()
            for part in env.get("CHARTER_WELLBEING_SIGNPOSTS", "").split("|")
            if part.strip()
        )
        or DEFAULT_SIGNPOSTS,
        apr_policy=_apr_policy(env),
        absence_policy=(absence := _absence_policy(env)),
        nudge_policy=_nudge_policy(env, absence),
        nudge_schedule=_nudge_schedule(env),
        nudge_rate=_int(env, "CHARTER_NUDGE_RATE", 50),
        teams_service_url=env.get("CHARTER_TEAMS_SERVICE_URL", "").strip()
        or "https://smba.trafficmanager.net/uk/",
        content_dir=_content_dir(env),
        answer_threshold=_answer_threshold(env),
        retention=tuple(_retention(env).items()),
        retention_time=_retention_time(env),
        scorecard_targets=_scorecard_targets(env),
    )


def _service_hosts(env: Mapping[str, str]) -> tuple[str, ...]:
    raw = env.get("CHARTER_SERVICE_HOSTS", "").strip()
    if not raw:
        return service_urls.DEFAULT_SERVICE_HOSTS
    hosts = tuple(h.strip().lower() for h in raw.split(",") if h.strip())
    for host in hosts:
        bare = host.removeprefix("*.")
        if not bare or "*" in bare or "/" in host or ":" in host or "@" in host:
            raise ConfigError(
                f"CHARTER_SERVICE_HOSTS: {host!r} is not a host name (give exact hosts or "
                "*.domain, comma-separated, without scheme, port or path)."
            )
    return hosts


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


def _scorecard_targets(env: Mapping[str, str]) -> tuple[tuple[str, float], ...]:
    try:
        return tuple(parse_targets(env.get("CHARTER_SCORECARD_TARGETS", "")).items())
    except ValueError as error:
        raise ConfigError(f"CHARTER_SCORECARD_TARGETS: {error}.") from error
