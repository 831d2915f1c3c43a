"""Inbound activity ids already taken on: Teams re-delivers a turn it got no answer to in
15 s, and the same activity must be handled once.

A turn *claims* its activity id before doing any work. The claim is a unique row, so of two
deliveries racing each other exactly one wins, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from storage.database import Database
from storage.models import ProcessedActivity


class ActivityLog:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def claim(self, channel_id: str, conversation_id: str, activity_id: str) -> bool:
        """True if this is the first delivery of the activity; False for a re-delivery."""
        try:
            async with self._db.transaction() as session:
                session.add(
                    ProcessedActivity(
                        channel_id=channel_id,
                        conversation_id=conversation_id,
                        activity_id=activity_id,
                        received_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            return False
        return True

    async def release(self, channel_id: str, conversation_id: str, activity_id: str) -> None:
        """Give up a claim after a failed turn, so Teams' retry can be handled."""
        async with self._db.transaction() as session:
            await session.execute(
                delete(ProcessedActivity).where(
                    ProcessedActivity.channel_id == channel_id,
                    ProcessedActivity.conversation_id == conversation_id,
                    ProcessedActivity.activity_id == activity_id,
                )
            )

    async def forget_older_than(self, age: timedelta) -> int:
        """Drop claims older than ``age`` (Teams stops retrying within minutes)."""
        cutoff = datetime.now(UTC) - age
        async with self._db.transaction() as session:
            result = await session.execute(
                delete(ProcessedActivity).where(ProcessedActivity.received_at < cutoff)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
