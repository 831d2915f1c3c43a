"""Feedback about Charter: the rules for what a person may send to HR."""

from __future__ import annotations

from domain.errors import Invalid

MAX_FEEDBACK_CHARS = 4000


class FeedbackRejected(Invalid):
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
