"""What every `charter` subcommand shares: settings, services, printing import problems.

Subcommands live in small modules (`bot/cli_*.py`), each with a ``register`` function that
adds its parsers; `cli/main.py` builds the parser from them.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from bot.config import ConfigError, Settings, load_settings

# C0 and C1 control characters but tab and newline, a carriage return but the one ending a
# line ("\r\n", as CSV writes), and the bidirectional controls (marks, embeddings, overrides,
# isolates). ESC starts terminal sequences that can clear the screen, retitle the window,
# forge a hyperlink or rewrite what HR reads; a lone "\r" returns the cursor so later text is
# printed over earlier; a right-to-left override shows "00.05" as "50.00". Text people typed
# reaches the terminal without any of them. Only the progress bar writes its own "\r", to the
# stream under the filter (:func:`raw_stream`).
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)"
)


def printable(text: str) -> str:
    """The text without control characters, safe to write to a terminal."""
    return _CONTROL.sub("", text)


class PrintableStream:
    """A text stream that strips control characters from everything written to it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    @property
    def raw(self) -> TextIO:
        return self._stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under :class:`PrintableStream`'s filter, for output Charter itself composes
    with control characters (the progress bar's "\r"); never for text people typed."""
    return stream.raw if isinstance(stream, PrintableStream) else stream


@contextmanager
def printable_output() -> Iterator[None]:
    """Every `charter` command prints through :func:`printable`: feedback, questions,
    audit details, reminder titles and import problems all carry text people typed."""
    saved = sys.stdout, sys.stderr
    sys.stdout = PrintableStream(saved[0])  # type: ignore[assignment]
    sys.stderr = PrintableStream(saved[1])  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def no_such_file(path: Path) -> int:
    print(f"charter: no such file: {path}", file=sys.stderr)
    return 2


def print_problems(path: Path, problems: Sequence[Any]) -> int:
    """An import's problems, each with its line, on stderr; the exit status for 'rejected'."""
    for problem in problems:
        print(f"{path.name}: line {problem.line}: {problem.message}", file=sys.stderr)
    print(f"charter: {len(problems)} problem(s); nothing was imported.", file=sys.stderr)
    return 1


def cli_settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        raise SystemExit(f"charter: configuration error: {error}") from error


def build_services(settings: Settings):  # type: ignore[no-untyped-def]
    from domain.clock import Clock
    from services.registry import Services
    from storage.database import Database

    return Services.build(
        Database(settings.database_url),
        Clock(settings.tz),
        one_to_one_policy=settings.one_to_one_policy(),
        apr_policy=settings.apr_policy,
        absence_policy=settings.absence_policy,
        nudge_policy=settings.nudge_policy,
        scorecard_targets=dict(settings.scorecard_targets),
        channel="cli",
        content_dir=settings.content_dir,
        answer_threshold=settings.answer_threshold,
    )


async def audit_export(  # type: ignore[no-untyped-def]
    services, record_type: str, rows: Sequence[Mapping[str, object]], detail: str = ""
) -> None:
    """Audit a `charter export …` before the data leaves Charter: one summary event and one
    event per person with rows in it (so `charter audit --employee` shows the export),
    written together in one transaction."""
    from domain.import_audit import export_events
    from storage.employees import ids_by_email

    per_email = Counter(str(row.get("employee_email") or "") for row in rows)
    async with services.database.sessions() as session:
        ids = await ids_by_email(session, [email for email in per_email if email])
    by_subject = Counter({ids[email]: n for email, n in per_email.items() if email in ids})
    summary = f"{record_type}: {len(rows)} rows" + (f"; {detail}" if detail else "")
    await services.audit.record(None, *export_events(record_type, by_subject, summary))
