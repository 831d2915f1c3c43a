"""Feedback about Charter, sent to HR and read back by them; the rules are domain.feedback."""

from __future__ import annotations

from domain.feedback import MAX_FEEDBACK_CHARS, FeedbackRejected, check_feedback
from domain.records import FeedbackEntry
from storage.feedback import FeedbackRepository

# Compatible names: the rules live in domain.feedback.
__all__ = ["MAX_FEEDBACK_CHARS", "FeedbackRejected", "FeedbackService", "check_feedback"]


class FeedbackService:
    def __init__(self, repository: FeedbackRepository) -> None:
        self._repository = repository

    async def send(self, employee_pk: int, text: str) -> None:
        await self._repository.add(employee_pk, check_feedback(text))

    async def recent(self, limit: int = 100) -> list[FeedbackEntry]:
        return await self._repository.recent(limit)
