"""Proactive messages: every message to another person goes through the notice outbox.

``ProactiveNotifier`` is what the dialogs know as ``services.notifier``: it queues the card
(services/notices.py), committed right after the turn's work and before its reply, and wakes
this process's notice sender (bot/jobs/notice_sender.py), which delivers it to the person's
stored Teams conversation reference with the same claims, pacing and retries as the reminder
digests. The turn never waits on Teams.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from botbuilder.integration.aiohttp import CloudAdapter

from bot.jobs.notice_sender import NoticeSender
from bot.jobs.teams_delivery import TeamsDelivery
from domain.clock import Clock
from services.notices import NoticeOutbox
from storage.conversation_refs import ConversationReferences


class ProactiveNotifier:
    """Implements ``domain.notify.Notifier`` with the notice outbox and its sender."""

    def __init__(
        self,
        adapter: CloudAdapter,
        app_id: str,
        references: ConversationReferences,
        *,
        clock: Clock | None = None,
    ) -> None:
        self._adapter = adapter  # its authentication's HTTP session is closed with it
        database = references.database
        clock = clock or Clock(ZoneInfo("UTC"))
        delivery = TeamsDelivery(adapter, app_id, references)
        self.sender = NoticeSender(database, delivery, now=clock.now)
        self._outbox = NoticeOutbox(database, clock, wake=self.sender.wake)

    async def send_card(self, employee_pk: int, card: dict[str, Any], summary: str) -> bool:
        """Queue the card; True if the person has started a chat with Charter (it will be
        delivered), False if not (nothing is queued)."""
        return await self._outbox.send_card(employee_pk, card, summary)

    def start(self) -> None:
        """Deliver what is queued now and keep delivering (at startup: a notice queued
        before a crash or restart goes out)."""
        self.sender.start()

    async def close(self) -> None:
        """Let a delivery under way finish (briefly), then stop."""
        await self.sender.stop()
