"""Reading values a card submitted: whatever a client sends (missing keys, wrong types,
padding), these give clean Python values or nothing, and never raise."""

from __future__ import annotations

import re
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


# Record ids are INTEGER columns: PostgreSQL's holds up to 2^31 - 1, and a larger id in a
# query is a database error, not "no such record".
MAX_RECORD_ID = 2**31 - 1
# ASCII digits only: str.isdigit() also accepts "²" (which int() refuses) and "٣" (which
# int() reads as 3).
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def record_id(value: object) -> int | None:
    """A record id a button carried: a whole number (or ASCII digits) that a record id can
    be; None for anything else (bools, signs, other scripts' digits, out of range)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 0 <= number <= MAX_RECORD_ID else None


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
