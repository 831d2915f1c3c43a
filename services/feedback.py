"""Feedback about Charter: the rules for what a person may send to HR."""

from __future__ import annotations

from storage.feedback import FeedbackEntry, FeedbackRepository

MAX_FEEDBACK_CHARS = 4000


class FeedbackRejected(ValueError):
    """The feedback cannot be saved; the message is safe to show to the user."""


def check_feedback(text: str | None) -> str:
    """Return the cleaned text, or raise with a polite reason."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise FeedbackRejected("There's nothing to send yet: type a sentence or two.")
    if len(cleaned) > MAX_FEEDBACK_CHARS:
        raise FeedbackRejected(
            f"That's {len(cleaned):,} characters; please keep it under {MAX_FEEDBACK_CHARS:,}."
        )
    return cleaned


class FeedbackService:
    def __init__(self, repository: FeedbackRepository) -> None:
        self._repository = repository

    async def send(self, employee_pk: int, text: str) -> None:
        await self._repository.add(employee_pk, check_feedback(text))

    async def recent(self, limit: int = 100) -> list[FeedbackEntry]:
        return await self._repository.recent(limit)
