"""What every outbox the sender drains shares (reminder digests, notices): a storage module
that claims due rows and writes each one's outcome, forwarded as the sender asks for it.

Each outbox adds how its rows load as cards, and how a claim is kept and a row requeued
(digests record how many cards of a split digest went; a notice is one card).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class OutboxStore(Protocol):
    """The storage module of one outbox table (``storage.nudges``, ``storage.notices``)."""

    async def claim(
        self,
        session: AsyncSession,
        *,
        worker: str,
        token: str,
        now: datetime,
        limit: int,
        stale_after: timedelta,
    ) -> list[int]: ...

    async def finish(
        self,
        session: AsyncSession,
        item_id: int,
        /,
        *,
        token: str,
        status: str,
        now: datetime,
        attempts: int,
        error: str | None = None,
    ) -> bool: ...


class StoredOutbox:
    """Claims and outcomes go straight to the outbox's storage module."""

    name: str  # in logs: "digest", "notice"

    def __init__(self, store: OutboxStore) -> None:
        self.claim = store.claim
        self.finish = store.finish
