"""The `charter` command: run the bot, migrate, import, seed the demo, package, report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.config import VERSION
from cli import (
    absences,
    answers,
    aprs,
    db,
    delegations,
    demo,
    feedback,
    manifest,
    nudges,
    objectives,
    one_to_ones,
    people,
    reports,
    run,
    trust,
)
from cli.support import Commands, printable_output

# One module per noun, each adding its subcommands (in this order) to `charter`'s parser.
NOUNS = (
    run,
    db,
    people,
    aprs,
    absences,
    demo,
    manifest,
    one_to_ones,
    objectives,
    nudges,
    feedback,
    answers,
    reports,
    delegations,
    trust,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="charter", description=__doc__)
    parser.add_argument("--version", action="version", version=f"charter {VERSION}")
    commands = Commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    for noun in NOUNS:
        noun.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with printable_output():
            return int(args.func(args))
    except BrokenPipeError:
        # `charter export … | head`: the reader has gone; stop quietly, as Unix tools do.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
