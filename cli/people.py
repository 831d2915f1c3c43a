"""`charter import org`, `charter cadence` and `charter pattern`: the people Charter knows,
how often each should have a one-to-one, and the days they work."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.runtime import Runtime
from cli.support import (
    Commands,
    cli_settings,
    no_such_file,
    print_problems,
    raw_stream,
    with_runtime,
)


def cmd_import_org(args: argparse.Namespace) -> int:
    from services.org_import import import_org, progress_bar

    settings = cli_settings()
    path = Path(args.file)
    if not path.is_file():
        return no_such_file(path)

    async def work(runtime: Runtime) -> int:
        # Leavers are dated by the council's calendar (CHARTER_TIMEZONE), not the host's:
        # a server on UTC is a day behind between midnight and 1am in British Summer Time.
        result = await import_org(
            runtime.database,
            path,
            full=args.full,
            as_of=runtime.clock.today(),
            progress=progress_bar(raw_stream(sys.stderr), force=args.progress),
            audit=runtime.services.audit,
        )
        if result.problems:
            return print_problems(path, result.problems)
        print(
            f"imported {path.name}: {result.created} added, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.marked_left} marked as left"
            + (
                f", {result.kept_erased} erased (left as erased, not restored)"
                if result.kept_erased
                else ""
            )
        )
        return 0

    return with_runtime(work, settings)


def cmd_cadence(args: argparse.Namespace) -> int:
    settings = cli_settings()
    days = None if args.cadence_action == "clear" else args.days

    async def work(runtime: Runtime) -> int:
        try:
            person = await runtime.services.one_to_ones.set_cadence(
                employee_email=args.employee, team_email=args.team, days=days
            )
        except ValueError as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        whose = f"{person.name}'s team" if args.team else person.name
        if days is None:
            default = settings.one_to_one_cadence_days
            print(f"one-to-one interval for {whose}: back to the default ({default} days)")
        else:
            print(f"one-to-one interval for {whose}: every {days} days")
        return 0

    return with_runtime(work, settings)


def cmd_pattern(args: argparse.Namespace) -> int:
    from services.working_patterns import PatternError, set_pattern

    settings = cli_settings()
    text = args.pattern if args.pattern_action == "set" else None

    async def work(runtime: Runtime) -> int:
        try:
            change = await set_pattern(
                runtime.database, args.employee, text, audit=runtime.services.audit
            )
        except PatternError as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        print(change.describe(settings.absence_policy.default_pattern))
        return 0

    return with_runtime(work, settings)


def register(commands: Commands) -> None:
    org = commands.group("import").add_parser("org", help="the organisation chart (CSV)")
    org.add_argument("file", help="CSV with employee_id,name,email,manager_email,…")
    org.add_argument(
        "--full", action="store_true", help="the file is everyone: mark people not in it as left"
    )
    org.add_argument(
        "--progress", action="store_true", help="show progress even when not on a terminal"
    )
    org.set_defaults(func=cmd_import_org)
    _register_cadence(commands)
    _register_pattern(commands)


def _register_cadence(commands: Commands) -> None:
    cadence = commands.add("cadence", help="expected interval between one-to-ones")
    cadence_actions = cadence.add_subparsers(dest="cadence_action", required=True, metavar="ACTION")
    for action, text in (("set", "set an interval"), ("clear", "back to the default")):
        sub = cadence_actions.add_parser(action, help=text)
        target = sub.add_mutually_exclusive_group(required=True)
        target.add_argument("--employee", metavar="EMAIL", help="one employee")
        target.add_argument("--team", metavar="MANAGER_EMAIL", help="everyone reporting to them")
        if action == "set":
            sub.add_argument("--days", type=int, required=True, help="days between one-to-ones")
        sub.set_defaults(func=cmd_cadence)


def _register_pattern(commands: Commands) -> None:
    pattern = commands.add("pattern", help="an employee's working days (absence rules)")
    pattern_actions = pattern.add_subparsers(dest="pattern_action", required=True, metavar="ACTION")
    for action, text in (("set", "set their working days"), ("clear", "back to the default")):
        sub = pattern_actions.add_parser(action, help=text)
        sub.add_argument("--employee", metavar="EMAIL", required=True, help="the employee")
        if action == "set":
            sub.add_argument("pattern", help='the days they work, e.g. "Mon,Wed,Fri" or "Mon-Thu"')
        sub.set_defaults(func=cmd_pattern)
