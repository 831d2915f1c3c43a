"""Feedback about Charter itself, kept for HR to read."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from domain.records import FeedbackEntry
from storage.database import Database
from storage.models import Employee, Feedback


class FeedbackRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(self, employee_pk: int | None, text: str) -> None:
        async with self._db.transaction() as session:
            session.add(Feedback(employee_id=employee_pk, text=text, created_at=datetime.now(UTC)))

    async def recent(self, limit: int = 100) -> list[FeedbackEntry]:
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(Feedback.created_at, Employee.name, Employee.email, Feedback.text)
                .outerjoin(Employee, Employee.id == Feedback.employee_id)
                .order_by(Feedback.created_at.desc(), Feedback.id.desc())
                .limit(limit)
            )
            return [FeedbackEntry(*row) for row in rows]
