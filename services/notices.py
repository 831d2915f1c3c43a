"""Notices: a message to another person (an employee's one-to-one summary, an objective to
agree, a comment back to the manager) is written to the notice outbox, committed right after
the turn's own work and before the turn replies to the sender, and delivered by the notice
sender (bot/jobs/notice_sender.py). The turn never waits on Teams, and a notice is not lost
when Teams is slow, or the bot crashes or restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from domain.clock import Clock
from storage import notices
from storage.database import Database

log = logging.getLogger("charter.notices")


class NoticeOutbox:
    """Implements ``domain.notify.Notifier`` by queueing; ``wake`` tells a sender."""

    def __init__(self, database: Database, clock: Clock, wake: Callable[[], None]) -> None:
        self._db = database
        self._clock = clock
        self._wake = wake

    async def send_card(self, employee_pk: int, card: dict[str, Any], summary: str) -> bool:
        """Queue the card for the person: True if they can be reached (they have started a
        chat with Charter, so a conversation reference is stored), False if not, in which
        case nothing is queued."""
        async with self._db.transaction() as session:
            if not await notices.has_conversation(session, employee_pk):
                log.info("employee %s has no conversation with the bot yet", employee_pk)
                return False
            notice_id = await notices.queue(
                session, recipient_id=employee_pk, card=card, summary=summary, now=self._clock.now()
            )
        log.debug("notice %s queued for employee %s", notice_id, employee_pk)
        self._wake()
        return True
