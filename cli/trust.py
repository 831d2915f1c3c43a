"""`charter audit`, `charter retention`, `charter sar` and `charter erase` (issue #9)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

from bot.runtime import Runtime
from cli.support import Commands, cli_settings, with_runtime
from services.one_to_one_export import write_export

AUDIT_COLUMNS = (
    "at",
    "actor",
    "on_behalf_of",
    "channel",
    "action",
    "record_type",
    "record_id",
    "subject",
    "detail",
)


def _date(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise SystemExit(f"charter: {flag} must be a date like 2026-11-23, not {text!r}") from error


def cmd_audit(args: argparse.Namespace) -> int:
    from services.audit_search import search_audit
    from services.subject_access import NotFound

    settings = cli_settings()
    since_day = _date(args.since, "--since")
    if not args.employee and not args.actor:
        print("charter: name --employee EMAIL, --actor EMAIL, or both", file=sys.stderr)
        return 2
    since = datetime.combine(since_day, time.min, tzinfo=settings.tz) if since_day else None

    async def work(runtime: Runtime) -> int:
        try:
            found = await search_audit(
                runtime.database, employee=args.employee, actor=args.actor, since=since
            )
        except NotFound as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        rows = [
            asdict(e) | {"at": e.at.astimezone(settings.tz).isoformat(timespec="seconds")}
            for e in found
        ]
        _print_events(rows, args.format)
        return 0

    return with_runtime(work, settings)


def _print_events(rows: list[dict[str, object]], fmt: Literal["text", "csv", "json"]) -> None:
    if fmt != "text":
        # One writer for every export: it quotes cells a spreadsheet would run as formulas.
        records = [{k: row[k] for k in AUDIT_COLUMNS} for row in rows]
        write_export(records, sys.stdout, fmt, columns=AUDIT_COLUMNS)
    else:
        if not rows:
            print("No audit events match.")
        for row in rows:
            behalf = f" for {row['on_behalf_of']}" if row["on_behalf_of"] else ""
            record = f" #{row['record_id']}" if row["record_id"] else ""
            about = f" about {row['subject']}" if row["subject"] else ""
            detail = f"  ({row['detail']})" if row["detail"] else ""
            print(
                f"{row['at']}  {row['actor']}{behalf} via {row['channel']}: "
                f"{row['action']} {row['record_type']}{record}{about}{detail}"
            )


def cmd_retention_apply(args: argparse.Namespace) -> int:
    from domain.retention import RULES_BY_KIND
    from services.retention_run import apply_retention

    settings = cli_settings()
    as_of = _date(args.as_of, "--as-of")
    periods = settings.retention_periods

    async def work(runtime: Runtime) -> int:
        services = runtime.services
        report = await apply_retention(
            services.database,
            services.audit,
            services.clock,
            periods,
            as_of=as_of,
            dry_run=args.dry_run,
        )
        print(f"retention as of {report.as_of} ({'dry run' if args.dry_run else 'applied'}):")
        for kind, count in report.counts.items():
            rule = RULES_BY_KIND[kind]
            done = {"delete": "deleted", "anonymise": "anonymised"}[rule.disposal.value]
            verb = f"to {rule.disposal.value}" if args.dry_run else done
            print(
                f"  {kind.value:20} {count:6} {verb:12}  "
                f"(kept {periods[kind].describe()} after {rule.runs_from}: "
                f"before {report.cutoffs[kind]})"
            )
        if args.dry_run:
            print("dry run: nothing was deleted or changed.")
        else:
            print(f"{report.total} record(s) deleted or anonymised.")
        return 0

    return with_runtime(work, settings)


def cmd_sar(args: argparse.Namespace) -> int:
    from services.subject_access import NotFound, subject_access_report

    settings = cli_settings()

    async def work(runtime: Runtime) -> int:
        services = runtime.services
        try:
            report = await subject_access_report(services.database, services.audit, args.email)
        except NotFound as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        if args.out:
            _write_private(Path(args.out), text)
            print(f"wrote the subject access report to {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0

    return with_runtime(work, settings)


def _write_private(path: Path, text: str) -> None:
    """Health data: the file is readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)


def cmd_erase(args: argparse.Namespace) -> int:
    from services.subject_access import NotFound, erase

    settings = cli_settings()

    async def work(runtime: Runtime) -> int:
        services = runtime.services
        try:
            outcome = await erase(
                services.database,
                services.audit,
                args.email,
                confirm=args.confirm,
                today=services.clock.today(),
            )
        except NotFound as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        who = f"{outcome.subject.name} ({outcome.subject.employee_id})"
        if outcome.refused_because:
            print(f"charter: not erased: {outcome.refused_because}", file=sys.stderr)
            return 1
        print(f"{'Erased' if outcome.done else 'Erasing would change'} {who}:")
        for what, count in outcome.counts.items():
            print(f"  {count:6}  {what}")
        if not outcome.done:
            print("Nothing was changed. Run again with --confirm to erase.", file=sys.stderr)
            return 1
        print("The erasure is recorded in the audit log.")
        return 0

    return with_runtime(work, settings)


def register(commands: Commands) -> None:
    """Add this module's subcommands to `charter`."""
    audit = commands.add("audit", help="who read or changed whose records, and when")
    audit.add_argument("--employee", metavar="EMAIL", help="events about this person")
    audit.add_argument(
        "--actor", metavar="EMAIL", help="events by this person (or cli:USER, system)"
    )
    audit.add_argument("--since", metavar="DATE", help="from this date (YYYY-MM-DD)")
    audit.add_argument("--format", choices=("text", "csv", "json"), default="text")
    audit.set_defaults(func=cmd_audit)

    retention = commands.add("retention", help="delete records kept long enough")
    actions = retention.add_subparsers(dest="retention_action", required=True, metavar="ACTION")
    apply = actions.add_parser(
        "apply", help="delete or anonymise what is due (CHARTER_RETENTION) and report counts"
    )
    apply.add_argument("--dry-run", action="store_true", help="count only; change nothing")
    apply.add_argument("--as-of", metavar="DATE", help="as if today were this date")
    apply.set_defaults(func=cmd_retention_apply)

    sar = commands.add("sar", help="subject access: everything held about a person")
    sar.add_argument("email", help="their work email (or HR employee id)")
    sar.add_argument("--out", metavar="FILE", help="write the JSON here, not to stdout")
    sar.set_defaults(func=cmd_sar)

    erase = commands.add("erase", help="erase a leaver's personal data where allowed")
    erase.add_argument("email", help="their work email (or HR employee id)")
    erase.add_argument(
        "--confirm", action="store_true", help="really erase (without it: say what would happen)"
    )
    erase.set_defaults(func=cmd_erase)
