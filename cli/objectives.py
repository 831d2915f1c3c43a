"""`charter export objectives`, `charter report golden-thread`, and the golden thread's top:
`charter plans …` and `charter priorities …`."""

from __future__ import annotations

import argparse
import json
import sys

from bot.runtime import Runtime
from cli.support import Commands, add_export_flags, with_runtime, write_rows
from services import golden_thread_lists as lists


def cmd_export_objectives(args: argparse.Namespace) -> int:
    from services.export_audit import audit_export
    from services.objective_reports import OBJECTIVE_COLUMNS, export_objectives

    async def work(runtime: Runtime) -> int:
        rows = await export_objectives(runtime.database)
        await audit_export(runtime.database, runtime.services.audit, "objective", rows)
        write_rows(rows, OBJECTIVE_COLUMNS, args, "objectives")
        return 0

    return with_runtime(work)


def cmd_report_golden_thread(args: argparse.Namespace) -> int:
    from services.objective_reports import (
        golden_thread,
        golden_thread_columns,
        golden_thread_json,
        golden_thread_rows,
        golden_thread_text,
    )
    from services.one_to_one_export import write_export

    async def work(runtime: Runtime) -> int:
        report = await golden_thread(runtime.database, runtime.clock.today())
        if args.format == "text":
            sys.stdout.write(golden_thread_text(report))
        elif args.format == "json":
            json.dump(golden_thread_json(report), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            rows = golden_thread_rows(report)
            write_export(rows, sys.stdout, "csv", columns=golden_thread_columns(report))
        return 0

    return with_runtime(work)


def cmd_golden_thread_list(args: argparse.Namespace) -> int:
    """`charter plans …` and `charter priorities …`: list, add and retire entries."""
    plans = args.command == "plans"
    what = "service plan" if plans else "council priority"

    async def work(runtime: Runtime) -> int:
        if args.list_action == "list":
            entries = await (lists.list_plans if plans else lists.list_priorities)(runtime.database)
            print(lists.entries_table(entries, with_department=plans))
            return 0
        try:
            print(lists.describe_change(await _change(runtime, args, plans), what))
        except lists.ListError as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        return 0

    return with_runtime(work)


async def _change(runtime: Runtime, args: argparse.Namespace, plans: bool) -> lists.ListChange:
    database = runtime.database
    if args.list_action == "add" and plans:
        today = runtime.clock.today()
        return await lists.add_plan(database, args.title, args.department, as_of=today)
    if args.list_action == "add":
        return await lists.add_priority(database, args.title)
    if plans:
        return await lists.retire_plan(database, args.id)
    return await lists.retire_priority(database, args.id)


def register(commands: Commands) -> None:
    objectives = commands.group("export").add_parser("objectives", help="one row per objective")
    add_export_flags(objectives)
    objectives.set_defaults(func=cmd_export_objectives)
    golden = commands.group("report").add_parser(
        "golden-thread", help="live objectives per council priority per department"
    )
    golden.add_argument("--format", choices=("text", "csv", "json"), default="text")
    golden.set_defaults(func=cmd_report_golden_thread)
    _register_lists(commands)


def _register_lists(commands: Commands) -> None:
    """`charter plans list|add|retire` and `charter priorities list|add|retire`."""
    for name, what, help_text in (
        ("plans", "service plan", "the service plans objectives can support"),
        ("priorities", "council priority", "the council priorities: the golden thread's top"),
    ):
        parser = commands.add(name, help=help_text)
        actions = parser.add_subparsers(dest="list_action", required=True, metavar="ACTION")
        actions.add_parser("list", help=f"every {what}, retired ones too")
        add = actions.add_parser("add", help=f"add a {what} (or make a retired one active)")
        add.add_argument("title", help="the title, in quotes")
        if name == "plans":
            add.add_argument(
                "--department",
                default="",
                metavar="NAME",
                help="the department it belongs to, as in the org chart (default: council-wide)",
            )
        retire = actions.add_parser(
            "retire", help=f"stop offering a {what} (objectives keep their link)"
        )
        retire.add_argument("id", type=int, help=f"the {what}'s id, from `charter {name} list`")
        parser.set_defaults(func=cmd_golden_thread_list)
