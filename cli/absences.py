"""`charter import absences` and `charter export absences|return-to-work`."""

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


def cmd_import_absences(args: argparse.Namespace) -> int:
    from services.absence_import import import_absences

    settings = cli_settings()
    path = Path(args.file)
    if not path.is_file():
        return no_such_file(path)

    async def work(runtime: Runtime) -> int:
        result = await import_absences(
            runtime.database,
            path,
            as_of=runtime.clock.today(),
            policy=settings.absence_policy,
            audit=runtime.services.audit,
        )
        if result.problems:
            return print_problems(path, result.problems)
        print(
            f"imported {path.name}: {result.created} absences added, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
        return 0

    return with_runtime(work, settings)


def cmd_export_absences(args: argparse.Namespace) -> int:
    """`export absences` (one row per absence) and `export return-to-work` (one per ended
    sickness absence); neither carries notes."""
    from services.absence_export import (
        ABSENCE_COLUMNS,
        RTW_COLUMNS,
        export_absences,
        export_return_to_work,
    )
    from services.export_audit import audit_export

    settings = cli_settings()
    rtw = args.export_kind == "return-to-work"

    async def work(runtime: Runtime) -> int:
        export = export_return_to_work if rtw else export_absences
        rows = await export(
            runtime.database, as_of=runtime.clock.today(), policy=settings.absence_policy
        )
        record_type = "return_to_work" if rtw else "absence"
        await audit_export(runtime.database, runtime.services.audit, record_type, rows)
        if rtw:
            write_rows(rows, RTW_COLUMNS, args, "return-to-work rows")
        else:
            write_rows(rows, ABSENCE_COLUMNS, args, "absences")
        return 0

    return with_runtime(work, settings)


def register(commands: Commands) -> None:
    absences = commands.group("import").add_parser("absences", help="absence records (CSV)")
    absences.add_argument(
        "file",
        help="CSV with employee_id and/or employee_email, start_date, end_date, absence_type, …",
    )
    absences.set_defaults(func=cmd_import_absences)
    exports = commands.group("export")
    for kind, help_text in (
        ("absences", "one row per absence (no notes)"),
        (
            "return-to-work",
            "one row per ended sickness absence: RTW due, held, on time (no notes)",
        ),
    ):
        sub = exports.add_parser(kind, help=help_text)
        add_export_flags(sub)
        sub.set_defaults(func=cmd_export_absences)
