"""The `charter` command: run the bot, migrate, import, seed the demo, package, report."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bot.config import VERSION
from cli import answers as cli_answers
from cli import team as cli_team
from cli import trust as cli_trust
from cli.support import (
    audit_export,
    build_services,
    cli_settings,
    no_such_file,
    print_problems,
    printable_output,
    raw_stream,
)

# Used by `charter manifest` only when no MicrosoftAppId is configured; said so loudly.
DEVELOPMENT_APP_ID = "c4a27e00-0000-4000-8000-00000000d3f0"


def cmd_run(args: argparse.Namespace) -> int:
    from bot.config import serving_problem
    from bot.logs import configure_logging

    settings = cli_settings()
    problem = serving_problem(settings)
    if problem:
        print(f"charter: refusing to start: {problem}", file=sys.stderr)
        return 2
    workers = args.workers
    if workers < 1:
        print("charter: --workers must be 1 or more", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    port = args.port or settings.port
    if workers == 1:
        _serve(settings, port, worker=None)
        return 0
    return _serve_with_workers(settings, port, workers)


def _serve(settings: Any, port: int, *, worker: int | None) -> None:
    """Serve until stopped. With workers, each binds the port with SO_REUSEPORT and the
    kernel spreads new connections across them; only worker 0 runs the scheduled jobs, so
    each reminder cycle and retention run happens once."""
    from aiohttp import web

    from bot.app import create_app

    shown_host = f"[{settings.host}]" if ":" in settings.host else settings.host
    label = "" if worker is None else f" (worker {worker})"
    web.run_app(
        create_app(settings, start_jobs=worker in (None, 0), worker=worker),
        host=settings.host,
        port=port,
        print=lambda _msg: print(
            f"Charter listening on http://{shown_host}:{port}/api/messages{label}", flush=True
        ),
        shutdown_timeout=10,
        access_log=None,
        reuse_port=worker is not None,
    )


def _worker_main(settings: Any, port: int, worker: int) -> None:
    from bot.logs import configure_logging

    configure_logging(settings.log_level)
    _serve(settings, port, worker=worker)


def _serve_with_workers(settings: Any, port: int, workers: int) -> int:
    """N processes serving one port; stopping this one (Ctrl+C, SIGTERM) stops them all."""
    import multiprocessing
    import signal

    # Spawned, not forked: each worker builds its own event loop, engine and HTTP sessions.
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker_main, args=(settings, port, index), name=f"worker-{index}")
        for index in range(workers)
    ]
    for process in processes:
        process.start()

    def stop(_signum: int, _frame: object) -> None:
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process in processes:
        process.join()
    failed = [p.name for p in processes if p.exitcode not in (0, -signal.SIGINT, -signal.SIGTERM)]
    if failed:
        print(f"charter: {', '.join(failed)} stopped with an error", file=sys.stderr)
        return 1
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from storage.migrate import upgrade

    settings = cli_settings()
    upgrade(settings.database_url)
    print("database is up to date")
    return 0


def cmd_import_org(args: argparse.Namespace) -> int:
    from domain.clock import Clock
    from services.audit import AuditTrail, Channel
    from services.org_import import import_org, progress_bar
    from storage.database import Database

    settings = cli_settings()
    path = Path(args.file)
    if not path.is_file():
        return no_such_file(path)

    async def run() -> int:
        # Leavers are dated by the council's calendar (CHARTER_TIMEZONE), not the host's:
        # a server on UTC is a day behind between midnight and 1am in British Summer Time.
        clock = Clock(settings.tz)
        async with Database(settings.database_url) as database:
            result = await import_org(
                database,
                path,
                full=args.full,
                as_of=clock.today(),
                progress=progress_bar(raw_stream(sys.stderr), force=args.progress),
                audit=AuditTrail(database, clock, Channel.CLI),
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

    return asyncio.run(run())


def cmd_demo(_args: argparse.Namespace) -> int:
    from services.demo import seed_demo
    from storage.database import Database

    settings = cli_settings()

    async def run() -> int:
        async with Database(settings.database_url) as database:
            result = await seed_demo(
                database,
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

    return asyncio.run(run())


def cmd_manifest(args: argparse.Namespace) -> int:
    from bot.teams.app_package import DEFAULT_MANIFEST_DIR, build_app_package

    settings = cli_settings()
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


def cmd_cadence(args: argparse.Namespace) -> int:
    settings = cli_settings()
    days = None if args.cadence_action == "clear" else args.days

    async def run() -> int:
        services = build_services(settings)
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
    from services.one_to_one_export import export_columns, export_one_to_ones, write_export

    settings = cli_settings()

    async def run() -> int:
        services = build_services(settings)
        try:
            rows = await export_one_to_ones(services.database, with_notes=args.with_notes)
            notes = "with shared notes" if args.with_notes else "no notes"
            await audit_export(services, "one_to_one", rows, notes)
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


def cmd_nudges(args: argparse.Namespace) -> int:
    """Plan, queue and send the reminder cycle (the scheduler runs the same code)."""
    from bot.app import build_runtime
    from bot.jobs.reminders import reminder_cycle
    from storage.models import Employee

    settings = cli_settings()
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        print(
            f"charter: --as-of must be a date like 2026-11-23, not {args.as_of!r}", file=sys.stderr
        )
        return 2

    async def run() -> int:
        runtime = build_runtime(settings)
        try:
            day = as_of or runtime.services.clock.today()
            outcome = await reminder_cycle(runtime, day, dry_run=args.dry_run)
            planned = outcome.planned
            async with runtime.database.sessions() as session:
                from sqlalchemy import select

                names = dict((await session.execute(select(Employee.id, Employee.name))).all())
        finally:
            await runtime.database.dispose()
            # The notifier's shared HTTP session: unclosed, aiohttp reports it on exit.
            await runtime.authentication.close()
        print(f"{day}: {planned.due_items} items due; {planned.recipients} people to remind")
        if args.dry_run:
            for digest in planned.digests:
                if not digest.items and not args.verbose:
                    continue
                print(f"\n{names.get(digest.recipient_id, digest.recipient_id)}:")
                for item in digest.items:
                    flag = " [escalated]" if item.escalated else ""
                    print(f"  - {item.title}{flag}: {item.detail}")
                for item, reason in digest.held if args.verbose else []:
                    print(f"  (held) {item.title}: {reason}")
            print("\ndry run: nothing was queued or sent.")
            return 0
        print(f"queued {planned.queued_digests} digests ({planned.queued_nudges} reminders)")
        if outcome.not_sent_because:
            print(f"not sending now: {outcome.not_sent_because}; queued digests go out later.")
        elif outcome.sent is not None:
            sent = outcome.sent
            print(
                f"sent {sent.sent}, unreachable {sent.undeliverable}, dead-lettered {sent.dead}, "
                f"retries {sent.retried}"
            )
        return 0

    return asyncio.run(run())


def cmd_nudges_status(_args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from storage import nudges as outbox
    from storage.database import Database
    from storage.models import Employee

    settings = cli_settings()

    async def run() -> int:
        async with (
            Database(settings.database_url) as database,
            database.sessions() as session,
        ):
            counts = await outbox.status_counts(session)
            problems = await outbox.problem_digests(session, ("dead", "undeliverable"))
            names = dict((await session.execute(select(Employee.id, Employee.email))).all())
        order = ("queued", "sending", "sent", "undeliverable", "dead")
        print("reminder digests: " + ", ".join(f"{s} {counts.get(s, 0)}" for s in order))
        for digest in problems:
            who = names.get(digest.recipient_id, digest.recipient_id)
            print(f"  {digest.status:13} {digest.run_date} {who}: {digest.last_error or ''}")
        return 0

    return asyncio.run(run())


def cmd_report_reach(_args: argparse.Namespace) -> int:
    """People the bot cannot reach, for HR to act on (install the app, or unblock it)."""
    from sqlalchemy import select

    from storage import nudges as outbox
    from storage.database import Database
    from storage.models import ConversationReferenceRecord, Employee

    settings = cli_settings()

    async def run() -> int:
        async with (
            Database(settings.database_url) as database,
            database.sessions() as session,
        ):
            problems = await outbox.problem_digests(session, ("undeliverable",))
            people = dict((await session.execute(select(Employee.id, Employee.email))).all())
            with_reference = set(
                (await session.scalars(select(ConversationReferenceRecord.employee_id))).all()
            )
            managers = (
                await session.execute(
                    select(Employee.id, Employee.email, Employee.aad_object_id).where(
                        Employee.id.in_(select(Employee.manager_id)), Employee.left_on.is_(None)
                    )
                )
            ).all()
        unreachable = {d.recipient_id: d for d in problems}
        print("Reminders that could not be delivered (the reason is Teams' answer or ours):")
        for pk, digest in sorted(unreachable.items(), key=lambda kv: people.get(kv[0], "")):
            print(f"  {people.get(pk, pk)}  since {digest.run_date}  ({digest.last_error})")
        if not unreachable:
            print("  none")
        never = [
            (email, aad)
            for pk, email, aad in managers
            if pk not in with_reference and pk not in unreachable
        ]
        print("Managers who have never opened Charter:")
        for email, aad in sorted(never):
            if not aad:
                how = "no Teams id yet: install the app for them"
            elif settings.notification_tenant:
                how = "a chat can be started for them"
            else:
                how = "set MicrosoftAppTenantId so Charter can start a chat with them"
            print(f"  {email}  ({how})")
        if not never:
            print("  none")
        return 0

    return asyncio.run(run())


def cmd_report_feedback(args: argparse.Namespace) -> int:
    from storage.database import Database
    from storage.feedback import FeedbackRepository

    settings = cli_settings()

    async def run() -> int:
        async with Database(settings.database_url) as database:
            entries = await FeedbackRepository(database).recent(args.limit)
        if not entries:
            print("No feedback yet.")
        for entry in entries:
            who = entry.author_name or "(someone who has since left)"
            print(f"{entry.created_at:%Y-%m-%d %H:%M}  {who}\n  {entry.text}\n")
        return 0

    return asyncio.run(run())


def cmd_import_aprs(args: argparse.Namespace) -> int:
    from domain.clock import Clock
    from services.apr_import import import_aprs
    from services.audit import AuditTrail, Channel
    from storage.database import Database

    settings = cli_settings()
    path = Path(args.file)
    if not path.is_file():
        return no_such_file(path)

    async def run() -> int:
        async with Database(settings.database_url) as database:
            clock = Clock(settings.tz)
            result = await import_aprs(
                database,
                path,
                as_of=clock.today(),
                audit=AuditTrail(database, clock, Channel.CLI),
            )
        if result.problems:
            return print_problems(path, result.problems)
        print(
            f"imported {path.name}: {result.created} APRs added, "
            f"{result.unchanged} unchanged (already in Charter)"
        )
        return 0

    return asyncio.run(run())


def cmd_import_absences(args: argparse.Namespace) -> int:
    from domain.clock import Clock
    from services.absence_import import import_absences
    from services.audit import AuditTrail, Channel
    from storage.database import Database

    settings = cli_settings()
    path = Path(args.file)
    if not path.is_file():
        return no_such_file(path)

    async def run() -> int:
        async with Database(settings.database_url) as database:
            clock = Clock(settings.tz)
            result = await import_absences(
                database,
                path,
                as_of=clock.today(),
                policy=settings.absence_policy,
                audit=AuditTrail(database, clock, Channel.CLI),
            )
        if result.problems:
            return print_problems(path, result.problems)
        print(
            f"imported {path.name}: {result.created} absences added, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
        return 0

    return asyncio.run(run())


def _write_rows(
    rows: list[dict[str, object]], columns: Sequence[str], args: argparse.Namespace, what: str
) -> None:
    from services.one_to_one_export import write_export

    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as stream:
            write_export(rows, stream, args.format, columns=columns)
        print(f"wrote {len(rows)} {what} to {args.out}", file=sys.stderr)
    else:
        write_export(rows, sys.stdout, args.format, columns=columns)


def cmd_export_objectives(args: argparse.Namespace) -> int:
    from services.objective_reports import OBJECTIVE_COLUMNS, export_objectives

    settings = cli_settings()

    async def run() -> int:
        services = build_services(settings)
        try:
            rows = await export_objectives(services.database)
            await audit_export(services, "objective", rows)
        finally:
            await services.database.dispose()
        _write_rows(rows, OBJECTIVE_COLUMNS, args, "objectives")
        return 0

    return asyncio.run(run())


def cmd_export_aprs(args: argparse.Namespace) -> int:
    from services.objective_reports import APR_COLUMNS, export_aprs

    settings = cli_settings()

    async def run() -> int:
        services = build_services(settings)
        try:
            rows = await export_aprs(services.database)
            await audit_export(services, "apr", rows)
        finally:
            await services.database.dispose()
        _write_rows(rows, APR_COLUMNS, args, "APRs")
        return 0

    return asyncio.run(run())


def cmd_export_absences(args: argparse.Namespace) -> int:
    from services.absence_export import (
        ABSENCE_COLUMNS,
        RTW_COLUMNS,
        export_absences,
        export_return_to_work,
    )

    settings = cli_settings()
    rtw = args.export_kind == "return-to-work"

    async def run() -> int:
        services = build_services(settings)
        export = export_return_to_work if rtw else export_absences
        try:
            rows = await export(
                services.database,
                as_of=services.clock.today(),
                policy=settings.absence_policy,
            )
            await audit_export(services, "return_to_work" if rtw else "absence", rows)
        finally:
            await services.database.dispose()
        if rtw:
            _write_rows(rows, RTW_COLUMNS, args, "return-to-work rows")
        else:
            _write_rows(rows, ABSENCE_COLUMNS, args, "absences")
        return 0

    return asyncio.run(run())


def cmd_pattern(args: argparse.Namespace) -> int:
    from domain.clock import Clock
    from services.audit import AuditTrail, Channel
    from services.working_patterns import PatternError, set_pattern
    from storage.database import Database

    settings = cli_settings()
    text = args.pattern if args.pattern_action == "set" else None

    async def run() -> int:
        try:
            async with Database(settings.database_url) as database:
                trail = AuditTrail(database, Clock(settings.tz), Channel.CLI)
                change = await set_pattern(database, args.employee, text, audit=trail)
        except PatternError as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        print(change.describe(settings.absence_policy.default_pattern))
        return 0

    return asyncio.run(run())


def cmd_report_golden_thread(args: argparse.Namespace) -> int:
    import json

    from services.objective_reports import (
        golden_thread,
        golden_thread_columns,
        golden_thread_json,
        golden_thread_rows,
        golden_thread_text,
    )
    from services.one_to_one_export import write_export

    settings = cli_settings()

    async def run() -> int:
        services = build_services(settings)
        try:
            report = await golden_thread(services.database, services.clock.today())
        finally:
            await services.database.dispose()
        if args.format == "text":
            sys.stdout.write(golden_thread_text(report))
        elif args.format == "json":
            json.dump(golden_thread_json(report), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            rows = golden_thread_rows(report)
            write_export(rows, sys.stdout, "csv", columns=golden_thread_columns(report))
        return 0

    return asyncio.run(run())


def cmd_golden_thread_list(args: argparse.Namespace) -> int:
    """`charter plans …` and `charter priorities …`: list, add and retire entries."""
    from domain.clock import Clock
    from services import golden_thread_lists as lists
    from storage.database import Database

    settings = cli_settings()
    plans = args.command == "plans"
    what = "service plan" if plans else "council priority"

    async def change(database: Database) -> lists.ListChange:
        if args.list_action == "add" and plans:
            today = Clock(settings.tz).today()
            return await lists.add_plan(database, args.title, args.department, as_of=today)
        if args.list_action == "add":
            return await lists.add_priority(database, args.title)
        if plans:
            return await lists.retire_plan(database, args.id)
        return await lists.retire_priority(database, args.id)

    async def run() -> int:
        async with Database(settings.database_url) as database:
            if args.list_action == "list":
                entries = await (lists.list_plans if plans else lists.list_priorities)(database)
                print(lists.entries_table(entries, with_department=plans))
                return 0
            try:
                print(lists.describe_change(await change(database), what))
            except lists.ListError as error:
                print(f"charter: {error}", file=sys.stderr)
                return 1
            return 0

    return asyncio.run(run())


def _add_list_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`charter plans list|add|retire` and `charter priorities list|add|retire`."""
    for name, what, help_text in (
        ("plans", "service plan", "the service plans objectives can support"),
        ("priorities", "council priority", "the council priorities: the golden thread's top"),
    ):
        parser = commands.add_parser(name, help=help_text)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="charter", description=__doc__)
    parser.add_argument("--version", action="version", version=f"charter {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the bot service")
    run.add_argument("--port", type=int, help="override PORT")
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes serving the port (SO_REUSEPORT, Linux); scheduled jobs run in one",
    )
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
    aprs = import_commands.add_parser("aprs", help="APRs held before Charter (CSV)")
    aprs.add_argument("file", help="CSV with employee_id and/or employee_email, held_on, …")
    aprs.set_defaults(func=cmd_import_aprs)
    absences = import_commands.add_parser("absences", help="absence records (CSV)")
    absences.add_argument(
        "file",
        help="CSV with employee_id and/or employee_email, start_date, end_date, absence_type, …",
    )
    absences.set_defaults(func=cmd_import_absences)

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

    pattern = commands.add_parser("pattern", help="an employee's working days (absence rules)")
    pattern_actions = pattern.add_subparsers(dest="pattern_action", required=True, metavar="ACTION")
    for action, text in (("set", "set their working days"), ("clear", "back to the default")):
        sub = pattern_actions.add_parser(action, help=text)
        sub.add_argument("--employee", metavar="EMAIL", required=True, help="the employee")
        if action == "set":
            sub.add_argument("pattern", help='the days they work, e.g. "Mon,Wed,Fri" or "Mon-Thu"')
        sub.set_defaults(func=cmd_pattern)

    export = commands.add_parser("export", help="export records (CSV or JSON)")
    export_kinds = export.add_subparsers(dest="export_kind", required=True, metavar="KIND")
    one_to_ones = export_kinds.add_parser("one-to-ones", help="one row per one-to-one")
    one_to_ones.add_argument("--format", choices=("csv", "json"), default="csv")
    one_to_ones.add_argument(
        "--with-notes", action="store_true", help="add the shared notes (never private notes)"
    )
    one_to_ones.add_argument("--out", metavar="FILE", help="write to a file, not stdout")
    one_to_ones.set_defaults(func=cmd_export_one_to_ones)
    for kind, help_text, func in (
        ("objectives", "one row per objective", cmd_export_objectives),
        ("aprs", "one row per APR (outcome counts; no comments)", cmd_export_aprs),
        ("absences", "one row per absence (no notes)", cmd_export_absences),
        (
            "return-to-work",
            "one row per ended sickness absence: RTW due, held, on time (no notes)",
            cmd_export_absences,
        ),
    ):
        sub = export_kinds.add_parser(kind, help=help_text)
        sub.add_argument("--format", choices=("csv", "json"), default="csv")
        sub.add_argument("--out", metavar="FILE", help="write to a file, not stdout")
        sub.set_defaults(func=func)

    nudges = commands.add_parser("nudges", help="the reminder cycle: plan, queue and send")
    nudges.add_argument("--as-of", help="plan as of this date (default today)")
    nudges.add_argument("--dry-run", action="store_true", help="print who would get what")
    nudges.add_argument("--verbose", action="store_true", help="with --dry-run: held items too")
    nudges.set_defaults(func=cmd_nudges)
    nudge_commands = nudges.add_subparsers(dest="nudge_action", metavar="ACTION")
    nudge_commands.add_parser(
        "status", help="the outbox: queued, sent, dead-lettered"
    ).set_defaults(func=cmd_nudges_status)

    report = commands.add_parser("report", help="reports for HR")
    report_commands = report.add_subparsers(dest="report", required=True, metavar="REPORT")
    report_commands.add_parser("reach", help="people the bot cannot reach").set_defaults(
        func=cmd_report_reach
    )
    feedback = report_commands.add_parser("feedback", help="what people told HR about Charter")
    feedback.add_argument("--limit", type=int, default=100)
    feedback.set_defaults(func=cmd_report_feedback)
    golden = report_commands.add_parser(
        "golden-thread", help="live objectives per council priority per department"
    )
    golden.add_argument("--format", choices=("text", "csv", "json"), default="text")
    golden.set_defaults(func=cmd_report_golden_thread)

    _add_list_commands(commands)
    for module in (cli_answers, cli_team, cli_trust):
        module.register(commands, report_commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with printable_output():
            return int(args.func(args))
    except BrokenPipeError:
        # `charter export … | head`: the reader has gone; stop quietly, as Unix tools do.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
