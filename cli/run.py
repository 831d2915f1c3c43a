"""`charter run`: serve the bot (the same entry point as `python -m bot`)."""

from __future__ import annotations

import argparse

from cli.support import Commands


def cmd_run(args: argparse.Namespace) -> int:
    from bot.serve import run

    return run(port=args.port, workers=args.workers)


def register(commands: Commands) -> None:
    run = commands.add("run", help="start the bot service")
    run.add_argument("--port", type=int, help="override PORT")
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes serving the port (SO_REUSEPORT, Linux); scheduled jobs run in one",
    )
    run.set_defaults(func=cmd_run)
