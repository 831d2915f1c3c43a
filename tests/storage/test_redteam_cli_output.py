"""Follow-up red-team pass on #13's CLI hygiene: typed text still rewrites what HR reads."""

from __future__ import annotations

import asyncio

import pytest

from cli.main import main
from storage.database import Database
from storage.feedback import FeedbackRepository

# What HR should read, then a bare carriage return and what the terminal shows over it.
OVERWRITTEN = "Report my manager: he shouts at me daily"
COVER = "Nice bot, thanks!" + " " * 40


async def test_feedback_report_lets_no_typed_carriage_return_overwrite_the_line(
    database: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """cli.support.printable keeps "\\r" (for the progress bar), so a lone CR a person
    typed (the bot stores it as typed) returns the cursor and the rest of their text is
    printed over the start of the line: the terminal shows only the cover text."""
    await FeedbackRepository(database).add(None, f"{OVERWRITTEN}\r{COVER}")
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert await asyncio.to_thread(main, ["report", "feedback"]) == 0
    out = capsys.readouterr().out
    assert "shouts at me daily" in out
    assert "\r" not in out, "a typed carriage return reaches HR's terminal"


async def test_feedback_report_prints_no_bidirectional_overrides(
    database: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """U+202E (right-to-left override) and friends reorder what follows on the terminal, as
    an escape sequence would: what HR reads is not what was typed."""
    await FeedbackRepository(database).add(None, "Pay rise agreed: \u202e00.05\u202c pounds")
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert await asyncio.to_thread(main, ["report", "feedback"]) == 0
    out = capsys.readouterr().out
    assert "Pay rise agreed" in out
    assert not any(ch in out for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
