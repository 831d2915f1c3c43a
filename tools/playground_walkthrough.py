"""A scripted walkthrough of Charter in the real Microsoft 365 Agents Playground, with the demo
data, checking that each card a person acts on changes in place and that exactly one record
is saved. Run it with ``make walkthrough``, or:

    .venv/bin/python tools/playground_walkthrough.py [--bot-port 3982] [--playground-port 56152]

It starts the bot on a fresh demo database (``charter db upgrade``, ``charter demo``,
``charter run``) and the Playground (``npx @microsoft/m365agentsplayground@0.2.28``) on the
given ports, opens the Playground's page in headless Chromium (when /usr/bin/chromium is there:
it presses Cancel through the page's own card renderer and takes the screenshots), drives the
chat through the Playground's HTTP API (tools/playground_api.py), and stops everything it
started. Records are read with read-only SQL on the demo SQLite database.

Steps: (a) Priya cancels an empty one-to-one form, logs one with Rhys, and presses Save again
with edits; (b) she records a return-to-work conversation with Oluwaseun, back today; (c) she
agrees an objective from her digest (``charter nudges --deliver-now``); (d) the Playground is
restarted with Rhys as its current user (he has never opened Charter) and he acknowledges the
one-to-one from (a). Prints PASS/FAIL per check; exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from playground_api import Playground
from playground_browser import CHROMIUM, Browser
from playground_checks import Transcript
from playground_stack import ROOT, Stack, playground_config_as
from playground_steps import Walk, open_chat, step_digest, step_one_to_one, step_rhys, step_rtw

T = TypeVar("T")


async def guarded(out: Transcript, step: str, work: Coroutine[Any, Any, T]) -> T | None:
    """Run one step; if it breaks off, that is a failure, and the next step still runs."""
    try:
        return await work
    except Exception as error:
        out.check(False, f"step {step} ran to the end", f"{type(error).__name__}: {error}")
        return None


async def run(args: argparse.Namespace, out: Transcript) -> None:
    stack = Stack(args.bot_port, args.playground_port)
    browser: Browser | None = None
    try:
        out.say(
            f"Starting the bot on :{args.bot_port} with a fresh demo database ({stack.database})"
        )
        stack.start_bot()
        out.say(f"Starting the Agents Playground on :{args.playground_port} as Priya Shah")
        stack.start_playground()
        if Path(CHROMIUM).exists() and not args.no_browser:
            browser = Browser(1366, 1000)
        async with Playground(stack.playground_url) as chat:
            walk = Walk(stack, chat, out, browser, args.screenshots)
            out.say("Records are checked with read-only SQL on the demo SQLite database.")
            await open_chat(walk, stack)
            record = await guarded(out, "a", step_one_to_one(walk))
            await guarded(out, "b", step_rtw(walk))
            await guarded(out, "c", step_digest(walk))
        config = playground_config_as("D013", stack.dir)
        out.step("Switching the Playground's current user to Rhys Evans")
        out.say(f"  (restarting the Playground with {config.name}: version 0.2.28 reads its")
        out.say("   current user from its configuration file when it starts)")
        stack.start_playground(config)
        async with Playground(stack.playground_url) as chat:
            walk = Walk(stack, chat, out, browser, args.screenshots)
            await guarded(out, "d", step_rhys(walk, record if isinstance(record, int) else -1))
    finally:
        if browser is not None:
            browser.close()
        stack.stop()
        if args.keep:
            out.say(f"(the database and the logs are kept in {stack.dir})")
        else:
            shutil.rmtree(stack.dir, ignore_errors=True)


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "(unknown)"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--bot-port", type=int, default=3978)
    parser.add_argument("--playground-port", type=int, default=56150)
    parser.add_argument("--no-browser", action="store_true", help="no Chromium: API presses only")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    parser.add_argument("--screenshots", type=Path, help="folder for walkthrough-*.png")
    parser.add_argument("--transcript", type=Path, help="also write the transcript here (Markdown)")
    args = parser.parse_args()
    out = Transcript()
    try:
        asyncio.run(run(args, out))
    except Exception as error:  # a crash is a failure of the walkthrough, said plainly
        out.check(False, "the walkthrough ran to the end", f"{type(error).__name__}: {error}")
    status = out.summary()
    if args.transcript:
        args.transcript.write_text(
            "# Walkthrough in the Agents Playground\n\n"
            "The output of `make walkthrough` (tools/playground_walkthrough.py), run against the "
            "real Microsoft 365 Agents Playground 0.2.28 with the demo data, "
            f"on {datetime.now(UTC):%-d %B %Y at %H:%M} UTC at commit {commit()}.\n\n"
            "```text\n" + "\n".join(out.lines).strip() + "\n```\n"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
