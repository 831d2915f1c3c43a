"""The compliance report as one self-contained HTML page with bar charts.

Inline SVG only: no JavaScript, no fonts or images fetched, so it opens anywhere and can be
attached to a committee paper. Each chart has a title and description for screen readers,
each bar its value as text, and the same figures follow in a table. Suppressed groups are
drawn as an empty, labelled slot ("suppressed (<5)"), never as a bar.
"""

from __future__ import annotations

from html import escape

from domain.compliance import MEASURE_TITLES, SUPPRESSED, ComplianceReport, GroupRow, Measure
from domain.meeting_slips import SlipReport, slip_note

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
CHART_WIDTH = 420
VALUE_WIDTH = 150
COLOURS = {"good": "#1d7a46", "mid": "#b36b00", "low": "#b3261e"}

_STYLE = """
body { font-family: "Segoe UI", system-ui, sans-serif; margin: 2rem; color: #1f1f1f; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
p.meta { color: #555; margin-top: 0; }
figure { margin: 1rem 0 2rem; }
figcaption { font-weight: 600; margin-bottom: .4rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: .35rem .6rem; text-align: left; }
th { background: #f0f0f0; }
td.suppressed { color: #555; font-style: italic; }
ul.notes { color: #333; }
.legend span { display: inline-block; margin-right: 1rem; }
.legend i { display: inline-block; width: .9rem; height: .9rem; margin-right: .3rem;
  vertical-align: middle; }
"""


def _colour(percent: float) -> str:
    if percent >= 90:
        return COLOURS["good"]
    if percent >= 75:
        return COLOURS["mid"]
    return COLOURS["low"]


def _chart(measure: Measure, rows: list[GroupRow], chart_id: str) -> str:
    title = MEASURE_TITLES[measure]
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + CHART_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">Bar chart of the share for each group; '
        f"groups of fewer than 5 people are suppressed.</desc>",
    ]
    for i, row in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        share = row.shares[measure]
        text_y = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end" '
            f'font-size="13">{escape(row.name)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{CHART_WIDTH}" height="{BAR_HEIGHT}" '
            'fill="#f3f3f3" stroke="#ccc"/>'
        )
        percent = share.percent
        if share.suppressed:
            label = SUPPRESSED
        elif percent is None:
            label = "none due"
        else:
            bar = CHART_WIDTH * percent / 100
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{_colour(percent)}"><title>{escape(row.name)}: '
                f"{escape(share.display())}</title></rect>"
            )
            label = share.display()
        parts.append(
            f'<text x="{LABEL_WIDTH + CHART_WIDTH + 8}" y="{text_y:.1f}" font-size="13">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return (
        f'<figure aria-labelledby="{chart_id}-c"><figcaption id="{chart_id}-c">'
        f"{escape(title)}</figcaption>{''.join(parts)}</figure>"
    )


def _table(report: ComplianceReport, rows: list[GroupRow]) -> str:
    head = "".join(f'<th scope="col">{escape(MEASURE_TITLES[m])}</th>' for m in Measure)
    first = "Department" if report.group_by.value == "department" else "Line manager"
    body = []
    for row in rows:
        cells = []
        for measure in Measure:
            share = row.shares[measure]
            css = ' class="suppressed"' if share.suppressed else ""
            cells.append(f"<td{css}>{escape(share.display())}</td>")
        body.append(
            f'<tr><th scope="row">{escape(row.name)}</th>'
            f"<td>{escape(row.headcount_text())}</td>{''.join(cells)}</tr>"
        )
    return (
        "<table><caption>The figures behind the charts</caption>"
        f'<thead><tr><th scope="col">{first}</th><th scope="col">People</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _slips_section(slips: SlipReport | None) -> str:
    """Planned one-to-ones held on the day, moved or missed (#18), when the caller has them."""
    if slips is None:
        return ""
    header, *rows = slips.table()
    head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in header)
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        "<h2>Do planned one-to-ones happen?</h2>"
        f"<table><caption>{escape(slip_note(slips.period_start, slips.as_of))}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def as_html(report: ComplianceReport, slips: SlipReport | None = None) -> str:
    rows = [*report.groups, report.council]
    by = "department" if report.group_by.value == "department" else "line manager"
    charts = "".join(_chart(m, rows, f"chart-{m.value}") for m in Measure)
    legend = (
        '<p class="legend" aria-hidden="true">'
        f'<span><i style="background:{COLOURS["good"]}"></i>90% or more</span>'
        f'<span><i style="background:{COLOURS["mid"]}"></i>75% to 89%</span>'
        f'<span><i style="background:{COLOURS["low"]}"></i>under 75%</span></p>'
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in report.notes)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>Charter compliance report, {report.as_of:%-d %B %Y}</title>"
        f"<style>{_STYLE}</style></head><body><main>"
        f"<h1>Is the performance framework happening?</h1>"
        f'<p class="meta">Compliance by {by}, as of {report.as_of:%-d %B %Y}. '
        "Produced by Charter.</p>"
        f"{legend}<h2>Charts</h2>{charts}<h2>Table</h2>{_table(report, rows)}"
        f"{_slips_section(slips)}"
        f'<h2>How to read this</h2><ul class="notes">{notes}</ul>'
        "</main></body></html>\n"
    )
