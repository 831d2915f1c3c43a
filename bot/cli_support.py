"""What every `charter` subcommand shares: settings, services, printing import problems.

Subcommands live in small modules (`bot/cli_*.py`), each with a ``register`` function that
adds its parsers; `bot/cli.py` builds the parser from them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings, load_settings


def no_such_file(path: Path) -> int:
    print(f"charter: no such file: {path}", file=sys.stderr)
    return 2


def print_problems(path: Path, problems: Sequence[Any]) -> int:
    """An import's problems, each with its line, on stderr; the exit status for 'rejected'."""
    for problem in problems:
        print(f"{path.name}: line {problem.line}: {problem.message}", file=sys.stderr)
    print(f"charter: {len(problems)} problem(s); nothing was imported.", file=sys.stderr)
    return 1


def cli_settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        raise SystemExit(f"charter: configuration error: {error}") from error


def build_services(settings: Settings):  # type: ignore[no-untyped-def]
    from domain.clock import Clock
    from domain.services import Services
    from storage.database import Database

    return Services.build(
        Database(settings.database_url),
        Clock(settings.tz),
        one_to_one_policy=settings.one_to_one_policy(),
        apr_policy=settings.apr_policy,
        absence_policy=settings.absence_policy,
        nudge_policy=settings.nudge_policy,
        scorecard_targets=dict(settings.scorecard_targets),
        channel="cli",
        content_dir=settings.content_dir,
        answer_threshold=settings.answer_threshold,
    )


async def audit_export(services, record_type: str, rows: int, detail: str = "") -> None:  # type: ignore[no-untyped-def]
    """One audit event per `charter export …`, written before the data leaves Charter."""
    from domain.audit import AuditAction, AuditEvent

    text = f"{rows} rows" + (f"; {detail}" if detail else "")
    await services.audit.record(None, AuditEvent(AuditAction.EXPORT, record_type, None, None, text))
