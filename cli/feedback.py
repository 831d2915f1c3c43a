"""`charter report feedback`: what people told HR about Charter."""

from __future__ import annotations

import argparse

from bot.runtime import Runtime
from cli.support import Commands, with_runtime


def cmd_report_feedback(args: argparse.Namespace) -> int:
    async def work(runtime: Runtime) -> int:
        entries = await runtime.services.feedback.recent(args.limit)
        if not entries:
            print("No feedback yet.")
        for entry in entries:
            who = entry.author_name or "(someone who has since left)"
            print(f"{entry.created_at:%Y-%m-%d %H:%M}  {who}\n  {entry.text}\n")
        return 0

    return with_runtime(work)


def register(commands: Commands) -> None:
    feedback = commands.group("report").add_parser(
        "feedback", help="what people told HR about Charter"
    )
    feedback.add_argument("--limit", type=int, default=100)
    feedback.set_defaults(func=cmd_report_feedback)
