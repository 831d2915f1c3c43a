"""Reading a content pack's files: UTF-8 text (a byte-order mark allowed, as Windows editors
save it), or what HR needs to know to fix the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

Parsed = TypeVar("Parsed")
Problems = list[tuple[int, str]]


def read_pack_text(path: Path) -> tuple[str | None, tuple[int, str] | None]:
    """The file's text, or None and the problem as (line, message): a file that cannot be
    read (line 0), or one that is not UTF-8 (the line of the first bad byte)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, (0, f"cannot read the file: {error.strerror}")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, (line, "not UTF-8 text: save the file with UTF-8 encoding")


def read_pack_file(
    path: Path, parse: Callable[[str], tuple[Parsed, Problems]], empty: Callable[[], Parsed]
) -> tuple[Parsed, Problems]:
    """An optional pack file (the vocabulary, the other services) parsed, with what is wrong
    with it; ``empty()`` when the pack has no such file or it cannot be read."""
    if not path.is_file():
        return empty(), []
    text, problem = read_pack_text(path)
    if text is None:
        return empty(), [problem] if problem else []
    return parse(text)
