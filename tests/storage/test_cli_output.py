"""The CLI never passes control characters people typed to HR's terminal."""

from __future__ import annotations

import asyncio
import io
import sys

import pytest

from cli.main import main
from cli.support import printable, printable_output, raw_stream
from services.org_import import ProgressBar
from storage.database import Database
from storage.feedback import FeedbackRepository

# Clear the screen, retitle the window and forge a hyperlink: what a hostile feedback holds.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x9b31m"


def test_printable_keeps_text_and_layout_but_no_control_characters() -> None:
    assert printable("Line one\n\tindented\r\n") == "Line one\n\tindented\r\n"
    assert printable(HOSTILE) == "[2J]0;pwned]8;;https://evil.example\\click]8;;\\ 31m"
    assert printable("caf\u00e9 \u2014 \U0001f44d") == "caf\u00e9 \u2014 \U0001f44d"


async def test_feedback_report_prints_no_escape_sequences(
    database: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await FeedbackRepository(database).add(None, f"Please add reminders {HOSTILE}")
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert await asyncio.to_thread(main, ["report", "feedback"]) == 0
    out = capsys.readouterr().out
    assert "Please add reminders" in out and "pwned" in out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out


def test_printable_drops_a_lone_carriage_return_and_bidirectional_controls() -> None:
    assert printable("shouts at me\rNice bot") == "shouts at meNice bot"
    assert printable("row one\r\nrow two\r\n") == "row one\r\nrow two\r\n"  # CSV's ends
    hidden = "Pay \u202e00.05\u202c \u2066x\u2069 \u200e\u200f\u061c"
    assert printable(hidden) == "Pay 00.05 x "


def test_only_the_progress_bar_writes_a_carriage_return_under_the_filter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    with printable_output():
        ProgressBar(raw_stream(sys.stderr), width=4, min_total=1)(1, 2)
        sys.stderr.write("typed\rcover")
    assert terminal.getvalue() == "\r[##..]  50%  1/2typedcover"
