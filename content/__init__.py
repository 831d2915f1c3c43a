"""The content pack shipped with Charter: "what good looks like", in Markdown, owned by HR.

A council replaces or extends it without a developer by pointing ``CHARTER_CONTENT_DIR`` at
its own folder of the same shape.
"""

from pathlib import Path

PACK_DIR = Path(__file__).parent / "pack"
