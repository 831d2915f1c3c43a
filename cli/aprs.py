"""`charter import aprs` and `charter export aprs`: appraisals held before and in Charter."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import Settings
from bot.runtime import Runtime
from cli.imports import add_import, run_file_import
from cli.support import Commands, add_export_flags, with_runtime, write_rows


def cmd_import_aprs(args: argparse.Namespace) -> int:
    from services.apr_import import AprImportResult, import_aprs

    async def run(runtime: Runtime, path: Path, settings: Settings) -> AprImportResult:
        return await import_aprs(
            runtime.database, path, as_of=runtime.clock.today(), audit=runtime.services.audit
        )

    def summary(result: AprImportResult) -> str:
        return f"{result.created} APRs added, {result.unchanged} unchanged (already in Charter)"

    return run_file_import(args, run, summary)


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
    add_import(
        commands,
        "aprs",
        help_text="APRs held before Charter (CSV)",
        file_help="CSV with employee_id and/or employee_email, held_on, …",
        func=cmd_import_aprs,
    )
    export = commands.group("export").add_parser(
        "aprs", help="one row per APR (outcome counts; no comments)"
    )
    add_export_flags(export)
    export.set_defaults(func=cmd_export_aprs)
