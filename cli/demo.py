"""`charter demo`: seed the fictional demo council service."""

from __future__ import annotations

import argparse
from datetime import date

from bot.runtime import Runtime
from cli.support import Commands, cli_settings, with_runtime


def cmd_demo(_args: argparse.Namespace) -> int:
    from services.demo import seed_demo

    settings = cli_settings()

    async def work(runtime: Runtime) -> int:
        result = await seed_demo(
            runtime.database,
            date.today(),
            apr_policy=settings.apr_policy,
            absence_policy=settings.absence_policy,
        )
        print(
            "DEMO DATA: a fictional council service (emails @demo-council.example) — "
            f"{result.created} added, {result.updated} updated, {result.unchanged} unchanged."
        )
        print("Chat as the demo manager Priya Shah: see README, 'Try it in the Agents Playground'.")
        return 0

    return with_runtime(work, settings)


def register(commands: Commands) -> None:
    commands.add("demo", help="seed the fictional demo service").set_defaults(func=cmd_demo)
