"""Every setting Charter reads, with its default and meaning: `charter` documents these, and
the README's configuration table is checked against them.

Bot Framework settings keep the names the SDK samples use (``MicrosoftAppId`` …) so that an
Azure Bot registration's values can be pasted in unchanged.
"""

from __future__ import annotations

from bot.teams import service_urls
from domain.answer_index import ANSWER_THRESHOLD
from domain.sentence_encoder import BLAS_THREADS, MAX_BLAS_THREADS
from storage.database import DEFAULT_DATABASE_URL

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
    "CHARTER_ABSENCE_REASON_ALIASES": (
        "(cold/flu, stomach, msk, … built in)",
        "More short codes HR's exports use, as alias=reason separated by |.",
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
    "CHARTER_BLAS_THREADS": (
        str(BLAS_THREADS),
        f"Threads the answer engine's sentence encoder may use (1-{MAX_BLAS_THREADS}).",
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
