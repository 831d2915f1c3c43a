"""What a person may send HR as feedback about Charter."""

from __future__ import annotations

import pytest

from domain.errors import Invalid
from domain.feedback import MAX_FEEDBACK_CHARS, FeedbackRejected, check_feedback


def test_feedback_is_trimmed() -> None:
    assert check_feedback("  Reminders are great \n") == "Reminders are great"


@pytest.mark.parametrize("text", [None, "", "   \n"])
def test_empty_feedback_is_refused_politely(text: str | None) -> None:
    with pytest.raises(FeedbackRejected, match="nothing to send yet"):
        check_feedback(text)


def test_long_feedback_is_refused_with_its_length() -> None:
    assert check_feedback("x" * MAX_FEEDBACK_CHARS) == "x" * MAX_FEEDBACK_CHARS
    with pytest.raises(FeedbackRejected, match="That's 4,001 characters"):
        check_feedback("x" * (MAX_FEEDBACK_CHARS + 1))


def test_a_refusal_is_charters_own_invalid() -> None:
    assert issubclass(FeedbackRejected, Invalid)
