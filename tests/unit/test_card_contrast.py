"""Every text colour the cards use meets WCAG AA (4.5:1) in Teams' light theme.

Theme values: Microsoft's Teams light host config (microsoft/AdaptiveCards,
samples/HostConfig/microsoft-teams-light.json), the same table ``tests/render`` renders with:
text default #FF252424, subtle #BF252424 (75% alpha), accent #6264A7, good #92C353, warning
#F8D22A, attention #C4314B; container backgrounds default #FFFFFF, emphasis #F9F8F7,
attention #FFC5B2, good #CCFFCC, warning #FFE2B2, accent #C7DEF9. (They reproduce #15's
measurements: good on white 2.07:1, attention on the attention box 3.57:1.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dialogs.team import hr_report_views
from domain.compliance import ComplianceReport, GroupBy, GroupRow, Measure, Share
from domain.scorecard import DEFAULT_TARGETS, Scorecard, score_lines
from tests.render import samples

TEXT = {
    "default": "#FF252424",
    "dark": "#FF252424",
    "accent": "#FF6264A7",
    "good": "#FF92C353",
    "warning": "#FFF8D22A",
    "attention": "#FFC4314B",
    "light": "#FFFFFFFF",
}
SUBTLE = {
    "default": "#BF252424",
    "dark": "#BF252424",
    "accent": "#FF8B8CC7",
    "good": "#E592C353",
    "warning": "#E5F8D22A",
    "attention": "#E5C4314B",
    "light": "#FFF3F2F1",
}
BACKGROUND = {
    "default": "#FFFFFF",
    "emphasis": "#F9F8F7",
    "attention": "#FFC5B2",
    "good": "#CCFFCC",
    "warning": "#FFE2B2",
    "accent": "#C7DEF9",
}


def _rgb(hex_colour: str, under: tuple[float, ...] = (255, 255, 255)) -> tuple[float, ...]:
    digits = hex_colour.lstrip("#")
    alpha = int(digits[:2], 16) / 255 if len(digits) == 8 else 1.0
    digits = digits[-6:]
    colour = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    return tuple(alpha * c + (1 - alpha) * u for c, u in zip(colour, under, strict=True))


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(text: str, background: str) -> float:
    back = _rgb(background)
    lighter, darker = sorted((_luminance(_rgb(text, back)), _luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_theme_table_reproduces_the_issues_measurements() -> None:
    assert round(contrast(TEXT["good"], BACKGROUND["default"]), 2) == 2.07
    assert round(contrast(TEXT["attention"], BACKGROUND["attention"]), 2) == 3.57


def text_colours(element: Any, style: str = "default") -> Iterator[tuple[str, bool, str]]:
    """(colour, subtle, the container style it sits on) for every text in a card."""
    if isinstance(element, dict):
        style = element.get("style", style) if element.get("type") in (
            "Container", "Column", "ColumnSet", "AdaptiveCard"
        ) and element.get("style") in BACKGROUND else style  # fmt: skip
        if element.get("type") in ("TextBlock", "TextRun", "FactSet", "Input.Toggle"):
            yield str(element.get("color", "default")).lower(), bool(element.get("isSubtle")), style
        for value in element.values():
            yield from text_colours(value, style)
    elif isinstance(element, list):
        for item in element:
            yield from text_colours(item, style)


def _report() -> ComplianceReport:
    shares = {m: Share(8, 10, 10) for m in Measure}
    hidden = {m: Share(1, 2, 2, suppressed=True) for m in Measure}
    rows = (GroupRow("Adult Social Care", 7, shares), GroupRow("Audit", 2, hidden, True))
    return ComplianceReport(
        samples.TODAY, samples.TODAY, GroupBy.DEPARTMENT, rows, rows[0], ("A note.",)
    )


def _cards() -> dict[str, Any]:
    figures = {
        key: (value, "detail", False)
        for key, value in zip(DEFAULT_TARGETS, (95, 80, 50, 70, 100, 9, 20), strict=True)
    }
    scorecard = Scorecard("Whole council", samples.TODAY, 48, score_lines(figures, DEFAULT_TARGETS))
    return {
        **samples.all_cards(),
        "scorecard-built": hr_report_views.scorecard_card(scorecard),
        "compliance-built": hr_report_views.compliance_card(_report(), report_link="https://x/r"),
    }


@pytest.mark.parametrize("name", list(_cards()))
def test_every_text_colour_meets_aa_on_its_background(name: str) -> None:
    failures = []
    for colour, subtle, style in text_colours(_cards()[name]):
        text = (SUBTLE if subtle else TEXT)[colour]
        ratio = contrast(text, BACKGROUND[style])
        if ratio < 4.5:
            failures.append(f"{colour}{' subtle' if subtle else ''} on {style}: {ratio:.2f}:1")
    assert failures == []


def test_the_scorecard_never_tells_rag_by_colour_alone() -> None:
    card = _cards()["scorecard"]
    words = str(card)
    assert "\u2713 Green" in words and "\u25b2 Amber" in words and "\u2715 Red" in words
    assert "'color'" not in words
