"""Reading settings from environment values: one parser per setting (or group of settings),
each raising :class:`bot.settings.ConfigError` with a message that names the setting and says
what it must look like.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.settings import ConfigError
from bot.teams import service_urls
from domain.absences import DEFAULT_REASON_ALIASES, parse_reason_aliases
from domain.answer_index import ANSWER_THRESHOLD
from domain.apr_cycle import AprCyclePolicy, CycleKind
from domain.nudge_rules import NudgePolicy
from domain.retention import Kind, Period, RetentionError, parse_retention
from domain.sentence_encoder import BLAS_THREADS, MAX_BLAS_THREADS
from domain.triggers import TriggerPolicy
from domain.working_days import WorkingPattern
from services.absence import DEFAULT_REASONS, AbsencePolicy
from services.one_to_ones import DEFAULT_SIGNPOSTS
from services.scorecard import parse_targets
from storage.database import DEFAULT_DATABASE_URL, DatabaseUrlError, normalise_database_url


def integer(
    env: Mapping[str, str], name: str, default: int, *, minimum: int = 1, maximum: int | None = None
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    allowed = "a whole number" if maximum is None else f"a whole number from {minimum} to {maximum}"
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be {allowed}, not {raw!r}.") from exc
    if maximum is not None and not minimum <= value <= maximum:
        raise ConfigError(f"{name} must be {allowed}, not {raw!r}.")
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}.")
    return value


def blas_threads(env: Mapping[str, str]) -> int:
    """Threads the sentence encoder may use (``CHARTER_BLAS_THREADS``)."""
    return integer(env, "CHARTER_BLAS_THREADS", BLAS_THREADS, minimum=1, maximum=MAX_BLAS_THREADS)


def boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def apr_policy(env: Mapping[str, str]) -> AprCyclePolicy:
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
            probation_months=integer(env, "CHARTER_PROBATION_MONTHS", 6, minimum=0),
        )
    except ConfigError:
        raise
    except (ValueError, IndexError) as exc:
        raise ConfigError(
            f"CHARTER_APR_WINDOW must look like 04-01..06-30 (month-day..month-day) within "
            f"one year, not {window!r}."
        ) from exc


def absence_policy(env: Mapping[str, str]) -> AbsencePolicy:
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
            occasions=integer(env, "CHARTER_TRIGGER_OCCASIONS", 3),
            working_days=integer(env, "CHARTER_TRIGGER_DAYS", 8),
            bradford_threshold=integer(env, "CHARTER_BRADFORD_THRESHOLD", 1) if bradford else None,
            count_disability_related=boolean(env, "CHARTER_COUNT_DISABILITY_ABSENCE", False),
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    reasons = reasons or DEFAULT_REASONS
    aliases = env.get("CHARTER_ABSENCE_REASON_ALIASES", "").strip()
    try:
        # HR's own short codes, on top of the built-in ones (cold/flu, stomach, msk ...).
        extra = parse_reason_aliases(aliases, reasons) if aliases else {}
    except ValueError as exc:
        raise ConfigError(f"CHARTER_ABSENCE_REASON_ALIASES: {exc}") from exc
    return AbsencePolicy(
        reasons=reasons,
        rtw_deadline_days=integer(env, "CHARTER_RTW_DEADLINE_DAYS", 3),
        triggers=triggers,
        default_pattern=pattern,
        reason_aliases={**DEFAULT_REASON_ALIASES, **extra},
    )


_NUDGE_HOURS = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$")


class NudgeHours(NamedTuple):
    start_hour: int
    start_minute: int
    end_hour: int
    end_minute: int


def _nudge_hours(text: str) -> NudgeHours:
    """``09:30-16:45`` (or ``9-17``) as NudgePolicy's start/end hour and minute fields."""
    match = _NUDGE_HOURS.match(text)
    if match is None:
        raise ValueError(text)
    return NudgeHours(*(int(part or 0) for part in match.groups()))


def nudge_policy(env: Mapping[str, str], absence: AbsencePolicy) -> NudgePolicy:
    hours = env.get("CHARTER_NUDGE_HOURS", "").strip() or "09:00-17:00"
    try:
        window = _nudge_hours(hours)
        return NudgePolicy(
            send_days=WorkingPattern.parse(absence.default_pattern),
            start_hour=window.start_hour,
            start_minute=window.start_minute,
            end_hour=window.end_hour,
            end_minute=window.end_minute,
            weekly_cap=integer(env, "CHARTER_NUDGE_WEEKLY_CAP", 3),
            escalate_after=integer(env, "CHARTER_ESCALATE_AFTER", 2),
        )
    except ConfigError:
        raise
    except ValueError as exc:
        raise ConfigError(
            f"CHARTER_NUDGE_HOURS must look like 09:00-17:00, not {hours!r}."
        ) from exc


def nudge_schedule(env: Mapping[str, str]) -> str:
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


def retention(env: Mapping[str, str]) -> dict[Kind, Period]:
    try:
        return parse_retention(env.get("CHARTER_RETENTION", ""))
    except RetentionError as exc:
        raise ConfigError(f"CHARTER_RETENTION: {exc}") from exc


def retention_time(env: Mapping[str, str]) -> str:
    text = env.get("CHARTER_RETENTION_TIME", "").strip().lower() or "02:30"
    if text == "off":
        return text
    hour, _, minute = text.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ConfigError(f"CHARTER_RETENTION_TIME must look like 02:30 or 'off', not {text!r}.")
    return f"{int(hour):02d}:{int(minute):02d}"


def content_dir(env: Mapping[str, str]) -> Path | None:
    raw = env.get("CHARTER_CONTENT_DIR", "").strip()
    if not raw:
        return None
    folder = Path(raw).expanduser()
    if not folder.is_dir():
        raise ConfigError(f"CHARTER_CONTENT_DIR {raw!r} is not a folder.")
    return folder


def answer_threshold(env: Mapping[str, str]) -> float:
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


def service_hosts(env: Mapping[str, str]) -> tuple[str, ...]:
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


def scorecard_targets(env: Mapping[str, str]) -> tuple[tuple[str, float], ...]:
    try:
        return tuple(parse_targets(env.get("CHARTER_SCORECARD_TARGETS", "")).items())
    except ValueError as error:
        raise ConfigError(f"CHARTER_SCORECARD_TARGETS: {error}.") from error


def read_environment(environ: Mapping[str, str] | None, env_file: Path | None) -> dict[str, str]:
    """The values to read: real environment variables win over the ``.env`` file."""
    env: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        env.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    env.update(os.environ if environ is None else environ)
    return env


def text(env: Mapping[str, str], name: str, default: str = "") -> str:
    """A setting's value without surrounding spaces; ``default`` when empty."""
    return env.get(name, "").strip() or default


def app_type(env: Mapping[str, str]) -> str:
    value = text(env, "MicrosoftAppType", "MultiTenant")
    if value.lower() not in ("multitenant", "singletenant", "userassignedmsi"):
        raise ConfigError(
            f"MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, not {value!r}."
        )
    return value


def app_tenant_id(env: Mapping[str, str], app_id: str, kind: str) -> str:
    """MicrosoftAppTenantId: required for a SingleTenant or MSI app registration."""
    tenant = text(env, "MicrosoftAppTenantId")
    if app_id and kind.lower() != "multitenant" and not tenant:
        raise ConfigError(f"MicrosoftAppTenantId is required when MicrosoftAppType={kind}.")
    return tenant


def database_url(env: Mapping[str, str]) -> str:
    url = text(env, "DATABASE_URL", DEFAULT_DATABASE_URL)
    try:
        normalise_database_url(url)  # fail early, with a clear message
    except DatabaseUrlError as exc:
        raise ConfigError(str(exc)) from exc
    return url


def timezone(env: Mapping[str, str]) -> str:
    name = text(env, "CHARTER_TIMEZONE", "Europe/London")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"CHARTER_TIMEZONE {name!r} is not a known time zone.") from exc
    return name


def log_level(env: Mapping[str, str]) -> str:
    level = text(env, "CHARTER_LOG_LEVEL", "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("CHARTER_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR.")
    return level


def allowed_tenants(env: Mapping[str, str]) -> frozenset[str]:
    return frozenset(
        t.strip().lower() for t in env.get("CHARTER_ALLOWED_TENANTS", "").split(",") if t.strip()
    )


def wellbeing_signposts(env: Mapping[str, str]) -> tuple[str, ...]:
    parts = env.get("CHARTER_WELLBEING_SIGNPOSTS", "").split("|")
    return tuple(part.strip() for part in parts if part.strip()) or DEFAULT_SIGNPOSTS
