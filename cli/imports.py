"""What `charter import absences` and `charter import aprs` share: the file argument, a
missing file refused before anything opens, the import run with the runtime open, and its
problems (each with its line) or its one-line summary."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bot.config import Settings
from bot.runtime import Runtime
from cli.support import Commands, cli_settings, no_such_file, print_problems, with_runtime


class ImportResult(Protocol):
    """What every import returns: its problems (nothing was written if there are any)."""

    @property
    def problems(self) -> Sequence[Any]: ...


Result = TypeVar("Result", bound=ImportResult)


def run_file_import(
    args: argparse.Namespace,
    run: Callable[[Runtime, Path, Settings], Awaitable[Result]],
    summary: Callable[[Result], str],
) -> int:
    """Import ``args.file`` with ``run(runtime, path, settings)``: its problems on stderr and
    status 1, or ``imported <file>: <summary>`` and status 0; status 2 if there is no file."""
    settings = cli_settings()
    path = Path(args.file)
    if not path.is_file():
        return no_such_file(path)

    async def work(runtime: Runtime) -> int:
        result = await run(runtime, path, settings)
        if result.problems:
            return print_problems(path, result.problems)
        print(f"imported {path.name}: {summary(result)}")
        return 0

    return with_runtime(work, settings)


def add_import(
    commands: Commands,
    kind: str,
    *,
    help_text: str,
    file_help: str,
    func: Callable[[argparse.Namespace], int],
) -> None:
    """`charter import <kind> FILE`."""
    parser = commands.group("import").add_parser(kind, help=help_text)
    parser.add_argument("file", help=file_help)
    parser.set_defaults(func=func)
