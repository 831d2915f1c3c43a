"""`charter export one-to-ones`: one row per one-to-one (with what became of its plan, and a
row for each planned one-to-one moved or that didn't happen), shared notes on request."""

from __future__ import annotations

import argparse

from bot.runtime import Runtime
from cli.support import Commands, with_runtime, write_rows


def cmd_export_one_to_ones(args: argparse.Namespace) -> int:
    from services.export_audit import audit_export
    from services.one_to_one_export import export_columns, export_one_to_ones

    async def work(runtime: Runtime) -> int:
        rows = await export_one_to_ones(
            runtime.database, with_notes=args.with_notes, tz=runtime.services.clock.tz
        )
        notes = "with shared notes" if args.with_notes else "no notes"
        await audit_export(runtime.database, runtime.services.audit, "one_to_one", rows, notes)
        write_rows(rows, export_columns(with_notes=args.with_notes), args, "one-to-ones")
        return 0

    return with_runtime(work)


def register(commands: Commands) -> None:
    one_to_ones = commands.group("export").add_parser(
        "one-to-ones", help="one row per one-to-one, with its plan status"
    )
    one_to_ones.add_argument("--format", choices=("csv", "json"), default="csv")
    one_to_ones.add_argument(
        "--with-notes", action="store_true", help="add the shared notes (never private notes)"
    )
    one_to_ones.add_argument("--out", metavar="FILE", help="write to a file, not stdout")
    one_to_ones.set_defaults(func=cmd_export_one_to_ones)
