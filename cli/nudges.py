"""`charter nudges` (the reminder cycle), `charter nudges status` (the outbox) and
`charter report reach` (who the reminders cannot reach)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from bot.runtime import Runtime
from cli.support import Commands, cli_settings, with_runtime
from services import outbox_admin
from services.nudges import DELIVER_NOW_NOTE

if TYPE_CHECKING:
    # Only for types: the reminder jobs bring the scheduler and the Bot Framework SDK.
    from bot.jobs.reminders import CycleOutcome


def cmd_nudges(args: argparse.Namespace) -> int:
    """Plan, queue and send the reminder cycle (the scheduler runs the same code)."""
    from bot.jobs.reminders import reminder_cycle

    settings = cli_settings()
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        print(
            f"charter: --as-of must be a date like 2026-11-23, not {args.as_of!r}", file=sys.stderr
        )
        return 2

    async def work(runtime: Runtime) -> int:
        day = as_of or runtime.clock.today()
        outcome = await reminder_cycle(
            runtime, day, dry_run=args.dry_run, deliver_now=args.deliver_now
        )
        names = await outbox_admin.names_by_id(runtime.database)
        planned = outcome.planned
        print(f"{day}: {planned.due_items} items due; {planned.recipients} people to remind")
        if args.dry_run:
            _print_dry_run(outcome, names, verbose=args.verbose)
        else:
            if args.deliver_now:
                print(DELIVER_NOW_NOTE)
            _print_sent(outcome)
        return 0

    # The cycle sends through Teams as the scheduler does, configured or in local mode.
    return with_runtime(work, settings, teams=True)


def _print_dry_run(outcome: CycleOutcome, names: dict[int, str], *, verbose: bool) -> None:
    for digest in outcome.planned.digests:
        if not digest.items and not verbose:
            continue
        print(f"\n{names.get(digest.recipient_id, digest.recipient_id)}:")
        for item in digest.items:
            flag = " [escalated]" if item.escalated else ""
            print(f"  - {item.title}{flag}: {item.detail}")
        for item, reason in digest.held if verbose else []:
            print(f"  (held) {item.title}: {reason}")
    print("\ndry run: nothing was queued or sent.")


def _print_sent(outcome: CycleOutcome) -> None:
    planned = outcome.planned
    print(f"queued {planned.queued_digests} digests ({planned.queued_nudges} reminders)")
    if outcome.not_sent_because:
        print(f"not sending now: {outcome.not_sent_because}; queued digests go out later.")
    elif outcome.sent is not None:
        sent = outcome.sent
        print(
            f"sent {sent.sent}, unreachable {sent.undeliverable}, dead-lettered {sent.dead}, "
            f"retries {sent.retried}"
        )


def cmd_nudges_status(_args: argparse.Namespace) -> int:
    async def work(runtime: Runtime) -> int:
        status = await outbox_admin.outbox_status(runtime.database)
        counts = status.counts
        states = ", ".join(f"{s} {counts.get(s, 0)}" for s in outbox_admin.STATES)
        print("reminder digests: " + states)
        for digest in status.problems:
            who = status.emails.get(digest.recipient_id, digest.recipient_id)
            print(f"  {digest.status:13} {digest.run_date} {who}: {digest.last_error or ''}")
        return 0

    return with_runtime(work)


def cmd_report_reach(_args: argparse.Namespace) -> int:
    """People the bot cannot reach, for HR to act on (install the app, or unblock it)."""
    settings = cli_settings()

    async def work(runtime: Runtime) -> int:
        found = await outbox_admin.reach(runtime.database)
        people = found.emails
        unreachable = {d.recipient_id: d for d in found.undeliverable}
        print("Reminders that could not be delivered (the reason is Teams' answer or ours):")
        for pk, digest in sorted(unreachable.items(), key=lambda kv: people.get(kv[0], "")):
            print(f"  {people.get(pk, pk)}  since {digest.run_date}  ({digest.last_error})")
        if not unreachable:
            print("  none")
        never = [
            (m.email, m.aad_object_id)
            for m in found.managers
            if m.id not in found.with_reference and m.id not in unreachable
        ]
        print("Managers who have never opened Charter:")
        for email, aad in sorted(never, key=lambda pair: (pair[0], pair[1] or "")):
            print(f"  {email}  ({_how_to_reach(aad, settings.notification_tenant)})")
        if not never:
            print("  none")
        return 0

    return with_runtime(work, settings)


def _how_to_reach(aad_object_id: str | None, tenant: str) -> str:
    if not aad_object_id:
        return "no Teams id yet: install the app for them"
    if tenant:
        return "a chat can be started for them"
    return "set MicrosoftAppTenantId so Charter can start a chat with them"


def register(commands: Commands) -> None:
    nudges = commands.add("nudges", help="the reminder cycle: plan, queue and send")
    nudges.add_argument("--as-of", help="plan as of this date (default today)")
    nudges.add_argument("--dry-run", action="store_true", help="print who would get what")
    nudges.add_argument("--verbose", action="store_true", help="with --dry-run: held items too")
    nudges.add_argument(
        "--deliver-now",
        action="store_true",
        help="a demo or support check: send the queued digests now, outside the sending days "
        "and hours (never what the scheduler does)",
    )
    nudges.set_defaults(func=cmd_nudges)
    nudge_commands = nudges.add_subparsers(dest="nudge_action", metavar="ACTION")
    nudge_commands.add_parser(
        "status", help="the outbox: queued, sent, dead-lettered"
    ).set_defaults(func=cmd_nudges_status)
    commands.group("report").add_parser("reach", help="people the bot cannot reach").set_defaults(
        func=cmd_report_reach
    )
