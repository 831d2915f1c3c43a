"""Charter's settings as one frozen value, and the error a setting Charter cannot use raises.

Read from the environment by :func:`bot.config.load_settings`; the parsing of each value is in
:mod:`bot.environment`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.teams import service_urls
from domain.answer_index import ANSWER_THRESHOLD
from domain.apr_cycle import AprCyclePolicy
from domain.nudge_rules import NudgePolicy
from domain.retention import DEFAULT_PERIODS, Kind, Period
from domain.sentence_encoder import BLAS_THREADS
from services.absence import AbsencePolicy
from services.one_to_ones import DEFAULT_SIGNPOSTS, OneToOnePolicy
from services.scorecard import DEFAULT_TARGETS
from storage.database import DEFAULT_DATABASE_URL

VERSION = "0.1.0"


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
    # Threads the sentence encoder may use (handed to it by bot.runtime.build_services).
    blas_threads: int = BLAS_THREADS
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
        if not self.council_tenants:
            return self.local_mode
        return self.tenant_allowed(tenant_id)

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
