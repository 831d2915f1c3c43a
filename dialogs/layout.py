"""Layout helpers for tables and compact rows, beside ``dialogs.cards`` (whose helpers these
build on): columns that line up from row to row, and status words that never rely on colour.

Colours: Teams' light theme makes ``Good`` (#92C353) and ``Warning`` (#F8D22A) text unreadable
on white (2.07:1 and 1.47:1), and ``Attention`` text fails on an attention container (3.57:1).
So status is a word with a symbol in the default colour; ``tests/unit/test_card_contrast.py``
checks every colour the cards use.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs import cards

# Symbol + word: read the same by a screen reader, in greyscale and in high contrast.
RAG_LABELS: dict[str, str] = {
    "green": "\u2713 Green",
    "amber": "\u25b2 Amber",
    "red": "\u2715 Red",
}


def rag_label(rag: str | None) -> str:
    return RAG_LABELS.get(rag or "", "\u2014 none")


def cell(
    value: str, *, subtle: bool = False, bold: bool = False, small: bool = False
) -> cards.Element:
    block = cards.text(value, subtle=subtle, size="Small" if small else None)
    if bold:
        block["weight"] = "Bolder"
    return block


def table_row(
    cells: Sequence[list[cards.Element]], widths: Sequence[int], *, separator: bool = False
) -> cards.Element:
    """One row of a table: the same numeric ``widths`` on every row keep the columns lined up
    (auto widths follow each row's own text, so rows drift and squeezed words break)."""
    row: cards.Element = {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": str(width), "items": items}
            for items, width in zip(cells, widths, strict=True)
        ],
    }
    if separator:
        row["separator"] = True
        row["spacing"] = "Small"
    return row
