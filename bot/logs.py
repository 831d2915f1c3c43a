"""Logging set-up: plain lines, no message text or personal data at INFO.

Exceptions are logged as a short summary (their types and the last few frames of Charter's
own code), never with their messages: a database error's message carries the row it
refused (PostgreSQL's "Failing row contains (…)") and may carry the SQL parameters, so a
failed save would otherwise put a private note or health details in the log verbatim.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from types import TracebackType

# Charter's own source tree: frames from here say where a failure happened; frames inside
# libraries add length, not meaning.
_PROJECT_ROOT = Path(__file__).resolve().parents[1]
_SITE_PACKAGES = ("site-packages", "dist-packages")
FRAMES_SHOWN = 4
CHAIN_SHOWN = 3


def summarise_exception(error: BaseException, frames: int = FRAMES_SHOWN) -> str:
    """A few lines naming what failed and where, without any exception message.

    The first line is the chain of exception types (``IntegrityError <- CheckViolationError``);
    then up to ``frames`` of the innermost frames in Charter's code, as ``path:line in name``.
    """
    chain = _exception_chain(error)
    lines = [" <- ".join(_type_name(e) for e in chain)]
    where = _project_frames(error.__traceback__) or _all_frames(error.__traceback__)
    lines.extend(f"  at {frame}" for frame in where[-frames:])
    return "\n".join(lines)


def _exception_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < CHAIN_SHOWN:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _type_name(error: BaseException) -> str:
    return type(error).__name__


def _project_frames(tb: TracebackType | None) -> list[str]:
    shown = []
    for frame in traceback.extract_tb(tb):
        path = Path(frame.filename)
        if any(part in _SITE_PACKAGES for part in path.parts):
            continue
        try:
            relative = path.resolve().relative_to(_PROJECT_ROOT)
        except (ValueError, OSError):
            continue
        shown.append(f"{relative.as_posix()}:{frame.lineno} in {frame.name}")
    return shown


def _all_frames(tb: TracebackType | None) -> list[str]:
    return [
        f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(tb)
    ]


class SummarisingFormatter(logging.Formatter):
    """Formats ``exc_info`` as :func:`summarise_exception` instead of a full traceback."""

    def format(self, record: logging.LogRecord) -> str:
        # logging caches the first handler's traceback text on the record; never reuse a
        # full one another handler made.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: object) -> str:
        error = ei[1] if isinstance(ei, tuple) and len(ei) == 3 else None
        if not isinstance(error, BaseException):
            return ""
        return summarise_exception(error)


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(SummarisingFormatter(LOG_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    # The SDK and HTTP client are chatty below WARNING and may log payloads at DEBUG; the
    # database drivers and SQLAlchemy's engine log every statement with its parameters.
    for noisy in (
        "botbuilder",
        "botframework",
        "msrest",
        "msal",
        "urllib3",
        "aiohttp.access",
        "aiosqlite",
        "asyncpg",
        "sqlalchemy.engine",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
