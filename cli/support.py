"""What every `charter` subcommand shares: settings, running with the runtime open, the
parser's command groups, printing safely and printing import problems.

Subcommands live in one module per noun (`cli/people.py`, `cli/nudges.py` …), each with a
``register`` function that adds its parsers; `cli/main.py` builds the parser from them.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeAlias

from bot.config import Settings, settings_or_exit
from bot.runtime import Runtime, opened
from services.audit import Channel

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
    sys.stdout = PrintableStream(saved[0])
    sys.stderr = PrintableStream(saved[1])
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
    """The settings, or the command stops with ``charter: configuration error: …``."""
    return settings_or_exit()


def with_runtime(
    work: Callable[[Runtime], Awaitable[int]],
    settings: Settings | None = None,
    *,
    teams: bool = False,
) -> int:
    """Run a command's work with the runtime open (database, clock, services; Teams too when
    ``teams``), close it however the work ends, and return the work's exit status. Every
    audit event the command writes carries the cli channel."""
    chosen = settings or cli_settings()

    async def run() -> int:
        async with opened(chosen, channel=Channel.CLI, teams=teams) as runtime:
            return await work(runtime)

    return asyncio.run(run())


# argparse's subcommand action is generic only to type checkers.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class Commands:
    """The `charter` parser's commands, and its command groups (`import`, `export`,
    `report` …) made on first use, so each noun's module adds its subcommands where they
    belong."""

    def __init__(self, commands: Subcommands) -> None:
        self.commands = commands
        self._groups: dict[str, Subcommands] = {}

    def add(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self.commands.add_parser(name, **kwargs)
        return parser

    def group(self, name: str) -> Subcommands:
        if name not in self._groups:
            help_text, dest, metavar = GROUPS[name]
            parser = self.commands.add_parser(name, help=help_text)
            self._groups[name] = parser.add_subparsers(dest=dest, required=True, metavar=metavar)
        return self._groups[name]


# name -> (help, the attribute the chosen subcommand is stored in, its placeholder)
GROUPS = {
    "db": ("database maintenance", "db_command", "ACTION"),
    "import": ("load data exported from HR systems", "import_kind", "KIND"),
    "export": ("export records (CSV or JSON)", "export_kind", "KIND"),
    "report": ("reports for HR", "report", "REPORT"),
}


def write_rows(
    rows: list[dict[str, object]], columns: Sequence[str], args: argparse.Namespace, what: str
) -> None:
    """An export's rows as ``--format`` to ``--out`` (saying how many on stderr) or stdout."""
    from services.one_to_one_export import write_export

    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as stream:
            write_export(rows, stream, args.format, columns=columns)
        print(f"wrote {len(rows)} {what} to {args.out}", file=sys.stderr)
    else:
        write_export(rows, sys.stdout, args.format, columns=columns)


def add_export_flags(parser: argparse.ArgumentParser) -> None:
    """`--format csv|json` and `--out FILE`, as every export takes them."""
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--out", metavar="FILE", help="write to a file, not stdout")
