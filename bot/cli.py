"""The `charter` command: run the bot, migrate, import, seed the demo, package, report."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.config import VERSION, ConfigError, Settings, load_settings

# Used by `charter manifest` only when no MicrosoftAppId is configured; said so loudly.
DEVELOPMENT_APP_ID = "c4a27e00-0000-4000-8000-00000000d3f0"


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        raise SystemExit(f"charter: configuration error: {error}") from error


def cmd_run(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.app import create_app
    from bot.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_level)
    port = args.port or settings.port
    web.run_app(
        create_app(settings),
        host=settings.host,
        port=port,
        print=lambda _msg: print(f"Charter listening on http://localhost:{port}/api/messages"),
        shutdown_timeout=10,
        access_log=None,
    )
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from storage.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url)
    print("database is up to date")
    return 0


def cmd_import_org(args: argparse.Namespace) -> int:
    from domain.org_import import import_org, progress_bar
    from storage.database import Database

    settings = _settings()
    path = Path(args.file)
    if not path.is_file():
        print(f"charter: no such file: {path}", file=sys.stderr)
        return 2

    async def run() -> int:
        database = Database(settings.database_url)
        try:
            result = await import_org(
                database,
                path,
                full=args.full,
                as_of=date.today(),
                progress=progress_bar(force=args.progress),
            )
        finally:
            await database.dispose()
        if result.problems:
            for problem in result.problems:
                print(f"{path.name}: line {problem.line}: {problem.message}", file=sys.stderr)
            print(
                f"charter: {len(result.problems)} problem(s); nothing was imported.",
                file=sys.stderr,
            )
            return 1
        print(
            f"imported {path.name}: {result.created} added, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.marked_left} marked as left"
        )
        return 0

    return asyncio.run(run())


def cmd_demo(_args: argparse.Namespace) -> int:
    from domain.demo import seed_demo
    from storage.database import Database

    settings = _settings()

    async def run() -> int:
        database = Database(settings.database_url)
        try:
            result = await seed_demo(database, date.today())
        finally:
            await database.dispose()
        print(
            "DEMO DATA: a fictional council service (emails @demo-council.example) — "
            f"{result.created} added, {result.updated} updated, {result.unchanged} unchanged."
        )
        print("Chat as the demo manager Priya Shah: see README, 'Try it in the Agents Playground'.")
        return 0

    return asyncio.run(run())


def cmd_manifest(args: argparse.Namespace) -> int:
    from bot.teams_package import DEFAULT_MANIFEST_DIR, build_app_package

    settings = _settings()
    app_id = args.app_id or settings.app_id or DEVELOPMENT_APP_ID
    domains = [d for d in (settings.public_hostname,) if d]
    try:
        out = build_app_package(
            manifest_dir=DEFAULT_MANIFEST_DIR,
            out_path=Path(args.out),
            app_id=app_id,
            version=args.version or VERSION,
            domains=domains,
        )
    except ValueError as error:
        print(f"charter: {error}", file=sys.stderr)
        return 1
    print(f"wrote {out} (app id {app_id})")
    if app_id == DEVELOPMENT_APP_ID:
        print(
            "note: MicrosoftAppId is not set, so this package carries a development id. "
            "Set MicrosoftAppId (or pass --app-id) to the Azure Bot's id before uploading."
        )
    return 0


def _services(settings: Settings):  # type: ignore[no-untyped-def]
    from domain.clock import Clock
    from domain.services import Services
    from storage.database import Database

    return Services.build(
        Database(settings.database_url),
        Clock(settings.tz),
        one_to_one_policy=settings.one_to_one_policy(),
        apr_policy=settings.apr_policy,
    )


def cmd_cadence(args: argparse.Namespace) -> int:
    settings = _settings()
    days = None if args.cadence_action == "clear" else args.days

    async def run() -> int:
        services = _services(settings)
        try:
            person = await services.one_to_ones.set_cadence(
                employee_email=args.employee, team_email=args.team, days=days
            )
        except ValueError as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        finally:
            await services.database.dispose()
        whose = f"{person.name}'s team" if args.team else person.name
        if days is None:
            default = settings.one_to_one_cadence_days
            print(f"one-to-one interval for {whose}: back to the default ({default} days)")
        else:
            print(f"one-to-one interval for {whose}: every {days} days")
        return 0

    return asyncio.run(run())


def cmd_export_one_to_ones(args: argparse.Namespace) -> int:
    from domain.one_to_one_export import export_columns, export_one_to_ones, write_export

    settings = _settings()

    async def run() -> int:
        services = _services(settings)
        try:
            rows = await export_one_to_ones(services.database, with_notes=args.with_notes)
        finally:
            await services.database.dispose()
        columns = export_columns(with_notes=args.with_notes)
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as stream:
                write_export(rows, stream, args.format, columns=columns)
            print(f"wrote {len(rows)} one-to-ones to {args.out}", file=sys.stderr)
        else:
            write_export(rows, sys.stdout, args.format, columns=columns)
        return 0

    return asyncio.run(run())


def cmd_report_feedback(args: argparse.Namespace) -> int:
    from storage.database import Database
    from storage.feedback import FeedbackRepository

    settings = _settings()

    async def run() -> int:
        database = Database(settings.database_url)
        try:
            entries = await FeedbackRepository(database).recent(args.limit)
        finally:
            await database.dispose()
        if not entries:
            print("No feedback yet.")
        for entry in entries:
            who = entry.author_name or "(someone who has since left)"
            print(f"{entry.created_at:%Y-%m-%d %H:%M}  {who}\n  {entry.text}\n")
        return 0

    return asyncio.run(run())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="charter", description=__doc__)
    parser.add_argument("--version", action="version", version=f"charter {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the bot service")
    run.add_argument("--port", type=int, help="override PORT")
    run.set_defaults(func=cmd_run)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)

    imports = commands.add_parser("import", help="load data exported from HR systems")
    import_commands = imports.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    org = import_commands.add_parser("org", help="the organisation chart (CSV)")
    org.add_argument("file", help="CSV with employee_id,name,email,manager_email,…")
    org.add_argument(
        "--full", action="store_true", help="the file is everyone: mark people not in it as left"
    )
    org.add_argument(
        "--progress", action="store_true", help="show progress even when not on a terminal"
    )
    org.set_defaults(func=cmd_import_org)

    commands.add_parser("demo", help="seed the fictional demo service").set_defaults(func=cmd_demo)

    manifest = commands.add_parser("manifest", help="build the Teams app package")
    manifest.add_argument("--app-id", help="override MicrosoftAppId")
    manifest.add_argument("--version", help=f"app version (default {VERSION})")
    manifest.add_argument("--out", default="build/appPackage.zip", help="output zip")
    manifest.set_defaults(func=cmd_manifest)

    cadence = commands.add_parser("cadence", help="expected interval between one-to-ones")
    cadence_actions = cadence.add_subparsers(dest="cadence_action", required=True, metavar="ACTION")
    for action, text in (("set", "set an interval"), ("clear", "back to the default")):
        sub = cadence_actions.add_parser(action, help=text)
        target = sub.add_mutually_exclusive_group(required=True)
        target.add_argument("--employee", metavar="EMAIL", help="one employee")
        target.add_argument("--team", metavar="MANAGER_EMAIL", help="everyone reporting to them")
        if action == "set":
            sub.add_argument("--days", type=int, required=True, help="days between one-to-ones")
        sub.set_defaults(func=cmd_cadence)

    export = commands.add_parser("export", help="export records (CSV or JSON)")
    export_kinds = export.add_subparsers(dest="export_kind", required=True, metavar="KIND")
    one_to_ones = export_kinds.add_parser("one-to-ones", help="one row per one-to-one")
    one_to_ones.add_argument("--format", choices=("csv", "json"), default="csv")
    one_to_ones.add_argument(
        "--with-notes", action="store_true", help="add the shared notes (never private notes)"
    )
    one_to_ones.add_argument("--out", metavar="FILE", help="write to a file, not stdout")
    one_to_ones.set_defaults(func=cmd_export_one_to_ones)

    report = commands.add_parser("report", help="reports for HR")
    report_commands = report.add_subparsers(dest="report", required=True, metavar="REPORT")
    feedback = report_commands.add_parser("feedback", help="what people told HR about Charter")
    feedback.add_argument("--limit", type=int, default=100)
    feedback.set_defaults(func=cmd_report_feedback)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
