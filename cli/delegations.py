"""`charter delegate`: an acting manager for a team: set up, list, confirm, end (issue #8)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from bot.config import Settings
from bot.runtime import Runtime
from cli.support import Commands, cli_settings, with_runtime
from domain.people import Person
from domain.records import DelegationView


def _date(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"charter: {flag} must be a date as YYYY-MM-DD, not {text!r}") from None


def cmd_delegate(args: argparse.Namespace) -> int:
    from services.delegation import DelegationRefused, InvalidDelegation

    settings = cli_settings()
    if not (args.manager and args.to and args.until):
        print("charter: delegate needs --manager EMAIL --to EMAIL --until DATE", file=sys.stderr)
        return 2
    until = _date(args.until, "--until")
    starts = _date(args.start, "--from")
    assert until is not None

    async def work(runtime: Runtime) -> int:
        manager = await _person(runtime, args.manager, "--manager")
        acting = await _person(runtime, args.to, "--to")
        try:
            made = await runtime.services.delegations.create(
                None, manager, acting, starts_on=starts, ends_on=until, channel="cli"
            )
        except (DelegationRefused, InvalidDelegation) as error:
            print(f"charter: {error} Nothing was changed.", file=sys.stderr)
            return 1
        print(
            f"delegation {made.id}: {made.delegate_name} acts for {made.manager_name}'s "
            f"team from {made.starts_on} to {made.ends_on} (inclusive)"
        )
        await _tell_acting_manager(runtime, made)
        return 0

    return with_runtime(work, settings, teams=_teams_configured(settings))


def _teams_configured(settings: Settings) -> bool:
    """Reach the acting manager in Teams when the bot's credentials are set; otherwise the
    command says to let them know."""
    return bool(settings.app_id)


async def _person(runtime: Runtime, email: str, flag: str) -> Person:
    found = await runtime.services.directory.by_email(email)
    if found is None:
        raise SystemExit(f"charter: {flag}: nobody in the organisation chart has {email}")
    return found


async def _tell_acting_manager(runtime: Runtime, made: DelegationView) -> None:
    from dialogs.team.views import delegation_started_card

    told = await runtime.services.notifier.send_card(
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


def cmd_delegate_list(_args: argparse.Namespace) -> int:
    async def work(runtime: Runtime) -> int:
        found = await runtime.services.delegations.all_live()
        if not found:
            print("no current or upcoming delegations")
        for d in found:
            waiting = "\tAWAITING HR CONFIRMATION" if d.awaiting_confirmation else ""
            print(
                f"{d.id}\t{d.manager_email}\t-> {d.delegate_email}\t{d.starts_on} to {d.ends_on}"
                f"\t(set up via {d.created_via}){waiting}"
            )
        return 0

    return with_runtime(work)


def cmd_delegate_confirm(args: argparse.Namespace) -> int:
    """HR confirms a delegation to someone outside the manager's own chain of managers."""
    from services.delegation import DelegationRefused, InvalidDelegation

    settings = cli_settings()

    async def work(runtime: Runtime) -> int:
        try:
            confirmed = await runtime.services.delegations.confirm(None, args.id)
        except (DelegationRefused, InvalidDelegation) as error:
            print(f"charter: {error} Nothing was changed.", file=sys.stderr)
            return 1
        print(
            f"confirmed delegation {confirmed.id}: {confirmed.delegate_name} acts for "
            f"{confirmed.manager_name}'s team from {confirmed.starts_on} to "
            f"{confirmed.ends_on} (inclusive)"
        )
        await _tell_acting_manager(runtime, confirmed)
        return 0

    return with_runtime(work, settings, teams=_teams_configured(settings))


def cmd_delegate_end(args: argparse.Namespace) -> int:
    from services.delegation import DelegationRefused, InvalidDelegation

    async def work(runtime: Runtime) -> int:
        try:
            ended = await runtime.services.delegations.end(None, args.id)
        except (DelegationRefused, InvalidDelegation) as error:
            print(f"charter: {error}", file=sys.stderr)
            return 1
        print(f"ended delegation {ended.id}: {ended.delegate_name} for {ended.manager_name}")
        return 0

    return with_runtime(work)


def register(commands: Commands) -> None:
    delegate = commands.add("delegate", help="an acting manager for a team: set up, list, end")
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
