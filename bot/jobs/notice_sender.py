"""Send the notices (messages to another person, queued by services/notices.py) promptly:
each process that queues one wakes its own sender, which delivers it through the outbox
sender (claims, pacing, Retry-After, exactly once), so the turn that queued it never waits
on Teams. The sender also looks at the outbox every ``POLL_SECONDS``, and once when it
starts, so a notice queued before a crash or restart, or by another process, or due again
after a failure, is delivered without anyone waking it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs.outbox_sender import OutboxItem, OutboxSender, SenderOptions, SendReport
from bot.jobs.stored_outbox import StoredOutbox
from storage import notices
from storage.database import Database

log = logging.getLogger("charter.notices")

POLL_SECONDS = 30.0
# A notice is one message, each call bounded by the outbound timeout: a claim older than
# this was left by a sender that died, and another may take it over.
NOTICE_OPTIONS = SenderOptions(concurrency=4, stale_after=timedelta(minutes=2), max_wait=30.0)


class NoticeOutbox(StoredOutbox):
    """The notices, one card each."""

    name = "notice"

    def __init__(self) -> None:
        super().__init__(notices)

    async def load(self, session: AsyncSession, ids: Collection[int]) -> dict[int, OutboxItem]:
        return {
            notice.id: OutboxItem(
                notice.id, notice.recipient_id, notice.attempts, [notice.card], notice.summary
            )
            for notice in (await notices.load(session, ids)).values()
        }

    async def keep_claim(
        self, session: AsyncSession, item_id: int, *, token: str, now: datetime, parts_sent: int
    ) -> bool:
        return await notices.keep_claim(session, item_id, token=token, now=now)

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
        return await notices.requeue(
            session, item_id, token=token, not_before=not_before, attempts=attempts, error=error
        )


class NoticeSender:
    """Runs in the background of a process: drains the notice outbox when woken, when it
    starts, and every ``poll_seconds``."""

    def __init__(
        self,
        database: Database,
        delivery: Any,
        *,
        now: Callable[[], datetime],
        options: SenderOptions = NOTICE_OPTIONS,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self._sender = OutboxSender(database, delivery, NoticeOutbox(), options, now=now)
        self._poll = poll_seconds
        self._woken = asyncio.Event()
        self._idle = asyncio.Event()  # set while no drain is under way
        self._idle.set()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """A notice was queued: send it now (starting the sender if this process has not)."""
        self._woken.set()
        self._idle.clear()  # a drain is owed
        self.start()

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._idle.clear()  # the first drain is owed
            self._task = asyncio.get_running_loop().create_task(self._run(), name="notices")

    async def stop(self, *, grace: float = 5.0) -> None:
        """Let the drain under way or owed finish (up to ``grace`` seconds), then stop."""
        task, self._task = self._task, None
        if task is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def send_now(self) -> SendReport:
        """Deliver everything queued and due (what each wake does)."""
        return await self._sender.send_pending()

    async def _run(self) -> None:
        while True:
            self._woken.clear()
            try:
                report = await self.send_now()
            except Exception as error:  # the database away: try again at the next wake or poll
                log.warning("notice send failed: %s", type(error).__name__)
            else:
                if report.sent or report.dead or report.undeliverable:
                    log.info(
                        "notices: %s sent, %s unreachable, %s dead-lettered",
                        report.sent,
                        report.undeliverable,
                        report.dead,
                    )
            finally:
                if not self._woken.is_set():
                    self._idle.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._poll)
