"""`charter import aprs` and `charter export aprs`: appraisals held before and in Charter."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.runtime import Runtime
from cli.support import (
    Commands,
    add_export_flags,
    cli_settings,
    no_such_file,
    print_problems,
    with_runtime,
    write_rows,
)


def cmd_import_aprs(args: argparse.Namespace) -> int:
    from services.apr_import import import_aprs

    settings = cli_settings()
    path = Path(args.file)
    if not path.is_file():
        return no_such_file(path)

    async def work(runtime: Runtime) -> int:
        result = await import_aprs(
            runtime.database,
            path,
            as_of=runtime.clock.today(),
            audit=runtime.services.audit,
        )
        if result.problems:
            return print_problems(path, result.problems)
        print(
            f"imported {path.name}: {result.created} APRs added, "
            f"{result.unchanged} unchanged (already in Charter)"
        )
        return 0

    return with_runtime(work, settings)


def cmd_export_aprs(args: argparse.Namespace) -> int:
    from services.export_audit import audit_export
    from services.objective_reports import APR_COLUMNS, export_aprs

    async def work(runtime: Runtime) -> int:
        rows = await export_aprs(runtime.database)
        await audit_export(runtime.database, runtime.services.audit, "apr", rows)
        write_rows(rows, APR_COLUMNS, args, "APRs")
        return 0

    return with_runtime(work)


def register(commands: Commands) -> None:
    aprs = commands.group("import").add_parser("aprs", help="APRs held before Charter (CSV)")
    aprs.add_argument("file", help="CSV with employee_id and/or employee_email, held_on, …")
    aprs.set_defaults(func=cmd_import_aprs)
    export = commands.group("export").add_parser(
        "aprs", help="one row per APR (outcome counts; no comments)"
    )
    add_export_flags(export)
    export.set_defaults(func=cmd_export_aprs)
