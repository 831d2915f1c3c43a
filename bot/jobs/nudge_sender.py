"""Send the reminder digests: the digest outbox (storage/nudges.py) read as cards, delivered
by the outbox sender (bot/jobs/outbox_sender.py: claims, pacing, retries, exactly once)."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs.outbox_sender import (
    DEFAULT_CONCURRENCY,
    OutboxItem,
    OutboxSender,
    SenderOptions,
    SendReport,
)
from bot.jobs.pacing import Pacer
from bot.jobs.stored_outbox import StoredOutbox
from bot.jobs.teams_delivery import DeliveryResult, TeamsDelivery
from dialogs.nudges.views import digest_cards
from domain.rate_limit import RetryPolicy
from storage import nudges as outbox
from storage.database import Database

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DeliveryResult",
    "DigestOutbox",
    "NudgeSender",
    "Pacer",
    "SendReport",
    "TeamsDelivery",
]


class DigestOutbox(StoredOutbox):
    """The reminder digests, one message per card of a (possibly split) digest."""

    name = "digest"

    def __init__(self) -> None:
        super().__init__(outbox)

    async def load(self, session: AsyncSession, ids: Collection[int]) -> dict[int, OutboxItem]:
        loaded = await outbox.load_digests(session, ids)
        return {
            digest_id: OutboxItem(
                digest.id,
                digest.recipient_id,
                digest.attempts,
                digest_cards(digest.nudges, refs) if digest.nudges else [],
                f"{len(digest.nudges)} things to do",
                digest.parts_sent,
            )
            for digest_id, (digest, refs) in loaded.items()
        }

    async def keep_claim(
        self, session: AsyncSession, item_id: int, *, token: str, now: datetime, parts_sent: int
    ) -> bool:
        return await outbox.keep_claim(
            session, item_id, token=token, now=now, parts_sent=parts_sent
        )

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
    ) -> bool:
        return await outbox.requeue(
            session,
            item_id,
            token=token,
            not_before=not_before,
            attempts=attempts,
            parts_sent=parts_sent,
            error=error,
        )


class NudgeSender(OutboxSender):
    """Delivers queued digests (``send_pending``), one send at a time across the council."""

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
        options = SenderOptions(
            tenant_rate=tenant_rate,
            conversation_rate=conversation_rate,
            headroom=headroom,
            retry=retry or RetryPolicy(),
            concurrency=concurrency,
            stale_after=stale_after,
            max_wait=max_wait,
        )
        super().__init__(
            database,
            delivery,
            DigestOutbox(),
            options,
            now=now,
            monotonic=monotonic,
            sleep=sleep,
            rand=rand,
            worker=worker,
        )
