"""`charter ask`, `charter content check|eval|reload` and `charter report questions` (issue #7)."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from datetime import date
from pathlib import Path

from bot.runtime import Runtime
from cli.support import Commands, cli_settings, with_runtime
from services.one_to_one_export import write_export

REPORT_COLUMNS = (
    "question",
    "asked",
    "unanswered",
    "down_votes",
    "up_votes",
    "referred",
    "last_asked",
    "section_id",
)


def _content_dir(settings_dir: Path | None) -> Path:
    from content import PACK_DIR

    return settings_dir or PACK_DIR


def cmd_ask(args: argparse.Namespace) -> int:
    from services.answers import ContentLibrary, clean_question

    settings = cli_settings()
    question = clean_question(" ".join(args.question))
    if not question:
        print(
            'charter: ask what? e.g. charter ask "how often should one-to-ones be"', file=sys.stderr
        )
        return 2
    library = ContentLibrary(
        _content_dir(settings.content_dir), threshold=settings.answer_threshold
    )
    library.refresh_if_changed()
    if library.problems:
        print(
            f"charter: the content pack has {len(library.problems)} problem(s); "
            "run `charter content check`",
            file=sys.stderr,
        )
        return 1
    answer = library.lookup(question, args.audience)
    if args.json:
        payload = {"audience": args.audience, **answer.to_json()}
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if answer.best is not None:
        best = answer.best
        sample = " (sample content)" if best.sample else ""
        print(f"{best.section_title} — {best.topic_title}{sample}")
        print()
        print(best.text)
        print()
        print(f"Source: {best.source}  [{best.section_id}, confidence {answer.score:.2f}]")
        if answer.related:
            print("\nMore on this:")
    else:
        print(f"Not sure: nothing in the pack answers that well (confidence {answer.score:.2f}).")
        if answer.related:
            print("\nNearest topics:")
    for passage in answer.related:
        print(f"  - {passage.section_title} ({passage.topic_title}) [{passage.section_id}]")
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from domain.content_pack import load_pack

    folder = Path(args.dir) if args.dir else _content_dir(cli_settings().content_dir)
    pack, problems = load_pack(folder)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"charter: {len(problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    samples = sum(1 for t in pack.topics if t.sample)
    note = f", {samples} marked as sample content" if samples else ""
    print(f"{folder}: {len(pack.topics)} topics, {len(pack.sections)} sections, no problems{note}")
    return 0


def cmd_content_eval(args: argparse.Namespace) -> int:
    """Run a question set against a pack (the configured one, or --dir) before publishing."""
    from domain.answer_index import AnswerIndex
    from domain.content_pack import load_pack
    from services.qa_evaluation import EvalSet, EvalSetError, evaluate, format_result

    settings = cli_settings()
    folder = Path(args.dir) if args.dir else _content_dir(settings.content_dir)
    try:
        evals = EvalSet.load(Path(args.file))
    except EvalSetError as error:
        print(f"charter: {error}", file=sys.stderr)
        return 2
    pack, problems = load_pack(folder)
    if problems:
        print(
            f"charter: {len(problems)} problem(s) in {folder}; run `charter content check`",
            file=sys.stderr,
        )
        return 1
    unknown = evals.unknown_sections(pack)
    if unknown:
        # Still run the set: these questions count as misses until the sections exist.
        print(f"charter: warning: {folder} has no sections {', '.join(unknown)}", file=sys.stderr)
    result = evaluate(AnswerIndex(pack, threshold=settings.answer_threshold), evals)
    print(
        f"{args.file}: {len(evals.questions)} questions and {len(evals.out_of_scope)} out of "
        f"scope, against {folder} ({len(pack.sections)} sections)"
    )
    print(format_result(result))
    if result.misses:
        print(f"\nMisses ({len(result.misses)}):")
        for miss in result.misses:
            print(f"  {miss}")
    else:
        print("\nNo misses.")
    return 0


def cmd_content_reload(_args: argparse.Namespace) -> int:
    from domain.content_pack import load_pack
    from services.content_reload import request_content_reload

    settings = cli_settings()
    folder = _content_dir(settings.content_dir)
    pack, problems = load_pack(folder)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(
            f"charter: {len(problems)} problem(s) in {folder}; not reloading "
            "(running bots keep the last good version).",
            file=sys.stderr,
        )
        return 1

    async def work(runtime: Runtime) -> int:
        generation = await request_content_reload(runtime.database)
        print(
            f"{folder}: {len(pack.topics)} topics, {len(pack.sections)} sections; running "
            f"bots will reload it within a few seconds (reload #{generation})."
        )
        return 0

    return with_runtime(work, settings)


def cmd_report_questions(args: argparse.Namespace) -> int:
    settings = cli_settings()
    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(
            f"charter: --since must be a date like 2026-11-01, not {args.since!r}", file=sys.stderr
        )
        return 2

    async def work(runtime: Runtime) -> int:
        rows = await runtime.services.answers.question_report(since)
        records = [
            {
                "question": r.question,
                "asked": r.asked,
                "unanswered": r.unanswered,
                "down_votes": r.down_votes,
                "up_votes": r.up_votes,
                "referred": r.referred,
                "last_asked": r.last_asked.astimezone(settings.tz).isoformat(timespec="minutes"),
                "section_id": r.section_id or "",
            }
            for r in rows
        ]
        if args.format in ("json", "csv"):
            # One writer for every export: it quotes cells a spreadsheet would run as formulas.
            write_export(records, sys.stdout, args.format, columns=REPORT_COLUMNS)
        else:
            _print_report(records, since)
        return 0

    return with_runtime(work, settings)


def _print_report(records: list[dict[str, object]], since: date | None) -> None:
    period = f" since {since.isoformat()}" if since else ""
    if not records:
        print(f"No unanswered, 👎 or referred questions{period}.")
        return
    print(f"Questions to improve the content with{period} (most asked first):")
    print(f"{'asked':>5} {'unans.':>6} {'👎':>3} {'👍':>3} {'to HR':>5}  question")
    for r in records:
        print(
            f"{r['asked']:>5} {r['unanswered']:>6} {r['down_votes']:>3} {r['up_votes']:>3} "
            f"{r['referred']:>5}  {textwrap.shorten(str(r['question']), 70)}"
        )
        detail = f"last asked {r['last_asked']}"
        if r["section_id"]:
            detail += f"; answered with {r['section_id']}"
        print(f"{'':>27}{detail}")


def register(commands: Commands) -> None:
    """Add this module's subcommands to `charter` and `charter report`."""
    ask = commands.add("ask", help="answer a question from the content pack")
    ask.add_argument("question", nargs="+", help="the question, in quotes")
    ask.add_argument(
        "--audience",
        choices=("manager", "staff"),
        default="manager",
        help="answer as for a manager or a member of staff (default manager)",
    )
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(func=cmd_ask)

    content = commands.add("content", help="the 'what good looks like' content pack")
    actions = content.add_subparsers(dest="content_action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate a pack: prints file:line: problem")
    check.add_argument("dir", nargs="?", help="the pack folder (default: the configured one)")
    check.set_defaults(func=cmd_content_check)
    evaluate = actions.add_parser(
        "eval", help="ask a question set of a pack: prints top-1, top-3, refusals and misses"
    )
    evaluate.add_argument("file", help="a JSON question set, like bench/qa_eval.json")
    evaluate.add_argument("--dir", help="the pack folder (default: the configured one)")
    evaluate.set_defaults(func=cmd_content_eval)
    actions.add_parser(
        "reload", help="check the configured pack, then tell running bots to reload it"
    ).set_defaults(func=cmd_content_reload)

    questions = commands.group("report").add_parser(
        "questions", help="questions Charter couldn't answer, 👎 answers and ones sent to HR"
    )
    questions.add_argument("--since", metavar="DATE", help="only questions asked from this date")
    questions.add_argument("--format", choices=("text", "csv", "json"), default="text")
    questions.set_defaults(func=cmd_report_questions)
