"""Where each Teams user can be reached proactively.

The reference is kept as the JSON dict the bot layer serialises it to (this package never
imports the Bot Framework SDK); a few fields are copied into columns for querying.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.database import Database
from storage.models import ConversationReferenceRecord, Employee


@dataclass(frozen=True)
class StoredReference:
    user_id: str
    aad_object_id: str | None
    tenant_id: str | None
    employee_id: int | None
    service_url: str
    conversation_id: str
    reference: dict[str, Any]
    updated_at: datetime


class ConversationReferences:
    def __init__(self, database: Database) -> None:
        self._db = database

    @property
    def database(self) -> Database:
        return self._db

    async def save(
        self,
        reference: dict[str, Any],
        *,
        user_id: str,
        aad_object_id: str | None,
        tenant_id: str | None,
        employee_id: int | None,
    ) -> None:
        """Insert or refresh the user's reference (one row per Teams user)."""
        now = datetime.now(UTC)
        values = {
            "user_id": user_id,
            "aad_object_id": aad_object_id,
            "tenant_id": tenant_id,
            "employee_id": employee_id,
            "channel_id": str(reference.get("channelId") or reference.get("channel_id") or ""),
            "service_url": str(reference.get("serviceUrl") or reference.get("service_url") or ""),
            "conversation_id": str((reference.get("conversation") or {}).get("id", "")),
            "bot_id": (reference.get("bot") or {}).get("id"),
            "reference_json": json.dumps(reference, sort_keys=True),
            "updated_at": now,
        }
        insert = pg_insert if self._db.backend == "postgresql" else sqlite_insert
        statement = insert(ConversationReferenceRecord).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[ConversationReferenceRecord.user_id],
            set_={k: v for k, v in values.items() if k != "user_id"},
        )
        async with self._db.transaction() as session:
            await session.execute(statement)

    async def for_employee(self, employee_id: int) -> StoredReference | None:
        async with self._db.sessions() as session:
            row = (
                await session.execute(
                    select(ConversationReferenceRecord)
                    .where(ConversationReferenceRecord.employee_id == employee_id)
                    .order_by(ConversationReferenceRecord.updated_at.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            return stored_reference(row) if row else None

    async def latest_for_employees(
        self, employee_ids: Collection[int]
    ) -> dict[int, StoredReference]:
        """Each person's latest reference, in one query (for a sender's claimed batch)."""
        latest: dict[int, ConversationReferenceRecord] = {}
        async with self._db.sessions() as session:
            for row in await session.scalars(
                select(ConversationReferenceRecord).where(
                    ConversationReferenceRecord.employee_id.in_(employee_ids)
                )
            ):
                assert row.employee_id is not None
                known = latest.get(row.employee_id)
                if known is None or row.updated_at > known.updated_at:
                    latest[row.employee_id] = row
        return {pk: stored_reference(row) for pk, row in latest.items()}

    async def aad_object_id_of(self, employee_id: int) -> str | None:
        """The person's Microsoft Entra object id, to start a chat where there is none."""
        async with self._db.sessions() as session:
            aad: str | None = await session.scalar(
                select(Employee.aad_object_id).where(Employee.id == employee_id)
            )
        return aad

    async def for_user(self, user_id: str) -> StoredReference | None:
        async with self._db.sessions() as session:
            row = (
                await session.execute(
                    select(ConversationReferenceRecord).where(
                        ConversationReferenceRecord.user_id == user_id
                    )
                )
            ).scalar_one_or_none()
            return stored_reference(row) if row else None


def stored_reference(row: ConversationReferenceRecord) -> StoredReference:
    return StoredReference(
        user_id=row.user_id,
        aad_object_id=row.aad_object_id,
        tenant_id=row.tenant_id,
        employee_id=row.employee_id,
        service_url=row.service_url,
        conversation_id=row.conversation_id,
        reference=json.loads(row.reference_json),
        updated_at=row.updated_at,
    )
