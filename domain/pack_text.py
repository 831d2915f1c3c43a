"""Reading a content pack's files: UTF-8 text (a byte-order mark allowed, as Windows editors
save it), or what HR needs to know to fix the file."""

from __future__ import annotations

from pathlib import Path


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
