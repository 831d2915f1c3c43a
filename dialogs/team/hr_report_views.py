"""Cards for the HR compliance report and the balanced scorecard."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs import cards, layout
from domain.compliance import Share
from domain.date_words import format_short
from domain.scorecard import ScoreLine
from services.compliance import MEASURE_TITLES, ComplianceReport, GroupRow, Measure
from services.scorecard import COUNCIL, Scorecard

# Department | one-to-ones | APRs | RTW | objectives, as weights of the card's width: the
# same on every row, so the figures line up; wide enough at 400 px for every word whole.
COMPLIANCE_WIDTHS = (34, 15, 15, 17, 19)
SHORT_TITLES: dict[Measure, str] = {
    Measure.ONE_TO_ONES: "1:1s",
    Measure.APRS: "APRs",
    Measure.RTW: "RTW",
    Measure.OBJECTIVES: "Agreed objective",
}


def _under(value: str) -> cards.Element:
    """The small line under a figure (its count, or why it's hidden), tight against it."""
    return {**layout.cell(value, subtle=True, small=True), "spacing": "None"}


def _figure(share: Share) -> list[cards.Element]:
    """A share as a figure with its count under it, or why it is hidden."""
    if share.complementary or share.suppressed:
        why = "so a smaller group can't be worked out" if share.complementary else "under 5 people"
        return [layout.cell("hidden"), _under(why)]
    if share.total == 0:
        return [layout.cell("none due", subtle=True)]
    return [
        layout.cell(f"{share.percent:.0f}%"),
        _under(f"{share.met} of {share.total}"),
    ]


def _group(row: GroupRow, *, bold: bool = False) -> cards.Element:
    people = "fewer than 5 people" if row.headcount_suppressed else f"{row.headcount} people"
    name = [layout.cell(row.name, bold=bold), _under(people)]
    return layout.table_row(
        [name, *(_figure(row.shares[m]) for m in Measure)], COMPLIANCE_WIDTHS, separator=True
    )


def _notes(lines: Sequence[str]) -> list[cards.Element]:
    """Small print as separate lines (a Markdown list is clipped on a phone)."""
    return [{**layout.cell(line, subtle=True, small=True), "spacing": "Small"} for line in lines]


def compliance_card(report: ComplianceReport, *, report_link: str | None = None) -> cards.Element:
    """The figures by department, one row each under the council's, why any is hidden, and
    (when the bot serves it) a link to the full report with charts, made for this HR admin
    alone and valid for a few minutes."""
    header = [[layout.cell("Department", subtle=True, small=True)]]
    header += [[layout.cell(SHORT_TITLES[m], subtle=True, small=True)] for m in Measure]
    body = [
        cards.heading("Is the framework happening?"),
        cards.text(
            f"Compliance by department as of {format_short(report.as_of)}.",
            subtle=True,
        ),
        layout.table_row(header, COMPLIANCE_WIDTHS),
        _group(report.council, bold=True),
        *(_group(row) for row in report.groups),
        cards.subheading("What the columns measure"),
        cards.facts([(SHORT_TITLES[m], MEASURE_TITLES[m]) for m in Measure]),
        *_notes(report.notes),
    ]
    actions = []
    if report_link:
        actions.append(
            {"type": "Action.OpenUrl", "title": "Open the report with charts", "url": report_link}
        )
        body.append(
            cards.text(
                "The link is for you alone and works for 10 minutes; type **compliance** for "
                "a new one.",
                subtle=True,
                size="Small",
            )
        )
    return cards.card(body, actions)


# Measure | figure | RAG, as weights of the card's width: the same on every row.
SCORECARD_WIDTHS = (46, 30, 24)


def _score_row(line: ScoreLine) -> cards.Element:
    if line.suppressed:  # why, in words, not "suppressed (<5)"
        value = [layout.cell("hidden"), _under("under 5 people")]
        status = "\u2014 not rated"
    else:
        value = [layout.cell(line.value_text())]
        status = layout.rag_label(line.rag.value if line.rag else None)
    if line.detail:
        value.append(_under(line.detail))
    return layout.table_row(
        [
            [
                layout.cell(line.spec.title),
                _under(f"target {line.target_text()}"),
            ],
            value,
            [layout.cell(status, bold=True)],
        ],
        SCORECARD_WIDTHS,
        separator=True,
    )


def scorecard_card(scorecard: Scorecard) -> cards.Element:
    people = "" if scorecard.headcount is None else f" {scorecard.headcount} people."
    body = [
        cards.heading(f"Balanced scorecard: {scorecard.department}"),
        cards.text(
            f"People-management measures as of {format_short(scorecard.as_of)}, against the "
            f"council's targets.{people}",
            subtle=True,
        ),
        layout.table_row(
            [
                [layout.cell("Measure", subtle=True, small=True)],
                [layout.cell("Now", subtle=True, small=True)],
                [layout.cell("Status", subtle=True, small=True)],
            ],
            SCORECARD_WIDTHS,
        ),
    ]
    perspective = None
    for line in scorecard.lines:
        if line.spec.perspective != perspective:
            perspective = line.spec.perspective
            body.append(cards.subheading(perspective))
        body.append(_score_row(line))
    body.append(cards.subheading("Not measured by Charter"))
    body += _notes([f"{what}: {why}" for what, why in scorecard.not_measured])
    if scorecard.department == COUNCIL:
        body.append(
            cards.text(
                "For one department, say for example **scorecard for Community Services**.",
                subtle=True,
            )
        )
    return cards.card(body)
