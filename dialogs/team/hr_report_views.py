"""Cards for the HR compliance report and the balanced scorecard."""

from __future__ import annotations

from dialogs import cards, layout
from domain.date_words import format_short
from domain.scorecard import ScoreLine
from services.compliance import MEASURE_TITLES, ComplianceReport, GroupRow, Measure
from services.scorecard import COUNCIL, Scorecard


def _group(row: GroupRow) -> cards.Element:
    people = "hidden: fewer than 5 people" if row.headcount_suppressed else str(row.headcount)
    pairs = [("People", people)]
    pairs += [(MEASURE_TITLES[m], row.shares[m].explained()) for m in Measure]
    return cards.container([cards.subheading(row.name), cards.facts(pairs)], separator=True)


def compliance_card(report: ComplianceReport, *, report_link: str | None = None) -> cards.Element:
    """The figures by department, why any is hidden, and (when the bot serves it) a link to
    the full report with charts, made for this HR admin alone and valid for a few minutes."""
    body = [
        cards.heading("Is the framework happening?"),
        cards.text(
            f"Compliance by department as of {format_short(report.as_of)}.",
            subtle=True,
        ),
        _group(report.council),
        *(_group(row) for row in report.groups),
        cards.text("\n".join(f"- {n}" for n in report.notes), subtle=True, size="Small"),
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
    value = [layout.cell(line.value_text())]
    if line.detail:
        value.append(layout.cell(line.detail, subtle=True, small=True))
    return layout.table_row(
        [
            [
                layout.cell(line.spec.title),
                layout.cell(f"target {line.target_text()}", subtle=True, small=True),
            ],
            value,
            [layout.cell(layout.rag_label(line.rag.value if line.rag else None), bold=True)],
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
    body.append(
        cards.text(
            "\n".join(f"- {what}: {why}" for what, why in scorecard.not_measured),
            subtle=True,
            size="Small",
        )
    )
    if scorecard.department == COUNCIL:
        body.append(
            cards.text(
                "For one department, say for example **scorecard for Community Services**.",
                subtle=True,
            )
        )
    return cards.card(body)
