"""The one composition root: settings become the database, the clock, the services and the
delivery to Teams here, and nowhere else.

The aiohttp app (:mod:`bot.app`), the reminder jobs (:mod:`bot.jobs.reminders`), the
`charter` command and the tests all open a :class:`Runtime` and close it when they are done.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.config import Settings
from domain.clock import Clock
from domain.notify import Notifier
from domain.report_links import ReportLinks, derive_key
from domain.sentence_encoder import use_threads
from services.audit import Channel
from services.registry import Services
from storage.conversation_refs import ConversationReferences
from storage.database import Database

if TYPE_CHECKING:
    from botbuilder.integration.aiohttp import CloudAdapter

    from bot.jobs.nudge_sender import TeamsDelivery
    from bot.teams.outbound import CharterBotFrameworkAuthentication
    from bot.teams.proactive import ProactiveNotifier


@dataclass(frozen=True)
class TeamsOutbound:
    """How Charter reaches Teams: one authentication (with its shared HTTP session), the
    adapter that sends through it, and the notifier for proactive cards."""

    authentication: CharterBotFrameworkAuthentication
    adapter: CloudAdapter
    notifier: ProactiveNotifier

    @classmethod
    def build(cls, settings: Settings, database: Database, clock: Clock) -> TeamsOutbound:
        # Imported here: admin commands that reach nobody in Teams start without the SDK.
        from bot.teams.adapter import CharterAdapter
        from bot.teams.outbound import CharterBotFrameworkAuthentication
        from bot.teams.proactive import ProactiveNotifier

        authentication = CharterBotFrameworkAuthentication(
            settings, timeout_seconds=settings.outbound_timeout_seconds
        )
        adapter = CharterAdapter(authentication)
        notifier = ProactiveNotifier(
            adapter, settings.app_id, ConversationReferences(database), clock=clock
        )
        return cls(authentication, adapter, notifier)


class NoTeams(RuntimeError):
    """This runtime was opened without a Teams connection."""


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    clock: Clock
    services: Services
    teams: TeamsOutbound | None

    @property
    def adapter(self) -> CloudAdapter:
        return self._teams().adapter

    @property
    def authentication(self) -> CharterBotFrameworkAuthentication:
        return self._teams().authentication

    def teams_delivery(self) -> TeamsDelivery:
        """What the reminder sender delivers digests through."""
        from bot.jobs.nudge_sender import TeamsDelivery

        settings = self.settings
        return TeamsDelivery(
            adapter=self.adapter,
            app_id=settings.app_id,
            references=ConversationReferences(self.database),
            database=self.database,
            tenant_id=settings.notification_tenant,
            service_url=settings.teams_service_url,
        )

    async def close(self) -> None:
        """The database's connections, and the Teams HTTP session if there is one (aiohttp
        reports an unclosed session on exit)."""
        try:
            if self.teams is not None:
                # Let a notice being delivered finish (briefly) before the session closes.
                await self.teams.notifier.close()
                await self.teams.authentication.close()
        finally:
            await self.database.dispose()

    def _teams(self) -> TeamsOutbound:
        if self.teams is None:
            raise NoTeams("this runtime has no Teams connection")
        return self.teams


def build_runtime(
    settings: Settings,
    clock: Clock | None = None,
    *,
    channel: Channel | str = Channel.CHAT,
    teams: bool = True,
) -> Runtime:
    """Everything one running Charter uses. ``channel`` is how people reach these services
    (chat, cli or scheduler), recorded on every audit event; without ``teams`` nobody can be
    reached proactively (the notifier says so)."""
    database = Database(settings.database_url)
    clock = clock or Clock(settings.tz)
    outbound = TeamsOutbound.build(settings, database, clock) if teams else None
    services = build_services(
        settings,
        database,
        clock,
        notifier=outbound.notifier if outbound is not None else None,
        channel=channel,
        report_links=report_links_for(settings),
    )
    return Runtime(settings, database, clock, services, outbound)


def build_services(
    settings: Settings,
    database: Database,
    clock: Clock,
    *,
    notifier: Notifier | None = None,
    channel: Channel | str = Channel.CHAT,
    report_links: ReportLinks | None = None,
) -> Services:
    """The services, with the policies the settings give; without ``report_links`` the chat
    offers no link to the report pages."""
    use_threads(settings.blas_threads)  # before the content library loads the encoder
    services = Services.build(
        database,
        clock,
        notifier=notifier,
        one_to_one_policy=settings.one_to_one_policy(),
        apr_policy=settings.apr_policy,
        absence_policy=settings.absence_policy,
        nudge_policy=settings.nudge_policy,
        scorecard_targets=dict(settings.scorecard_targets),
        channel=channel,
        content_dir=settings.content_dir,
        answer_threshold=settings.answer_threshold,
    )
    return replace(services, report_links=report_links)


def report_links_for(settings: Settings) -> ReportLinks:
    """Links to the report pages under the bot's own address. The key comes from the app
    registration's secret; in local mode (no secret; anyone who reaches the port can act as
    anyone anyway) from the database URL, so every worker of one deployment agrees on it."""
    secret = settings.app_password or f"local:{settings.database_url}"
    if settings.public_hostname:
        base = f"https://{settings.public_hostname}"
    else:
        host = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0", "::") else settings.host
        base = f"http://{host}:{settings.port}"
    return ReportLinks(derive_key(secret), base)


@asynccontextmanager
async def opened(
    settings: Settings,
    clock: Clock | None = None,
    *,
    channel: Channel | str = Channel.CHAT,
    teams: bool = True,
) -> AsyncIterator[Runtime]:
    """A runtime for the length of a ``with`` block, closed however the block ends."""
    runtime = build_runtime(settings, clock, channel=channel, teams=teams)
    try:
        yield runtime
    finally:
        await runtime.close()


def upgrade_database(settings: Settings) -> None:
    """Apply the migrations to the configured database."""
    from storage.migrate import upgrade

    upgrade(settings.database_url)
