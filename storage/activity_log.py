"""Inbound activity ids already handled: Teams re-delivers a turn it got no answer to in
15 s, and the same activity must be handled once.

A turn's *claim* on its activity id is a unique row written in the same transaction as the
turn's first write (see ``storage.database.TurnWrites``): the claim and the work commit
together or not at all. A crash before that commit leaves no claim, so Teams' re-delivery is
handled afresh; after it, the re-delivery is a duplicate and the committed write is never
repeated. Of two deliveries racing each other exactly one commits its claim; the other's
transaction fails on the unique row and rolls its work back (:class:`ActivityAlreadyHandled`).
A turn that writes nothing claims its id when it has answered.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Insert, Table, bindparam, delete, insert, literal_column, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database, TurnWrites
from storage.driver_statements import DriverStatement
from storage.employees import (
    normalise_aad_object_id,
    person_by_aad_subquery,
    remember_prefetched_person,
)
from storage.models import ProcessedActivity
from storage.state_store import remember_prefetched, state_columns


class ActivityAlreadyHandled(Exception):
    """Another delivery of this activity committed first; this turn's write was rolled back."""


class ActivityLog:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def claim(self, channel_id: str, conversation_id: str, activity_id: str) -> bool:
        """True if this is the first delivery of the activity; False for a re-delivery."""
        claim = _CLAIM_ALONE[self._db.backend]
        parameters = _claim(channel_id, conversation_id, activity_id)[1]
        return await self._db.write_alone(claim, parameters) == 1

    async def is_handled(
        self,
        channel_id: str,
        conversation_id: str,
        activity_id: str,
        *,
        state_key: str | None = None,
        sender: tuple[str, date] | None = None,
    ) -> bool:
        """Was the activity handled already? With ``state_key``, the same statement reads that
        state item for the turn (see ``storage.state_store.prefetched_state``); with
        ``sender`` (their aadObjectId, and the day), the employee they are (see
        ``storage.employees.prefetched_people``)."""
        params: dict[str, object] = {
            "channel": channel_id,
            "conversation": conversation_id,
            "activity": activity_id,
        }
        aad = normalise_aad_object_id(sender[0]) if sender is not None else ""
        if state_key is None:
            [(found,)] = await self._db.read_rows(_HANDLED, params)
            return found is not None
        params["state_key"] = state_key
        if not aad or sender is None:
            [(found, data, etag)] = await self._db.read_rows(_HANDLED_WITH_STATE, params)
        else:
            params.update(key=aad, as_of=sender[1])
            # One row, whoever the sender is.
            [row] = await self._db.read_rows(_HANDLED_WITH_STATE_AND_PERSON, params)
            found, data, etag = row[:3]
            remember_prefetched_person(aad, sender[1], row[3:])
        remember_prefetched(state_key, data, etag)
        return found is not None

    def claim_with_work(
        self, channel_id: str, conversation_id: str, activity_id: str
    ) -> TurnWrites:
        """The claim, to be carried by the turn's first write transaction."""

        async def carry(session: AsyncSession) -> None:
            await session.flush()  # the turn's own writes first: their errors are their own
            try:
                await session.execute(*_claim(channel_id, conversation_id, activity_id))
            except IntegrityError as error:
                raise ActivityAlreadyHandled(activity_id) from error

        return TurnWrites(carry)

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


_TABLE = ProcessedActivity.__table__
assert isinstance(_TABLE, Table)
_ACTIVITIES = _TABLE.c
# Built once: the statements every turn runs (building them cost more than running them).
_CLAIMED = (
    select(_ACTIVITIES.id)
    .where(
        _ACTIVITIES.channel_id == bindparam("channel"),
        _ACTIVITIES.conversation_id == bindparam("conversation"),
        _ACTIVITIES.activity_id == bindparam("activity"),
    )
    .scalar_subquery()
)
# Run through the driver (Database.read_rows): every turn starts with one of them.
_HANDLED = DriverStatement(select(_CLAIMED))
_HANDLED_WITH_STATE = DriverStatement(select(_CLAIMED, *state_columns(bindparam("state_key"))))
# The same, and the sender's row (all NULL if nobody has their id): one row in every case.
_SENDER = person_by_aad_subquery()
_HANDLED_WITH_STATE_AND_PERSON = DriverStatement(
    select(_CLAIMED, *state_columns(bindparam("state_key")), *_SENDER.c).select_from(
        select(literal_column("1").label("one")).subquery("one").outerjoin(_SENDER, true())
    )
)
_CLAIM_VALUES: dict[str, Any] = {
    "channel_id": bindparam("channel"),
    "conversation_id": bindparam("conversation"),
    "activity_id": bindparam("activity"),
    "received_at": bindparam("received_at"),
}
_CLAIM = insert(_TABLE).values(**_CLAIM_VALUES)

# The claim of a turn that wrote nothing, after it answered: one statement on its own, run
# through the driver (see Database.write_alone); a claim already there changes no row.
_CLAIM_ALONE = {
    "sqlite": DriverStatement(
        sqlite_insert(_TABLE).values(**_CLAIM_VALUES).on_conflict_do_nothing()
    ),
    "postgresql": DriverStatement(
        pg_insert(_TABLE).values(**_CLAIM_VALUES).on_conflict_do_nothing()
    ),
}


def _claim(
    channel_id: str, conversation_id: str, activity_id: str
) -> tuple[Insert, dict[str, object]]:
    """The claim row, as one INSERT (no unit of work to flush), and its parameters."""
    return _CLAIM, {
        "channel": channel_id,
        "conversation": conversation_id,
        "activity": activity_id,
        "received_at": datetime.now(UTC),
    }
