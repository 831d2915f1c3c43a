"""`charter report compliance|scorecard` and `charter delegate` (issue #8)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import Any

from cli.support import build_services, cli_settings


def _date(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"charter: {flag} must be a date as YYYY-MM-DD, not {text!r}") from None


def _write(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_report_compliance(args: argparse.Namespace) -> int:
    from domain.compliance_html import as_html
    from services.compliance import GroupBy, compliance_report
    from services.compliance_formats import as_csv, as_json, as_text

    settings = cli_settings()
    as_of = _date(args.as_of, "--as-of")

    async def run() -> int:
        services = build_services(settings)
        try:
            report = await compliance_report(
                services.database,
                services.staff_rules,
                as_of or services.clock.today(),
                group_by=GroupBy(args.by),
            )
        finally:
            await services.database.dispose()
        if args.html:
            Path(args.html).write_text(as_html(report), encoding="utf-8")
            print(f"wrote {args.html}", file=sys.stderr)
            if args.format is None:
                return 0
        render = {"text": as_text, "csv": as_csv, "json": as_json}[args.format or "text"]
        _write(render(report), args.out)
        return 0

    return asyncio.run(run())


def cmd_report_scorecard(args: argparse.Namespace) -> int:
    from services.scorecard import department_scorecard, departments
    from services.scorecard_formats import scorecard_csv, scorecard_text

    settings = cli_settings()

    async def run() -> int:
        services = build_services(settings)
        try:
            today = services.clock.today()
            known = await departments(services.database, today)
            wanted = args.department.strip().lower()
            department = next((d for d in known if d.lower() == wanted), None)
            if department is None:
                print(
                    f"charter: no department called {args.department!r}; known: "
                    + (", ".join(known) or "none"),
                    file=sys.stderr,
                )
                return 1
            card = await department_scorecard(
                services.database,
                services.staff_rules,
                today,
                department,
                services.scorecard_targets,
            )
        finally:
            await services.database.dispose()
        render = scorecard_csv if args.format == "csv" else scorecard_text
        _write(render(card), args.out)
        return 0

    return asyncio.run(run())


async def _person(services: Any, email: str, flag: str) -> Any:
    from storage import employees

    async with services.database.sessions() as session:
        found = await employees.get_person_by_email(session, email, as_of=services.clock.today())
    if found is None:
        raise SystemExit(f"charter: {flag}: nobody in the organisation chart has {email}")
    return found


def cmd_delegate(args: argparse.Namespace) -> int:
    from services.delegation import DelegationRefused, InvalidDelegation

    settings = cli_settings()
    if not (args.manager and args.to and args.until):
        print("charter: delegate needs --manager EMAIL --to EMAIL --until DATE", file=sys.stderr)
        return 2
    until = _date(args.until, "--until")
    starts = _date(args.start, "--from")
    assert until is not None

    async def run() -> int:
        services = _services_with_teams(settings)
        try:
            manager = await _person(services, args.manager, "--manager")
            acting = await _person(services, args.to, "--to")
            try:
                made = await services.delegations.create(
                    None, manager, acting, starts_on=starts, ends_on=until, channel="cli"
                )
            except (DelegationRefused, InvalidDelegation) as error:
                print(f"charter: {error} Nothing was changed.", file=sys.stderr)
                return 1
            print(
                f"delegation {made.id}: {made.delegate_name} acts for {made.manager_name}'s "
                f"team from {made.starts_on} to {made.ends_on} (inclusive)"
            )
            await _tell_acting_manager(services, made)
        finally:
            await _close_services_with_teams(services)
        return 0

    return asyncio.run(run())


async def _tell_acting_manager(services: Any, made: Any) -> None:
    from dialogs.team.views import delegation_started_card

    told = await services.notifier.send_card(
        made.delegate_id,
        delegation_started_card(made),
        f"You are acting manager for {made.manager_name}'s team",
    )
    if not told:
        print(
            f"note: {made.delegate_email} could not be told in Teams (no chat with Charter yet, "
            "or Teams is not configured here); please let them know.",
            file=sys.stderr,
        )


def _services_with_teams(settings: Any) -> Any:
    """Services whose notifier reaches people in Teams when the bot's credentials are set."""
    services = build_services(settings)
    if not settings.app_id:
        return services
    from dataclasses import replace

    from botbuilder.integration.aiohttp import CloudAdapter

    from bot.teams.outbound import BoundedBotFrameworkAuthentication
    from bot.teams.proactive import ProactiveNotifier
    from storage.conversation_refs import ConversationReferences

    adapter = CloudAdapter(
        BoundedBotFrameworkAuthentication(
            settings, timeout_seconds=settings.outbound_timeout_seconds
        )
    )
    notifier = ProactiveNotifier(
        adapter, settings.app_id, ConversationReferences(services.database)
    )
    return replace(services, notifier=notifier)


async def _close_services_with_teams(services: Any) -> None:
    """The database, and the notifier's shared HTTP session if it has one (aiohttp reports
    an unclosed session on exit)."""
    try:
        adapter = getattr(services.notifier, "_adapter", None)  # bot.teams.proactive keeps it
        authentication = getattr(adapter, "bot_framework_authentication", None)
        if authentication is not None and hasattr(authentication, "close"):
            await authentication.close()
    finally:
        await services.database.dispose()


def cmd_delegate_list(_args: argparse.Namespace) -> int:
    settings = cli_settings()

    async def run() -> int:
        services = build_services(settings)
        try:
            found = await services.delegations.all_live()
        finally:
            await services.database.dispose()
        if not found:
            print("no current or upcoming delegations")
        for d in found:
            waiting = "\tAWAITING HR CONFIRMATION" if d.awaiting_confirmation else ""
            print(
                f"{d.id}\t{d.manager_email}\t-> {d.delegate_email}\t{d.starts_on} to {d.ends_on}"
                f"\t(set up via {d.created_via}){waiting}"
            )
        return 0

    return asyncio.run(run())


def cmd_delegate_confirm(args: argparse.Namespace) -> int:
    """HR confirms a delegation to someone outside the manager's own chain of managers."""
    from services.delegation import DelegationRefused, InvalidDelegation

    settings = cli_settings()

    async def run() -> int:
        services = _services_with_teams(settings)
        try:
            try:
                confirmed = await services.delegations.confirm(None, args.id)
            except (DelegationRefused, InvalidDelegation) as error:
                print(f"charter: {error} Nothing was changed.", file=sys.stderr)
                return 1
            print(
                f"confirmed delegation {confirmed.id}: {confirmed.delegate_name} acts for "
                f"{confirmed.manager_name}'s team from {confirmed.starts_on} to "
                f"{confirmed.ends_on} (inclusive)"
            )
            await _tell_acting_manager(services, confirmed)
        finally:
            await _close_services_with_teams(services)
        return 0

    return asyncio.run(run())


def cmd_delegate_end(args: argparse.Namespace) -> int:
    from services.delegation import DelegationRefused, InvalidDelegation

    settings = cli_settings()

    async def run() -> int:
        services = build_services(settings)
        try:
            ended = await services.delegations.end(None, args.id)
        except (DelegationRefused, InvalidDelegation) as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        finally:
            await services.database.dispose()
        print(f"ended delegation {ended.id}: {ended.delegate_name} for {ended.manager_name}")
        return 0

    return asyncio.run(run())


def register(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    reports: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    """Add this module's subcommands to `charter` and `charter report`."""
    compliance = reports.add_parser(
        "compliance",
        help="one-to-ones, APRs, return to work and objectives: shares by department",
    )
    compliance.add_argument("--by", choices=("department", "manager"), default="department")
    compliance.add_argument("--format", choices=("text", "csv", "json"), default=None)
    compliance.add_argument("--html", metavar="FILE", help="also write an HTML page with charts")
    compliance.add_argument("--out", metavar="FILE", help="write to a file, not stdout")
    compliance.add_argument("--as-of", help="as of this date (default today)")
    compliance.set_defaults(func=cmd_report_compliance)

    scorecard = reports.add_parser(
        "scorecard", help="a department's balanced scorecard people measures against targets"
    )
    scorecard.add_argument("--department", required=True, metavar="NAME")
    scorecard.add_argument("--format", choices=("text", "csv"), default="text")
    scorecard.add_argument("--out", metavar="FILE", help="write to a file, not stdout")
    scorecard.set_defaults(func=cmd_report_scorecard)

    delegate = commands.add_parser(
        "delegate", help="an acting manager for a team: set up, list, end"
    )
    delegate.add_argument("--manager", metavar="EMAIL", help="whose team")
    delegate.add_argument("--to", metavar="EMAIL", help="the acting manager")
    delegate.add_argument("--until", metavar="DATE", help="last day (inclusive), YYYY-MM-DD")
    delegate.add_argument("--from", dest="start", metavar="DATE", help="first day (default today)")
    delegate.set_defaults(func=cmd_delegate)
    actions = delegate.add_subparsers(dest="delegate_action", metavar="ACTION")
    actions.add_parser("list", help="current and upcoming delegations").set_defaults(
        func=cmd_delegate_list
    )
    confirm = actions.add_parser(
        "confirm", help="confirm a delegation waiting for HR (acting manager outside the chain)"
    )
    confirm.add_argument("id", type=int)
    confirm.set_defaults(func=cmd_delegate_confirm)
    end = actions.add_parser("end", help="end a delegation now")
    end.add_argument("id", type=int)
    end.set_defaults(func=cmd_delegate_end)
