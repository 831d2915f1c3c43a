"""The balanced scorecard as text and CSV for `charter report scorecard`."""

from __future__ import annotations

import csv
import io

from domain.scorecard import Scorecard
from services.one_to_one_export import csv_cell

CSV_COLUMNS = ["perspective", "measure", "key", "value", "unit", "target", "direction", "rag"]


def scorecard_text(card: Scorecard) -> str:
    lines = [f"Balanced scorecard: {card.department}, as of {card.as_of:%-d %B %Y}", ""]
    perspective = None
    for line in card.lines:
        if line.spec.perspective != perspective:
            perspective = line.spec.perspective
            lines.append(perspective)
        rag = line.rag.value.upper() if line.rag else "-"
        detail = f" ({line.detail})" if line.detail and not line.suppressed else ""
        lines.append(
            f"  {line.spec.title}: {line.value_text()}{detail}; target {line.target_text()}; {rag}"
        )
    lines += ["", "Not measured by Charter"]
    lines += [f"  {what}: {why}" for what, why in card.not_measured]
    return "\n".join(lines) + "\n"


def scorecard_csv(card: Scorecard) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in card.lines:
        if line.suppressed:
            value = line.value_text()
        elif line.value is None:
            value = ""
        else:
            value = f"{line.value:.1f}"
        writer.writerow(
            csv_cell(cell)
            for cell in [
                line.spec.perspective,
                line.spec.title,
                line.spec.key,
                value,
                line.spec.unit,
                f"{line.target:g}",
                "higher is better" if line.spec.higher_is_better else "lower is better",
                line.rag.value if line.rag else "",
            ]
        )
    for what, why in card.not_measured:
        writer.writerow(["", what, "", f"not measured by Charter: {why}", "", "", "", ""])
    return out.getvalue()
