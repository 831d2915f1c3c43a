"""`charter report compliance|scorecard`: how the council is doing, by department (issue #8)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bot.runtime import Runtime
from cli.support import Commands, cli_settings, with_runtime


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
    from services.meeting_slips import meeting_slips

    settings = cli_settings()
    as_of = _date(args.as_of, "--as-of")

    async def work(runtime: Runtime) -> int:
        services = runtime.services
        day = as_of or services.clock.today()
        report = await compliance_report(
            services.database, services.staff_rules, day, group_by=GroupBy(args.by)
        )
        slips = await meeting_slips(services.database, day)
        if args.html:
            Path(args.html).write_text(as_html(report, slips), encoding="utf-8")
            print(f"wrote {args.html}", file=sys.stderr)
            if args.format is None:
                return 0
        if (args.format or "text") == "text":
            _write(as_text(report, slips), args.out)
        else:
            _write({"csv": as_csv, "json": as_json}[args.format](report), args.out)
        return 0

    return with_runtime(work, settings)


def cmd_report_scorecard(args: argparse.Namespace) -> int:
    from services.scorecard import department_scorecard, departments
    from services.scorecard_formats import scorecard_csv, scorecard_text

    async def work(runtime: Runtime) -> int:
        services = runtime.services
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
        render = scorecard_csv if args.format == "csv" else scorecard_text
        _write(render(card), args.out)
        return 0

    return with_runtime(work)


def register(commands: Commands) -> None:
    reports = commands.group("report")
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
