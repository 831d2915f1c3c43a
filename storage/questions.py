"""The questions people asked Charter, what it answered, and how they rated the answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, case, func, select, update

from storage.database import Database
from storage.models import QuestionAsked

RATINGS: tuple[str, ...] = ("up", "down")


@dataclass(frozen=True)
class QuestionRecord:
    id: int
    asked_at: datetime
    employee_pk: int | None
    channel: str
    audience: str
    question: str
    normalised: str
    answered: bool
    section_id: str | None
    score: float
    rating: str | None
    referred_to_hr: bool


@dataclass(frozen=True)
class QuestionReportRow:
    """One question as HR sees it: counts only, never who asked."""

    question: str  # the normalised text every row in the group shares
    asked: int
    unanswered: int
    down_votes: int
    up_votes: int
    referred: int
    last_asked: datetime
    section_id: str | None


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)


class QuestionRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(
        self,
        *,
        asked_at: datetime,
        employee_pk: int | None,
        channel: str,
        audience: str,
        question: str,
        normalised: str,
        answered: bool,
        section_id: str | None,
        score: float,
    ) -> int:
        row = QuestionAsked(
            asked_at=asked_at,
            employee_id=employee_pk,
            channel=channel,
            audience=audience,
            question=question,
            normalised=normalised,
            answered=answered,
            section_id=section_id,
            score=score,
            referred_to_hr=False,
        )
        async with self._db.transaction() as session:
            session.add(row)
            await session.flush()
            return row.id

    async def get(self, question_id: int) -> QuestionRecord | None:
        async with self._db.sessions() as session:
            row = await session.get(QuestionAsked, question_id)
            if row is None:
                return None
            return QuestionRecord(
                id=row.id,
                asked_at=row.asked_at,
                employee_pk=row.employee_id,
                channel=row.channel,
                audience=row.audience,
                question=row.question,
                normalised=row.normalised,
                answered=row.answered,
                section_id=row.section_id,
                score=row.score,
                rating=row.rating,
                referred_to_hr=row.referred_to_hr,
            )

    async def rate(self, question_id: int, employee_pk: int, rating: str, at: datetime) -> bool:
        """Record (or replace) the asker's rating; False when it is not their question."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        return await self._update_own(question_id, employee_pk, rating=rating, rated_at=at)

    async def refer(self, question_id: int, employee_pk: int) -> bool:
        """Mark the asker's question for HR; False when it is not their question."""
        return await self._update_own(question_id, employee_pk, referred_to_hr=True)

    async def _update_own(self, question_id: int, employee_pk: int, **values: object) -> bool:
        async with self._db.transaction() as session:
            result = await session.execute(
                update(QuestionAsked)
                .where(QuestionAsked.id == question_id, QuestionAsked.employee_id == employee_pk)
                .values(**values)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def report(self, since: datetime | None = None) -> list[QuestionReportRow]:
        """Questions Charter could not answer, answered unhelpfully or passed to HR.

        Grouped by the normalised question, most often asked first.
        """
        unanswered = _count(QuestionAsked.answered.is_(False))
        down = _count(QuestionAsked.rating == "down")
        up = _count(QuestionAsked.rating == "up")
        referred = _count(QuestionAsked.referred_to_hr.is_(True))
        asked = func.count(QuestionAsked.id)
        last = func.max(QuestionAsked.asked_at)
        statement = (
            select(
                QuestionAsked.normalised,
                asked,
                unanswered,
                down,
                up,
                referred,
                last,
                func.max(QuestionAsked.section_id),
            )
            .group_by(QuestionAsked.normalised)
            .having(unanswered + down + referred > 0)
            .order_by(asked.desc(), last.desc(), QuestionAsked.normalised)
        )
        if since is not None:
            statement = statement.where(QuestionAsked.asked_at >= since)
        async with self._db.sessions() as session:
            rows = await session.execute(statement)
            return [
                QuestionReportRow(
                    question=row[0],
                    asked=int(row[1]),
                    unanswered=int(row[2]),
                    down_votes=int(row[3]),
                    up_votes=int(row[4]),
                    referred=int(row[5]),
                    last_asked=row[6],
                    section_id=row[7],
                )
                for row in rows
            ]
