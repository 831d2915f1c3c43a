"""`charter import absences` and `charter export absences|return-to-work`."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import Settings
from bot.runtime import Runtime
from cli.imports import add_import, run_file_import
from cli.support import Commands, add_export_flags, cli_settings, with_runtime, write_rows


def cmd_import_absences(args: argparse.Namespace) -> int:
    from services.absence_import import AbsenceImportResult, import_absences

    async def run(runtime: Runtime, path: Path, settings: Settings) -> AbsenceImportResult:
        return await import_absences(
            runtime.database,
            path,
            as_of=runtime.clock.today(),
            policy=settings.absence_policy,
            audit=runtime.services.audit,
        )

    def summary(result: AbsenceImportResult) -> str:
        return (
            f"{result.created} absences added, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )

    return run_file_import(args, run, summary)


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
    add_import(
        commands,
        "absences",
        help_text="absence records (CSV)",
        file_help="CSV with employee_id and/or employee_email, start_date, end_date, "
        "absence_type, …",
        func=cmd_import_absences,
    )
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
