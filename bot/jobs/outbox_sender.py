"""Send: deliver an outbox's queued items (reminder digests, notices) to Teams within its
limits.

Each item is claimed (two senders never take the same one), delivered to the person's
stored conversation reference (or a one-to-one conversation created from their
aadObjectId), and its outcome written at once. Throttling: sends are paced evenly, just
under Teams' limits (~50 messages a second per app per tenant, 7 a second per
conversation); 429 waits for Retry-After; 412 and 5xx retry with backoff and jitter;
403/404 mark the person unreachable; attempts are bounded, then the item is dead-lettered
for `charter nudges status`.

Exactly once, as far as a sender can make it:
- A claim carries a token; every later write about the item (renewing the claim before a
  retry or the next part, the outcome, a requeue) names it, so a sender whose claim went
  stale and was taken over writes nothing and sends nothing more.
- No wait inside a claim comes near the age at which a claim counts as abandoned: a
  Retry-After longer than ``max_wait`` gives the item back to the queue with a not-before
  time, and whichever sender runs then sends it.
- A sender sends at most ``concurrency`` items at a time and claims a small batch ahead
  only when fewer than that are waiting, so a crash (SIGKILL) can repeat at most
  ``concurrency`` items per sender: the ones whose message was out but whose outcome was
  not yet written (claimed items not yet started are taken over and sent once). Parts of
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
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs.pacing import TeamsPace
from bot.jobs.stored_outbox import OutboxStore
from bot.jobs.teams_delivery import DeliveryResult
from domain.rate_limit import Decision, RetryPolicy
from storage.database import Database

log = logging.getLogger("charter.nudges")

# A crash repeats at most this many items per sender (see the module's docstring). Sends
# are paced at ~48 a second, so this keeps the pace while Teams answers within ~160 ms.
DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True)
class OutboxItem:
    """One claimed item, ready to send: its cards go out in order, one message each."""

    id: int
    recipient_id: int
    attempts: int
    parts: list[dict[str, Any]]
    summary: str
    parts_sent: int = 0


class Outbox(OutboxStore, Protocol):
    """One outbox's storage, as the sender needs it (storage/outbox_claims.py does the work):
    the table's claim and finish, plus how its rows load, a claim is kept and a row requeued."""

    name: str  # in logs: "digest", "notice"

    async def load(
        self, session: AsyncSession, ids: Collection[int]
    ) -> Mapping[int, OutboxItem]: ...

    async def keep_claim(
        self, session: AsyncSession, item_id: int, *, token: str, now: datetime, parts_sent: int
    ) -> bool: ...

    async def requeue(
        self,
        session: AsyncSession,
        item_id: int,
        *,
        token: str,
        not_before: datetime,
        attempts: int,
        parts_sent: int,
        error: str,
    ) -> bool: ...


class Delivery(Protocol):
    async def conversation_key(self, recipient_pk: int) -> str: ...

    async def deliver(
        self,
        recipient_pk: int,
        card: dict[str, Any],
        summary: str,
        *,
        ready: Callable[[], Awaitable[None]] | None = None,
    ) -> DeliveryResult: ...


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

    def count(self, status: str) -> None:
        if status == "sent":
            self.sent += 1
        elif status == "undeliverable":
            self.undeliverable += 1
        else:
            self.dead += 1


@dataclass(frozen=True)
class SenderOptions:
    tenant_rate: float = 50.0
    conversation_rate: float = 7.0
    headroom: float = 0.96
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency: int = DEFAULT_CONCURRENCY
    stale_after: timedelta = timedelta(minutes=10)
    # A quarter of the claim's life by default: the wait, the send before it and clock
    # differences between instances all fit well inside the rest.
    max_wait: float | None = None

    def wait_limit(self) -> float:
        stale = self.stale_after.total_seconds()
        limit = min(60.0, stale / 4) if self.max_wait is None else self.max_wait
        if not 0 <= limit < stale:
            raise ValueError("max_wait must be shorter than stale_after")
        return limit


class OutboxSender:
    def __init__(
        self,
        database: Database,
        delivery: Any,
        outbox: Outbox,
        options: SenderOptions,
        *,
        now: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        worker: str | None = None,
    ) -> None:
        if options.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {options.concurrency}")
        self._db = database
        self._delivery = delivery
        self._outbox = outbox
        self._pace = TeamsPace(
            tenant_rate=options.tenant_rate,
            conversation_rate=options.conversation_rate,
            headroom=options.headroom,
            monotonic=monotonic,
            sleep=sleep,
        )
        # SQLite has one writer at a time, and a writer that finds the lock taken sleeps in
        # SQLite's busy handler (milliseconds at a time): with many sends finishing at once
        # that throttles the whole sender. Queueing writes here instead costs nothing.
        self._write_lock = asyncio.Lock() if database.backend == "sqlite" else None
        self._retry = options.retry
        self._concurrency = options.concurrency
        self._stale_after = options.stale_after
        self._max_wait = options.wait_limit()
        self._now = now
        self._sleep = sleep
        self._rand = rand
        self._worker = worker or f"{socket.gethostname()}:{os.getpid()}"

    async def send_pending(self, *, batch: int | None = None) -> SendReport:
        """Deliver everything queued and due, until nothing is left to claim.

        Items are claimed ``batch`` at a time (a few queries for each batch), only when
        fewer than ``concurrency`` are waiting to start, so little is claimed ahead of the
        sends: a sender that dies leaves few claims to go stale. At most ``concurrency`` are
        being sent at once."""
        report = SendReport()
        chunk = max(1, batch or 2 * self._concurrency)
        gate = asyncio.Semaphore(self._concurrency)
        running: set[asyncio.Task[None]] = set()

        async def one(item_id: int, item: OutboxItem | None, token: str) -> None:
            async with gate:
                await self._send_item(item_id, item, report, token=token)

        try:
            while True:
                if len(running) > self._concurrency:
                    running = await self._wait(running, asyncio.FIRST_COMPLETED)
                    continue
                token = uuid.uuid4().hex
                ids = await self._claim(token, chunk)
                if not ids:
                    if not running:
                        return report
                    # What is running may finish in a way that leaves work: look again after.
                    running = await self._wait(running, asyncio.ALL_COMPLETED)
                    continue
                loaded = await self._load(ids)
                for item_id in ids:
                    running.add(asyncio.create_task(one(item_id, loaded.get(item_id), token)))
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            close = getattr(self._delivery, "close", None)
            if close is not None:
                await close()

    async def _claim(self, token: str, limit: int) -> list[int]:
        async with self._write() as session:
            return await self._outbox.claim(
                session,
                worker=self._worker,
                token=token,
                now=self._now(),
                limit=limit,
                stale_after=self._stale_after,
            )

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

    async def _load(self, ids: list[int]) -> Mapping[int, OutboxItem]:
        """A claimed batch in a few queries, and (if the delivery can) everyone's
        conversation reference in one more."""
        async with self._db.sessions() as session:
            loaded = await self._outbox.load(session, ids)
        preload = getattr(self._delivery, "preload", None)
        if preload is not None:
            await preload({item.recipient_id for item in loaded.values()})
        return loaded

    async def send_claimed(self, item_id: int, report: SendReport, *, token: str) -> None:
        """Send one item this sender has claimed with ``token``."""
        loaded = await self._load([item_id])
        await self._send_item(item_id, loaded.get(item_id), report, token=token)

    async def _send_item(
        self, item_id: int, item: OutboxItem | None, report: SendReport, *, token: str
    ) -> None:
        if item is None or not item.parts:
            # Nothing left to say (emptied since it was queued): done, nothing sent.
            await self._finish(item_id, token, "sent", item.attempts if item else 0, report)
            return
        ready = self._pace.ready(await self._delivery.conversation_key(item.recipient_id))
        attempt = item.attempts
        for index in range(item.parts_sent, len(item.parts)):
            attempt = await self._send_part(item, index, attempt, ready, report, token=token)
            if attempt < 0:
                return
            if index < len(item.parts) - 1:
                log.debug(
                    "%s %s part %s of %s sent",
                    self._outbox.name,
                    item.id,
                    index + 1,
                    len(item.parts),
                )
        await self._finish(item_id, token, "sent", attempt, report)

    async def _send_part(
        self,
        item: OutboxItem,
        index: int,
        attempt: int,
        ready: Callable[[], Awaitable[None]],
        report: SendReport,
        *,
        token: str,
    ) -> int:
        """Send one part until it is delivered: the attempts made so far, or -1 when the
        item is settled otherwise (requeued, unreachable, dead, or no longer this sender's)."""
        while True:
            # The claim was written just before this item started; any later send (a retry,
            # the next part) first renews it, proving it is still ours.
            if attempt > item.attempts and not await self._renew(item.id, token, index, report):
                return -1
            attempt += 1
            result = await self._delivery.deliver(
                item.recipient_id, item.parts[index], item.summary, ready=ready
            )
            report.messages += 1
            if result.status is not None:
                report.statuses[result.status] = report.statuses.get(result.status, 0) + 1
            decision = self._retry.decide(result.status, attempt, result.retry_after, self._rand)
            if decision.action == "done":
                return attempt
            if decision.action != "retry":
                await self._give_up(item.id, token, attempt, decision, result, report)
                return -1
            if decision.delay > self._max_wait:
                await self._requeue(item.id, token, attempt, index, decision, report)
                return -1
            report.retried += 1
            await self._sleep(decision.delay)

    async def _give_up(
        self,
        item_id: int,
        token: str,
        attempt: int,
        decision: Decision,
        result: DeliveryResult,
        report: SendReport,
    ) -> None:
        status = "undeliverable" if decision.action == "undeliverable" else "dead"
        error = f"{result.status}: {decision.reason} {result.error}".strip()
        if await self._finish(item_id, token, status, attempt, report, error):
            log.warning("%s %s %s: %s", self._outbox.name, item_id, status, decision.reason)

    async def _renew(self, item_id: int, token: str, parts_sent: int, report: SendReport) -> bool:
        async with self._write() as session:
            mine = await self._outbox.keep_claim(
                session, item_id, token=token, now=self._now(), parts_sent=parts_sent
            )
        if not mine:
            report.lost_claims += 1
            log.warning(
                "%s %s: claim taken over by another sender; not sending", self._outbox.name, item_id
            )
        return mine

    async def _requeue(
        self,
        item_id: int,
        token: str,
        attempts: int,
        parts_sent: int,
        decision: Decision,
        report: SendReport,
    ) -> None:
        async with self._write() as session:
            mine = await self._outbox.requeue(
                session,
                item_id,
                token=token,
                not_before=self._now() + timedelta(seconds=decision.delay),
                attempts=attempts,
                parts_sent=parts_sent,
                error=decision.reason,
            )
        if mine:
            report.requeued += 1
            log.info("%s %s back in the queue: %s", self._outbox.name, item_id, decision.reason)
        else:
            report.lost_claims += 1

    async def _finish(
        self,
        item_id: int,
        token: str,
        status: str,
        attempts: int,
        report: SendReport,
        error: str | None = None,
    ) -> bool:
        async with self._write() as session:
            mine = await self._outbox.finish(
                session,
                item_id,
                token=token,
                status=status,
                now=self._now(),
                attempts=attempts,
                error=error,
            )
        if not mine:
            report.lost_claims += 1
            log.warning(
                "%s %s: claim taken over by another sender; outcome not written",
                self._outbox.name,
                item_id,
            )
            return False
        report.count(status)
        return True
