"""Send: deliver queued digests to Teams within its limits.

Each digest is claimed (two senders never take the same one), delivered to the person's
stored conversation reference (or a one-to-one conversation created from their
aadObjectId), and its outcome written at once. Throttling: sends are paced evenly, just
under Teams' limits (~50 messages a second per app per tenant, 7 a second per
conversation); 429 waits for Retry-After; 412 and 5xx retry with backoff and jitter;
403/404 mark the person unreachable; attempts are bounded, then the digest is dead-lettered
for `charter nudges status`.

Exactly once, as far as a sender can make it:
- A claim carries a token; every later write about the digest (renewing the claim before a
  retry or the next part, the outcome, a requeue) names it, so a sender whose claim went
  stale and was taken over writes nothing and sends nothing more.
- No wait inside a claim comes near the age at which a claim counts as abandoned: a
  Retry-After longer than ``max_wait`` gives the digest back to the queue with a not-before
  time, and whichever sender runs then sends it.
- A sender sends at most ``concurrency`` digests at a time and claims a small batch ahead
  only when fewer than that are waiting, so a crash (SIGKILL) can repeat at most
  ``concurrency`` digests per sender: the ones whose message was out but whose outcome was
  not yet written (claimed digests not yet started are taken over and sent once). Parts of
  a split digest already delivered are recorded, so a repeat is one message, not the
  digest. The price is pace: at most ``concurrency`` messages are out at once, so full speed
  (48 a second) needs Teams to answer within ``concurrency`` / 48 seconds.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from botframework.connector.aio import ConnectorClient
from botframework.connector.models import ErrorResponseException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.cards import attachment
from dialogs.nudges.views import digest_cards
from domain.rate_limit import RetryPolicy, parse_retry_after
from storage import nudges as outbox
from storage.conversation_refs import ConversationReferences, StoredReference, stored_reference
from storage.database import Database
from storage.models import ConversationReferenceRecord, Employee, Nudge, NudgeDigest
from storage.nudges import DigestToSend

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
    """Delivers cards to one person in Teams.

    Sends go straight to the Bot Connector through one ConnectorClient per service URL (the
    SDK's continue_conversation builds a new client, and with it a new HTTP session, for every
    message, which at 50 messages a second costs more CPU than the sending). They also bypass
    the adapter's turn pipeline on purpose: its on_turn_error would swallow a 429 (and try to
    send an apology), so a throttled digest would look delivered.
    """

    adapter: CloudAdapter
    app_id: str
    references: ConversationReferences
    database: Database
    tenant_id: str = ""
    service_url: str = "https://smba.trafficmanager.net/uk/"
    _looked_up: dict[int, StoredReference | None] = field(default_factory=dict, repr=False)
    _created: dict[int, ConversationReference] = field(default_factory=dict, repr=False)
    _clients: dict[str, ConnectorClient] = field(default_factory=dict, repr=False)

    async def preload(self, recipient_pks: set[int]) -> None:
        """Everyone's latest conversation reference in one query (for a claimed batch)."""
        latest: dict[int, ConversationReferenceRecord] = {}
        async with self.database.sessions() as session:
            for row in await session.scalars(
                select(ConversationReferenceRecord).where(
                    ConversationReferenceRecord.employee_id.in_(recipient_pks)
                )
            ):
                assert row.employee_id is not None
                known = latest.get(row.employee_id)
                if known is None or row.updated_at > known.updated_at:
                    latest[row.employee_id] = row
        for pk in recipient_pks:
            row = latest.get(pk)
            self._looked_up[pk] = None if row is None else stored_reference(row)

    async def conversation_key(self, recipient_pk: int) -> str:
        if recipient_pk in self._looked_up:
            stored = self._looked_up[recipient_pk]
        else:
            stored = await self.references.for_employee(recipient_pk)
            self._looked_up[recipient_pk] = stored  # deliver() uses it: no second query
        return stored.conversation_id if stored else f"new:{recipient_pk}"

    async def deliver(
        self,
        recipient_pk: int,
        card: dict[str, Any],
        summary: str,
        *,
        ready: Callable[[], Awaitable[None]] | None = None,
    ) -> DeliveryResult:
        """Send one card. ``ready`` (the sender's pacing) is awaited just before the message
        goes out, after everything else is prepared, so sends leave at the paced moments."""
        message = MessageFactory.attachment(attachment(card))
        message.summary = summary
        if recipient_pk in self._looked_up:
            stored = self._looked_up[recipient_pk]
        else:
            stored = await self.references.for_employee(recipient_pk)
        try:
            if stored is not None:
                reference = ConversationReference().deserialize(stored.reference)
                await self._send(reference, message, ready)
            else:
                created = self._created.get(recipient_pk)
                if created is None:  # retries and later parts reuse the new chat
                    created = await self._create_conversation(recipient_pk)
                    self._created[recipient_pk] = created
                await self._send(created, message, ready)
        except LookupError as missing:
            return DeliveryResult(404, None, str(missing))
        except Exception as error:  # the SDK raises ErrorResponseException with the response
            return _result_from(error)
        return DeliveryResult(200)

    async def close(self) -> None:
        self._looked_up.clear()
        self._created.clear()
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.__aexit__(None, None, None)

    async def _client(self, service_url: str) -> ConnectorClient:
        client = self._clients.get(service_url)
        if client is None:
            # As the SDK does for continue_conversation: the bot's own identity, default
            # audience (credentials and their token cache come from the adapter's factory).
            claims = self.adapter.create_claims_identity(self.app_id)
            factory = self.adapter.bot_framework_authentication.create_connector_factory(claims)
            client = self._clients[service_url] = await factory.create(service_url, None)
        return client

    async def _send(
        self,
        reference: ConversationReference,
        message: Activity,
        ready: Callable[[], Awaitable[None]] | None,
    ) -> None:
        """What TurnContext.send_activity does in a continued conversation."""
        if not reference.service_url or reference.conversation is None:
            raise LookupError("the stored conversation reference has no service URL")
        activity = TurnContext.apply_conversation_reference(message, reference)
        await self._post(await self._client(reference.service_url), activity, ready)

    @staticmethod
    async def _post(
        client: ConnectorClient,
        activity: Activity,
        ready: Callable[[], Awaitable[None]] | None,
    ) -> None:
        """``conversations.send_to_conversation`` (or ``reply_to_activity``) as the SDK sends
        it, except that each card goes into the JSON as it is: msrest re-serialises a card
        dict value by value, which was a third of the sender's CPU at 50 messages a second.
        """
        operations = client.conversations
        attachments = activity.attachments or []
        cards = [a.content for a in attachments]
        try:
            for a in attachments:
                a.content = None
            body = operations._serialize.body(activity, "Activity")
        finally:
            for a, card in zip(attachments, cards, strict=True):
                a.content = card
        for serialised, card in zip(body.get("attachments", []), cards, strict=True):
            serialised["content"] = card
        url = operations._serialize.url
        conversation = url("conversation_id", activity.conversation.id, "str")
        if activity.reply_to_id:
            path = operations._client.format_url(
                operations.reply_to_activity.metadata["url"],
                conversationId=conversation,
                activityId=url("activity_id", activity.reply_to_id, "str"),
            )
        else:
            path = operations._client.format_url(
                operations.send_to_conversation.metadata["url"], conversationId=conversation
            )
        headers = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"}
        request = operations._client.post(path, {}, headers, body)
        if ready is not None:
            await ready()
        response = await operations._client.async_send(request, stream=False)
        if response.status_code not in (200, 201, 202):
            raise ErrorResponseException(operations._deserialize, response)

    async def _create_conversation(self, recipient_pk: int) -> ConversationReference:
        """No conversation yet: create the one-to-one chat from the person's aadObjectId."""
        async with self.database.sessions() as session:
            aad = await session.scalar(
                select(Employee.aad_object_id).where(Employee.id == recipient_pk)
            )
        if not aad or not self.tenant_id:
            raise LookupError(
                "no conversation reference, and no aadObjectId and tenant to start one"
            )
        bot = ChannelAccount(id=f"28:{self.app_id}")
        parameters = ConversationParameters(
            is_group=False,
            bot=bot,
            members=[ChannelAccount(id=aad)],
            tenant_id=self.tenant_id,
            channel_data={"tenant": {"id": self.tenant_id}},
        )
        client = await self._client(self.service_url)
        created = await client.conversations.create_conversation(parameters)
        return ConversationReference(
            channel_id="msteams",
            service_url=self.service_url,
            conversation=ConversationAccount(id=created.id, tenant_id=self.tenant_id),
            bot=bot,
        )


class Pacer:
    """Lets sends go one at a time, ``1 / rate`` seconds apart on average, in arrival order.

    Slots follow an even timeline, so a waiter woken a little late (a busy event loop) does
    not push every later slot back. But at most half a slot of lateness is made up: after a
    stall the waiters go out spaced again, not in a burst. So any one-second window sees at
    most ``rate`` sends plus one and a half, unlike a token bucket that starts full, which is
    what a sliding-window limit like Teams' needs.
    """

    def __init__(
        self,
        rate: float,
        monotonic: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.interval = 1.0 / rate
        self._slack = self.interval / 2
        self._monotonic = monotonic
        self._sleep = sleep
        self._queue = asyncio.Lock()  # waiters are served in order
        self._next = float("-inf")

    async def wait(self) -> None:
        async with self._queue:
            now = self._monotonic()
            slot = max(self._next, now - self._slack)
            if slot > now:
                await self._sleep(slot - now)
            self._next = slot + self.interval


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    requeued: int = 0  # Teams asked for a longer wait than a claim may be held
    undeliverable: int = 0
    dead: int = 0
    lost_claims: int = 0  # taken over by another sender after this one stalled
    messages: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


# A crash repeats at most this many digests per sender (see the module's docstring). Sends
# are paced at ~48 a second, so this keeps the pace while Teams answers within ~160 ms.
DEFAULT_CONCURRENCY = 8


class NudgeSender:
    def __init__(
        self,
        database: Database,
        delivery: Any,
        *,
        tenant_rate: float = 50.0,
        conversation_rate: float = 7.0,
        headroom: float = 0.96,
        retry: RetryPolicy | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        now: Callable[[], Any],
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        worker: str | None = None,
        stale_after: timedelta = timedelta(minutes=10),
        max_wait: float | None = None,
    ) -> None:
        self._db = database
        self._delivery = delivery
        if not 0 < headroom <= 1:
            raise ValueError(f"headroom must be in (0, 1], got {headroom}")
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        # Paced evenly a little under the limits, so network jitter never puts more than the
        # limit into one second of the connector's sliding window.
        self._tenant = Pacer(tenant_rate * headroom, monotonic, sleep)
        self._conversation_rate = conversation_rate * headroom
        self._conversations: dict[str, Pacer] = {}
        self._monotonic = monotonic
        # SQLite has one writer at a time, and a writer that finds the lock taken sleeps in
        # SQLite's busy handler (milliseconds at a time): with many sends finishing at once
        # that throttles the whole sender. Queueing writes here instead costs nothing.
        self._write_lock = asyncio.Lock() if database.backend == "sqlite" else None
        self._retry = retry or RetryPolicy()
        self._concurrency = concurrency
        self._now = now
        self._sleep = sleep
        self._rand = rand
        self._worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self._stale_after = stale_after
        # A quarter of the claim's life: the wait, the send before it and clock differences
        # between instances all fit well inside the rest.
        self._max_wait = (
            min(60.0, stale_after.total_seconds() / 4) if max_wait is None else max_wait
        )
        if not 0 <= self._max_wait < stale_after.total_seconds():
            raise ValueError("max_wait must be shorter than stale_after")

    async def send_pending(self, *, batch: int | None = None) -> SendReport:
        """Deliver everything queued and due, until nothing is left to claim.

        Digests are claimed ``batch`` at a time (a few queries for each batch), only when
        fewer than ``concurrency`` are waiting to start, so little is claimed ahead of the
        sends: a sender that dies leaves few claims to go stale. At most ``concurrency`` are
        being sent at once."""
        report = SendReport()
        chunk = max(1, batch or 2 * self._concurrency)
        gate = asyncio.Semaphore(self._concurrency)
        running: set[asyncio.Task[None]] = set()

        async def one(
            digest_id: int, loaded: tuple[DigestToSend, dict[int, str]] | None, token: str
        ) -> None:
            async with gate:
                await self._send_digest(digest_id, report, loaded, token=token)

        try:
            while True:
                if len(running) > self._concurrency:
                    running = await self._wait(running, asyncio.FIRST_COMPLETED)
                    continue
                token = uuid.uuid4().hex
                async with self._write() as session:
                    ids = await outbox.claim(
                        session,
                        worker=self._worker,
                        token=token,
                        now=self._now(),
                        limit=chunk,
                        stale_after=self._stale_after,
                    )
                if not ids:
                    if not running:
                        return report
                    # What is running may finish in a way that leaves work: look again after.
                    running = await self._wait(running, asyncio.ALL_COMPLETED)
                    continue
                loaded = await self._load(ids)
                for digest_id in ids:
                    running.add(asyncio.create_task(one(digest_id, loaded.get(digest_id), token)))
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            close = getattr(self._delivery, "close", None)
            if close is not None:
                await close()

    @staticmethod
    async def _wait(running: set[asyncio.Task[None]], when: str) -> set[asyncio.Task[None]]:
        done, pending = await asyncio.wait(running, return_when=when)
        for task in done:
            task.result()  # a failed send is a bug: let it surface
        return set(pending)

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncSession]:
        if self._write_lock is None:
            async with self._db.transaction() as session:
                yield session
            return
        async with self._write_lock, self._db.transaction() as session:
            yield session

    def _conversation(self, key: str) -> Pacer:
        pacer = self._conversations.get(key)
        if pacer is None:
            pacer = self._conversations[key] = Pacer(
                self._conversation_rate, self._monotonic, self._sleep
            )
        return pacer

    async def _load(self, ids: list[int]) -> dict[int, tuple[DigestToSend, dict[int, str]]]:
        """A claimed batch in a few queries: digests, their nudges, the people they name,
        and (if the delivery can) everyone's conversation reference."""
        async with self._db.sessions() as session:
            digests = (
                await session.execute(
                    select(
                        NudgeDigest.id,
                        NudgeDigest.recipient_id,
                        NudgeDigest.attempts,
                        NudgeDigest.parts_sent,
                    ).where(NudgeDigest.id.in_(ids))
                )
            ).all()
            nudges: dict[int, list[Nudge]] = {}
            for nudge in await session.scalars(
                select(Nudge).where(Nudge.digest_id.in_(ids)).order_by(Nudge.id)
            ):
                nudges.setdefault(nudge.digest_id, []).append(nudge)
            subjects = {n.subject_id for ns in nudges.values() for n in ns if n.subject_id}
            refs: dict[int, str] = (
                dict(
                    (
                        await session.execute(
                            select(Employee.id, Employee.employee_id).where(
                                Employee.id.in_(subjects)
                            )
                        )
                    ).all()
                )
                if subjects
                else {}
            )
        preload = getattr(self._delivery, "preload", None)
        if preload is not None:
            await preload({row.recipient_id for row in digests})
        loaded = {}
        for digest_id, recipient, attempts, parts_sent in digests:
            own = tuple(nudges.get(digest_id, ()))
            loaded[digest_id] = (
                DigestToSend(digest_id, recipient, attempts, own, parts_sent),
                {n.subject_id: refs[n.subject_id] for n in own if n.subject_id in refs},
            )
        return loaded

    async def _send_digest(
        self,
        digest_id: int,
        report: SendReport,
        loaded: tuple[DigestToSend, dict[int, str]] | None = None,
        *,
        token: str,
    ) -> None:
        if loaded is not None:
            digest, refs = loaded
        else:
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
            await self._finish(digest_id, token, "sent", digest.attempts if digest else 0, report)
            return
        parts = digest_cards(digest.nudges, refs)
        key = await self._delivery.conversation_key(digest.recipient_id)
        attempt = digest.attempts

        async def paced() -> None:
            # The conversation first, so a wait there never wastes a tenant slot.
            await self._conversation(key).wait()
            await self._tenant.wait()

        for index in range(digest.parts_sent, len(parts)):
            while True:
                # The claim was written just before this digest started; any later send
                # (a retry, the next part) first renews it, proving it is still ours.
                if attempt > digest.attempts and not await self._renew(
                    digest_id, token, index, report
                ):
                    return
                attempt += 1
                result = await self._delivery.deliver(
                    digest.recipient_id,
                    parts[index],
                    f"{len(digest.nudges)} things to do",
                    ready=paced,
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
                    if decision.delay > self._max_wait:
                        await self._requeue(digest_id, token, attempt, index, decision, report)
                        return
                    report.retried += 1
                    await self._sleep(decision.delay)
                    continue
                status = "undeliverable" if decision.action == "undeliverable" else "dead"
                error = f"{result.status}: {decision.reason} {result.error}".strip()
                if await self._finish(digest_id, token, status, attempt, report, error):
                    log.warning("digest %s %s: %s", digest_id, status, decision.reason)
                return
            if index < len(parts) - 1:
                log.debug("digest %s part %s of %s sent", digest_id, index + 1, len(parts))
        await self._finish(digest_id, token, "sent", attempt, report)

    async def _renew(self, digest_id: int, token: str, parts_sent: int, report: SendReport) -> bool:
        async with self._write() as session:
            mine = await outbox.keep_claim(
                session, digest_id, token=token, now=self._now(), parts_sent=parts_sent
            )
        if not mine:
            report.lost_claims += 1
            log.warning("digest %s: claim taken over by another sender; not sending", digest_id)
        return mine

    async def _requeue(
        self,
        digest_id: int,
        token: str,
        attempts: int,
        parts_sent: int,
        decision: Any,
        report: SendReport,
    ) -> None:
        async with self._write() as session:
            mine = await outbox.requeue(
                session,
                digest_id,
                token=token,
                not_before=self._now() + timedelta(seconds=decision.delay),
                attempts=attempts,
                parts_sent=parts_sent,
                error=decision.reason,
            )
        if mine:
            report.requeued += 1
            log.info("digest %s back in the queue: %s", digest_id, decision.reason)
        else:
            report.lost_claims += 1

    async def _finish(
        self,
        digest_id: int,
        token: str,
        status: str,
        attempts: int,
        report: SendReport,
        error: str | None = None,
    ) -> bool:
        async with self._write() as session:
            mine = await outbox.finish(
                session,
                digest_id,
                token=token,
                status=status,
                now=self._now(),
                attempts=attempts,
                error=error,
            )
        if not mine:
            report.lost_claims += 1
            log.warning(
                "digest %s: claim taken over by another sender; outcome not written", digest_id
            )
            return False
        if status == "sent":
            report.sent += 1
        elif status == "undeliverable":
            report.undeliverable += 1
        else:
            report.dead += 1
        return True
