"""The golden-thread report and the HR exports' rows, from plain counts and records: no
database. Fixed day."""

from __future__ import annotations

from datetime import date, datetime

from domain.golden_thread import (
    COUNCIL_TOTAL,
    NO_DEPARTMENT,
    NO_PRIORITY,
    golden_thread_json,
    golden_thread_report,
    golden_thread_rows,
    golden_thread_text,
)
from domain.objective_exports import APR_COLUMNS, OBJECTIVE_COLUMNS, apr_row, objective_row
from domain.records import AprExportRow, ObjectiveExportRow, ObjectiveView

AS_OF = date(2026, 11, 23)
AT = datetime(2026, 4, 1, 9, 0)


def test_priorities_run_in_order_then_others_then_none() -> None:
    counts = [
        ("Libraries", "Thriving places", 3, 2),
        ("Libraries", None, 1, 1),
        ("Parks", "Retired aim", 2, 1),
        ("Parks", "Healthy lives", 1, 1),
    ]
    report = golden_thread_report(
        AS_OF,
        counts,
        headcount={"Libraries": 4, "Parks": 3, "": 1},
        people={"Libraries": 2, "Parks": 1},
        active=["Healthy lives", "Thriving places"],
    )
    assert report.priorities == ("Healthy lives", "Thriving places", "Retired aim", NO_PRIORITY)
    libraries, parks, nobody = report.departments
    assert libraries.objectives_by_priority == {
        "Healthy lives": 0,
        "Thriving places": 3,
        "Retired aim": 0,
        NO_PRIORITY: 1,
    }
    assert (libraries.objectives, libraries.share) == (4, 0.5)
    assert parks.objectives_by_priority["Retired aim"] == 2
    assert (nobody.department, nobody.headcount, nobody.share) == (NO_DEPARTMENT, 1, 0.0)
    assert report.total.department == COUNCIL_TOTAL
    assert (report.total.objectives, report.total.people_with_objective) == (7, 3)
    assert report.total.headcount == 8
    assert golden_thread_rows(report)[-1]["share_percent"] == 37.5
    assert golden_thread_json(report)["statuses"] == ["agreed", "in_progress"]
    text = golden_thread_text(report)
    assert "Golden thread on 23 November 2026" in text
    assert "P3  Retired aim" in text


def test_an_empty_org_chart_says_so() -> None:
    report = golden_thread_report(AS_OF, [], {}, {}, ["Healthy lives"])
    assert "Nobody is in the org chart yet" in golden_thread_text(report)


def test_export_rows_have_exactly_the_columns_and_no_free_text() -> None:
    objective = ObjectiveView(
        1,
        7,
        "Open on Sundays",
        "Open 10-4",
        None,
        2,
        "Thriving places",
        None,
        None,
        "agreed",
        "owner",
        40,
        "amber",
        False,
        AT,
        AT,
        AT,
    )
    row = objective_row(ObjectiveExportRow(objective, "D013", "r@x.example", "Libraries"))
    assert tuple(row) == OBJECTIVE_COLUMNS
    assert (row["council_priority"], row["percent_complete"]) == ("Thriving places", 40)
    apr = AprExportRow(
        "D013",
        "r@x.example",
        "m@x.example",
        AS_OF,
        "chat",
        {"achieved": 2, "continuing": 1},
        ("Drive", "Think"),
        True,
        False,
    )
    exported = apr_row(apr)
    assert tuple(exported) == APR_COLUMNS
    assert (exported["objectives_reviewed"], exported["achieved"], exported["not_achieved"]) == (
        3,
        2,
        0,
    )
    assert exported["leadership_themes"] == "Drive;Think"
