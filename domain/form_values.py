"""Reading values a card submitted: whatever a client sends (missing keys, wrong types,
padding), these give clean Python values or nothing, and never raise."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date


def text(values: Mapping[str, object], key: str) -> str:
    """The trimmed string at ``key``; empty for anything that isn't a string."""
    value = values.get(key)
    return value.strip() if isinstance(value, str) else ""


def flag(values: Mapping[str, object], key: str) -> bool:
    """An Input.Toggle's value ("true"/"false"), or a real boolean."""
    value = values.get(key)
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def iso_date(values: Mapping[str, object], key: str) -> date | None:
    """An Input.Date's value (YYYY-MM-DD); None when blank or not a date."""
    raw = text(values, key)
    try:
        return date.fromisoformat(raw[:10]) if raw else None
    except ValueError:
        return None


def record_id(value: object) -> int | None:
    """A record id a button carried: a whole number (or digits), never a bool."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def comment_problem(comment: str | None, max_chars: int) -> tuple[str | None, str | None]:
    """(the cleaned comment, or None for a plain acknowledgement; a polite problem or None)."""
    if comment is None:
        return None, None
    cleaned = comment.strip()
    if not cleaned:
        return None, "Your comment is empty."
    if len(cleaned) > max_chars:
        return None, f"Please keep your comment under {max_chars:,} characters."
    return cleaned, None
