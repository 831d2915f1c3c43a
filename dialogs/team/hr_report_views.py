"""Cards for the HR compliance report and the balanced scorecard."""

from __future__ import annotations

from dialogs import cards
from domain.date_words import format_short
from services.compliance import MEASURE_TITLES, ComplianceReport, GroupRow, Measure
from services.scorecard import Rag, Scorecard

_RAG_WORD = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}


def _group(row: GroupRow) -> cards.Element:
    pairs = [("People", row.headcount_text())]
    pairs += [(MEASURE_TITLES[m], row.shares[m].display()) for m in Measure]
    return cards.container([cards.subheading(row.name), cards.facts(pairs)], separator=True)


def compliance_card(report: ComplianceReport) -> cards.Element:
    body = [
        cards.heading("Is the framework happening?"),
        cards.text(
            f"Compliance by department as of {format_short(report.as_of)}.",
            subtle=True,
        ),
        _group(report.council),
        *(_group(row) for row in report.groups),
        cards.text("\n".join(f"- {n}" for n in report.notes), subtle=True, size="Small"),
        cards.text(
            "For the charts, CSV or a breakdown by line manager, run "
            "`charter report compliance --html report.html` (or `--by manager`, "
            "`--format csv`).",
            subtle=True,
            size="Small",
        ),
    ]
    return cards.card(body)


def scorecard_card(scorecard: Scorecard) -> cards.Element:
    body = [
        cards.heading(f"Balanced scorecard: {scorecard.department}"),
        cards.text(
            f"People-management measures as of {format_short(scorecard.as_of)}, against the "
            "council's targets.",
            subtle=True,
        ),
    ]
    perspective = None
    for line in scorecard.lines:
        if line.spec.perspective != perspective:
            perspective = line.spec.perspective
            body.append(cards.subheading(perspective))
        status = _RAG_WORD[line.rag] if line.rag else "\u2014"
        detail = f" ({line.detail})" if line.detail else ""
        body.append(
            cards.columns(
                ([cards.text(line.spec.title)], "stretch"),
                ([cards.text(f"{line.value_text()}{detail}")], "auto"),
                ([cards.text(f"target {line.target_text()}", subtle=True)], "auto"),
                ([_rag_text(status, line.rag)], "auto"),
            )
        )
    body.append(cards.subheading("Not measured by Charter"))
    body.append(
        cards.text(
            "\n".join(f"- {what}: {why}" for what, why in scorecard.not_measured),
            subtle=True,
        )
    )
    return cards.card(body)


def _rag_text(status: str, rag: Rag | None) -> cards.Element:
    block = cards.text(f"**{status}**")
    colour = (
        {Rag.GREEN: "Good", Rag.AMBER: "Warning", Rag.RED: "Attention"}.get(rag) if rag else None
    )
    if colour:
        block["color"] = colour
    return block
