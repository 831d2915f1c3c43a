"""Objective and APR exports, the golden-thread report and HR's lists (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from services import golden_thread_lists as lists
from services.objective_reports import (
    APR_COLUMNS,
    COUNCIL_TOTAL,
    OBJECTIVE_COLUMNS,
    export_aprs,
    export_objectives,
    golden_thread,
    golden_thread_columns,
    golden_thread_json,
    golden_thread_rows,
    golden_thread_text,
)
from services.one_to_one_export import ExportFormat, write_export
from storage import aprs as apr_repo
from storage import objectives as repo
from storage.database import Database
from storage.models import Employee, Objective

AS_OF = date(2026, 11, 23)
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SECRET = "SECRET-free-text"
PRIORITIES = (
    "Transforming public services",
    "Enabling economic growth",
    "Better care, health and care integration",
    "Supporting children and families",
    "Safer communities and a better environment",
)


async def _pks(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        rows = await session.execute(select(Employee.employee_id, Employee.id))
        return {ref: pk for ref, pk in rows}


async def _priority_ids(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        return {c.title: c.id for c in await repo.priorities(session)}


async def _objective(
    database: Database,
    owner: str,
    priority: int | None,
    status: str,
    *,
    title: str = "Run the Summer Reading Challenge",
    plan: int | None = None,
) -> int:
    pks = await _pks(database)
    async with database.transaction() as session:
        objective_id = await repo.add_objective(
            session,
            employee_pk=pks[owner],
            title=title,
            measure="600 children",
            target_date=date(2027, 3, 31) if status != "draft" else None,
            priority_id=priority,
            plan_id=plan,
            status="draft",
            proposed_by="owner",
            smart_overridden=False,
            created_by_pk=pks[owner],
            now=NOW,
        )
        if status != "draft":
            await repo.set_status(
                session,
                objective_id,
                status="agreed",
                actor_pk=pks["D003"],
                comment="",
                now=NOW,
            )
        if status == "in_progress":
            await repo.add_progress(
                session,
                objective_id,
                percent=40,
                rag="amber",
                comment=SECRET,
                author_pk=pks[owner],
                now=NOW,
            )
        elif status not in ("draft", "agreed"):
            await repo.set_status(
                session, objective_id, status=status, actor_pk=pks["D003"], comment="", now=NOW
            )
    return objective_id


def _render(rows: list[dict[str, object]], fmt: ExportFormat, columns: tuple[str, ...]) -> str:
    out = io.StringIO(newline="")
    write_export(rows, out, fmt, columns=columns)
    return out.getvalue()


# --- the objective export ---------------------------------------------------------------------


async def test_objective_export_has_its_columns_and_values(demo_org: Database) -> None:
    priority = (await _priority_ids(demo_org))["Supporting children and families"]
    async with demo_org.transaction() as session:
        plan = await repo.add_plan(session, "Libraries Service Plan 2026/27", "Community Services")
    await _objective(demo_org, "D011", priority, "in_progress", plan=plan)
    await _objective(demo_org, "D012", priority, "draft", title='=HYPERLINK("http://x")')
    rows = await export_objectives(demo_org)
    header, first, second = list(csv.reader(io.StringIO(_render(rows, "csv", OBJECTIVE_COLUMNS))))
    assert header == list(OBJECTIVE_COLUMNS)
    assert dict(zip(header, first, strict=True)) == {
        "employee_id": "D011",
        "employee_email": "margaret.hughes@demo-council.example",
        "department": "Community Services",
        "title": "Run the Summer Reading Challenge",
        "measure": "600 children",
        "target_date": "2027-03-31",
        "council_priority": "Supporting children and families",
        "service_plan": "Libraries Service Plan 2026/27",
        "status": "in_progress",
        "proposed_by": "owner",
        "percent_complete": "40",
        "rag": "amber",
        "agreed_at": "2026-11-02T09:30:00Z",
        "created_at": "2026-11-02T09:30:00Z",
    }
    second_row = dict(zip(header, second, strict=True))
    assert second_row["title"] == '\'=HYPERLINK("http://x")'  # not run as a formula
    assert (second_row["target_date"], second_row["service_plan"], second_row["rag"]) == ("",) * 3
    assert second_row["agreed_at"] == ""
    data = json.loads(_render(rows, "json", OBJECTIVE_COLUMNS))
    assert [list(item) for item in data] == [list(OBJECTIVE_COLUMNS)] * 2
    assert data[0]["percent_complete"] == 40
    assert data[1]["target_date"] is None and data[1]["agreed_at"] is None
    assert SECRET not in json.dumps(data)  # progress comments are not exported


# --- the APR export ---------------------------------------------------------------------------


async def _apr_with_everything_written(database: Database) -> None:
    pks = await _pks(database)
    priority = (await _priority_ids(database))["Transforming public services"]
    reviewed = [await _objective(database, "D003", priority, "agreed") for _ in range(4)]
    async with database.transaction() as session:
        apr_id = await apr_repo.add_apr(
            session,
            employee_pk=pks["D003"],
            manager_pk=pks["D002"],
            held_on=date(2026, 5, 6),
            overall_comments=f"{SECRET} overall",
            leadership_themes=("Drive", "Connect"),
            development_needs=f"{SECRET} development",
            learning_needs=f"{SECRET} learning",
            reviews=[
                (reviewed[0], "achieved", f"{SECRET} review"),
                (reviewed[1], "achieved", ""),
                (reviewed[2], "not_achieved", ""),
                (reviewed[3], "continuing", ""),
            ],
            source="chat",
            now=NOW,
        )
        await apr_repo.record_response(session, apr_id, comment=f"{SECRET} comment", now=NOW)
        await apr_repo.add_apr(
            session,
            employee_pk=pks["D011"],
            manager_pk=None,
            held_on=date(2025, 5, 6),
            overall_comments="",
            leadership_themes=(),
            development_needs="",
            learning_needs="",
            reviews=[],
            source="import",
            now=NOW,
        )


async def test_apr_export_counts_outcomes_and_leaks_no_free_text(demo_org: Database) -> None:
    await _apr_with_everything_written(demo_org)
    rows = await export_aprs(demo_org)
    text = _render(rows, "csv", APR_COLUMNS)
    header, imported, held = list(csv.reader(io.StringIO(text)))
    assert header == list(APR_COLUMNS)
    assert "overall_comments" not in header and "employee_comment" not in header
    assert dict(zip(header, held, strict=True)) == {
        "employee_id": "D003",
        "employee_email": "priya.shah@demo-council.example",
        "manager_email": "david.marsh@demo-council.example",
        "held_on": "2026-05-06",
        "source": "chat",
        "objectives_reviewed": "4",
        "achieved": "2",
        "partly_achieved": "0",
        "not_achieved": "1",
        "continuing": "1",
        "leadership_themes": "Drive;Connect",
        "acknowledged": "true",
        "commented": "true",
    }
    assert imported[:6] == [
        "D011",
        "margaret.hughes@demo-council.example",
        "",
        "2025-05-06",
        "import",
        "0",
    ]
    assert imported[-2:] == ["false", "false"]
    as_json = _render(rows, "json", APR_COLUMNS)
    for rendered in (text, as_json):
        assert SECRET not in rendered
    assert json.loads(as_json)[1]["commented"] is True


# --- the golden thread ------------------------------------------------------------------------


async def test_golden_thread_counts_live_objectives_and_shares(demo_org: Database) -> None:
    ids = await _priority_ids(demo_org)
    services, families = (
        ids["Transforming public services"],
        ids["Supporting children and families"],
    )
    await _objective(demo_org, "D011", services, "agreed")
    await _objective(demo_org, "D011", families, "in_progress")
    await _objective(demo_org, "D012", families, "in_progress")
    await _objective(demo_org, "D013", services, "draft")  # not agreed yet: not counted
    await _objective(demo_org, "D014", services, "achieved")  # closed: not counted
    await _objective(demo_org, "D001", families, "draft")  # Corporate Resources
    await _objective(demo_org, "D016", services, "agreed")  # a leaver by as_of: not counted
    async with demo_org.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.employee_id == "D016").values(left_on=AS_OF)
        )

    report = await golden_thread(demo_org, AS_OF)
    assert report.priorities == PRIORITIES
    by_name = {d.department: d for d in report.departments}
    assert sorted(by_name) == [
        "Adult Social Care",
        "Children's Services",
        "Community Services",
        "Corporate Resources",
        "Planning and Regeneration",
    ]
    community, corporate = by_name["Community Services"], by_name["Corporate Resources"]
    assert community.objectives_by_priority == dict.fromkeys(PRIORITIES, 0) | {
        "Transforming public services": 1,
        "Supporting children and families": 2,
    }
    assert (community.objectives, community.people_with_objective, community.headcount) == (
        3,
        2,
        18,
    )
    assert community.share == pytest.approx(2 / 18)
    assert (corporate.department, corporate.objectives, corporate.headcount) == (
        "Corporate Resources",
        0,
        8,
    )
    assert corporate.share == 0
    total = report.total
    assert total.department == COUNCIL_TOTAL
    assert (total.objectives, total.people_with_objective, total.headcount) == (3, 2, 47)

    text = golden_thread_text(report)
    assert "Golden thread on 23 November 2026" in text
    lines = text.splitlines()
    assert any(line.startswith("Community Services") and line.endswith("11%") for line in lines)
    assert any(line.startswith(COUNCIL_TOTAL) and line.endswith("4%") for line in lines)  # 2/47
    assert "P4  Supporting children and families" in lines

    out = io.StringIO(newline="")
    write_export(golden_thread_rows(report), out, "csv", columns=golden_thread_columns(report))
    header, *rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert header == [
        "department",
        *PRIORITIES,
        "objectives",
        "people_with_objective",
        "headcount",
        "share_percent",
    ]
    assert [row[0] for row in rows] == [*sorted(by_name), COUNCIL_TOTAL]
    by_row = {row[0]: row[1:] for row in rows}
    assert by_row["Community Services"] == ["1", "0", "0", "2", "0", "3", "2", "18", "11.1"]
    assert by_row[COUNCIL_TOTAL][-4:] == ["3", "2", "47", "4.3"]

    data = golden_thread_json(report)
    assert data["as_of"] == "2026-11-23" and data["statuses"] == ["agreed", "in_progress"]
    assert data["total"]["share_percent"] == 4.3  # type: ignore[index]


async def test_a_retired_priority_keeps_its_objectives_in_the_report(demo_org: Database) -> None:
    growth = (await _priority_ids(demo_org))["Enabling economic growth"]
    kept = await _objective(demo_org, "D011", growth, "agreed")
    await _objective(demo_org, "D012", None, "agreed")  # its priority was deleted outside Charter
    change = await lists.retire_priority(demo_org, growth)
    assert (change.outcome, change.open_objectives) == ("retired", 1)
    report = await golden_thread(demo_org, AS_OF)
    assert report.priorities[-2:] == ("Enabling economic growth", "(no council priority)")
    assert report.total.objectives == 2
    async with demo_org.sessions() as session:
        linked = await session.scalar(select(Objective.priority_id).where(Objective.id == kept))
    assert linked == growth


async def test_an_empty_council_reads_clearly(database: Database) -> None:
    report = await golden_thread(database, AS_OF)
    assert report.departments == () and report.total.share is None
    assert "Nobody is in the org chart yet" in golden_thread_text(report)


# --- HR's lists -------------------------------------------------------------------------------


async def test_priorities_are_added_retired_and_restored_never_deleted(database: Database) -> None:
    added = await lists.add_priority(database, "  A greener   borough ")
    assert (added.outcome, added.entry.title, added.entry.active) == (
        "added",
        "A greener borough",
        True,
    )
    titles = [e.title for e in await lists.list_priorities(database)]
    assert titles == [*PRIORITIES, "A greener borough"]  # at the end of the list
    assert (await lists.add_priority(database, "a greener borough")).outcome == "already active"
    retired = await lists.retire_priority(database, added.entry.id)
    assert retired.outcome == "retired" and not retired.entry.active
    assert (await lists.retire_priority(database, added.entry.id)).outcome == "already retired"
    entries = {e.id: e for e in await lists.list_priorities(database)}
    assert len(entries) == 6 and not entries[added.entry.id].active
    async with database.sessions() as session:
        offered = [c.title for c in await repo.priorities(session)]
    assert "A greener borough" not in offered
    restored = await lists.add_priority(database, "A Greener Borough")
    assert (restored.outcome, restored.entry.id) == ("restored", added.entry.id)
    assert "retired; it is active again" in lists.describe_change(restored, "council priority")


async def test_plans_belong_to_a_department_as_the_org_chart_spells_it(
    demo_org: Database,
) -> None:
    added = await lists.add_plan(
        demo_org, "Waste Strategy 2025-2030", "community SERVICES", as_of=AS_OF
    )
    assert (added.outcome, added.entry.department) == ("added", "Community Services")
    council_wide = await lists.add_plan(demo_org, "People Strategy", as_of=AS_OF)
    assert council_wide.entry.department == ""
    with pytest.raises(
        lists.ListError,
        match="the departments are Adult Social Care, Children's Services, Community Services",
    ):
        await lists.add_plan(demo_org, "Parks Plan", "Parks", as_of=AS_OF)
    with pytest.raises(lists.ListError, match="the title is empty"):
        await lists.add_plan(demo_org, "   ", as_of=AS_OF)
    await _objective(demo_org, "D017", None, "in_progress", plan=added.entry.id)
    retired = await lists.retire_plan(demo_org, added.entry.id)
    assert (retired.outcome, retired.open_objectives) == ("retired", 1)
    assert "1 objective not yet closed still link" in lists.describe_change(retired, "plan")
    async with demo_org.sessions() as session:
        assert [c.title for c in await repo.plans(session, "Community Services")] == [
            "People Strategy"
        ]
    table = lists.entries_table(await lists.list_plans(demo_org), with_department=True)
    assert "(council-wide)" in table and "retired" in table
    with pytest.raises(lists.ListError, match="no service plan with id 99"):
        await lists.retire_plan(demo_org, 99)
    again = await lists.add_plan(
        demo_org, "waste strategy 2025-2030", "Community Services", as_of=AS_OF
    )
    assert (again.outcome, again.entry.title) == ("restored", "Waste Strategy 2025-2030")
