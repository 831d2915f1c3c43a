"""Send: deliver queued digests to Teams within its limits.

Each digest is claimed (two senders never take the same one), delivered to the person's
stored conversation reference (or a one-to-one conversation created from their
aadObjectId), and its outcome written at once, so a crash can repeat at most the message
in flight. Throttling: a token bucket per tenant (Teams allows ~50 messages a second per
app per tenant) and one per conversation (7 a second); 429 waits for Retry-After; 412 and
5xx retry with backoff and jitter; 403/404 mark the person unreachable; attempts are
bounded, then the digest is dead-lettered for `charter nudges status`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)
from sqlalchemy import select

from dialogs.cards import attachment
from dialogs.nudge_views import digest_cards
from domain.rate_limit import KeyedBuckets, RetryPolicy, TokenBucket, parse_retry_after
from storage import nudges as outbox
from storage.conversation_refs import ConversationReferences
from storage.database import Database
from storage.models import Employee

log = logging.getLogger("charter.nudges")


@dataclass(frozen=True)
class DeliveryResult:
    status: int | None  # HTTP status from the connector; None for a network error
    retry_after: float | None = None
    error: str = ""


def _result_from(error: Exception) -> DeliveryResult:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    retry_after = parse_retry_after(headers.get("Retry-After") if headers else None)
    return DeliveryResult(status, retry_after, type(error).__name__)


@dataclass
class TeamsDelivery:
    """Delivers cards to one person in Teams."""

    adapter: CloudAdapter
    app_id: str
    references: ConversationReferences
    database: Database
    tenant_id: str = ""
    service_url: str = "https://smba.trafficmanager.net/uk/"

    async def conversation_key(self, recipient_pk: int) -> str:
        stored = await self.references.for_employee(recipient_pk)
        return stored.conversation_id if stored else f"new:{recipient_pk}"

    async def deliver(
        self, recipient_pk: int, card: dict[str, Any], summary: str
    ) -> DeliveryResult:
        async def send(turn_context: TurnContext) -> None:
            message = MessageFactory.attachment(attachment(card))
            message.summary = summary
            await turn_context.send_activity(message)

        stored = await self.references.for_employee(recipient_pk)
        try:
            if stored is not None:
                reference = ConversationReference().deserialize(stored.reference)
                await self.adapter.continue_conversation(reference, send, self.app_id)
            else:
                await self._create_and_send(recipient_pk, send)
        except LookupError as missing:
            return DeliveryResult(404, None, str(missing))
        except Exception as error:  # the SDK raises ErrorResponseException with the response
            return _result_from(error)
        return DeliveryResult(200)

    async def _create_and_send(
        self, recipient_pk: int, send: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        """No conversation yet: create the one-to-one chat from the person's aadObjectId."""
        async with self.database.sessions() as session:
            aad = await session.scalar(
                select(Employee.aad_object_id).where(Employee.id == recipient_pk)
            )
        if not aad or not self.tenant_id:
            raise LookupError(
                "no conversation reference, and no aadObjectId and tenant to start one"
            )
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=f"28:{self.app_id}"),
            members=[ChannelAccount(id=aad)],
            tenant_id=self.tenant_id,
            channel_data={"tenant": {"id": self.tenant_id}},
        )
        await self.adapter.create_conversation(
            self.app_id, send, parameters, channel_id="msteams", service_url=self.service_url
        )


Deliver = Callable[[int, dict[str, Any], str], Awaitable[DeliveryResult]]


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    undeliverable: int = 0
    dead: int = 0
    messages: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


class NudgeSender:
    def __init__(
        self,
        database: Database,
        delivery: Any,
        *,
        tenant_rate: float = 50.0,
        conversation_rate: float = 7.0,
        retry: RetryPolicy | None = None,
        concurrency: int = 32,
        now: Callable[[], Any],
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        worker: str | None = None,
        stale_after: timedelta = timedelta(minutes=10),
    ) -> None:
        self._db = database
        self._delivery = delivery
        self._tenant = TokenBucket(tenant_rate, tenant_rate, monotonic)
        self._conversations = KeyedBuckets(conversation_rate, conversation_rate, monotonic)
        self._retry = retry or RetryPolicy()
        self._concurrency = concurrency
        self._now = now
        self._sleep = sleep
        self._rand = rand
        self._worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self._stale_after = stale_after

    async def send_pending(self, *, batch: int = 200) -> SendReport:
        """Deliver everything queued and due, until nothing is left to claim."""
        report = SendReport()
        gate = asyncio.Semaphore(self._concurrency)
        while True:
            async with self._db.transaction() as session:
                ids = await outbox.claim(
                    session,
                    worker=self._worker,
                    now=self._now(),
                    limit=batch,
                    stale_after=self._stale_after,
                )
            if not ids:
                return report

            async def one(digest_id: int) -> None:
                async with gate:
                    await self._send_digest(digest_id, report)

            await asyncio.gather(*(one(i) for i in ids))

    async def _send_digest(self, digest_id: int, report: SendReport) -> None:
        async with self._db.sessions() as session:
            digest = await outbox.load_digest(session, digest_id)
            refs = (
                dict(
                    (
                        await session.execute(
                            select(Employee.id, Employee.employee_id).where(
                                Employee.id.in_(
                                    {n.subject_id for n in digest.nudges if n.subject_id}
                                )
                            )
                        )
                    ).all()
                )
                if digest
                else {}
            )
        if digest is None or not digest.nudges:
            async with self._db.transaction() as session:
                await outbox.finish(session, digest_id, status="sent", now=self._now())
            return
        parts = digest_cards(digest.nudges, refs)
        key = await self._delivery.conversation_key(digest.recipient_id)
        attempt = digest.attempts
        for index, card in enumerate(parts):
            while True:
                attempt += 1
                await self._tenant.take(self._sleep)
                await self._conversations.take(key, self._sleep)
                result = await self._delivery.deliver(
                    digest.recipient_id, card, f"{len(digest.nudges)} things to do"
                )
                report.messages += 1
                if result.status is not None:
                    report.statuses[result.status] = report.statuses.get(result.status, 0) + 1
                decision = self._retry.decide(
                    result.status, attempt, result.retry_after, self._rand
                )
                if decision.action == "done":
                    break
                if decision.action == "retry":
                    report.retried += 1
                    await self._sleep(decision.delay)
                    continue
                status = "undeliverable" if decision.action == "undeliverable" else "dead"
                async with self._db.transaction() as session:
                    await outbox.finish(
                        session,
                        digest_id,
                        status=status,
                        now=self._now(),
                        error=f"{result.status}: {decision.reason} {result.error}".strip(),
                    )
                if status == "undeliverable":
                    report.undeliverable += 1
                else:
                    report.dead += 1
                log.warning("digest %s %s: %s", digest_id, status, decision.reason)
                return
            if index < len(parts) - 1:
                log.debug("digest %s part %s of %s sent", digest_id, index + 1, len(parts))
        async with self._db.transaction() as session:
            await outbox.finish(session, digest_id, status="sent", now=self._now())
        report.sent += 1
