"""Importing APRs from the previous system (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from services.apr_import import import_aprs
from storage.database import Database
from storage.models import Apr, Employee

AS_OF = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
HEADER = "employee_id,employee_email,held_on,manager_email,overall_comments\n"


async def _import(database: Database, text: str | bytes):  # type: ignore[no-untyped-def]
    source = io.BytesIO(text) if isinstance(text, bytes) else io.StringIO(text)
    return await import_aprs(database, source, as_of=AS_OF, now=NOW)


async def _aprs(database: Database) -> list[tuple[str, date, str | None, str, str]]:
    """(employee_id, held_on, manager's employee_id, source, comments) of every APR."""
    manager = aliased(Employee)
    async with database.sessions() as session:
        rows = await session.execute(
            select(
                Employee.employee_id,
                Apr.held_on,
                manager.employee_id,
                Apr.source,
                Apr.overall_comments,
            )
            .join(Employee, Employee.id == Apr.employee_id)
            .outerjoin(manager, manager.id == Apr.manager_id)
            .order_by(Employee.employee_id, Apr.held_on)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _count(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Apr)) or 0)


async def test_imports_by_id_or_email_with_the_manager_given_or_current(
    demo_org: Database,
) -> None:
    text = (
        "\ufeff"  # Excel's byte-order mark
        + HEADER
        + "D011,,2026-05-04,,Strong year\n"
        + ",Rhys.Evans@Demo-Council.example,12/06/2025,david.marsh@demo-council.example,\n"
        + "D016,gary.whitfield@demo-council.example,2025-06-01,,\n"
    )
    result = await _import(demo_org, text)
    assert result.problems == []
    assert (result.rows, result.created, result.unchanged) == (3, 3, 0)
    assert await _aprs(demo_org) == [
        ("D011", date(2026, 5, 4), "D003", "import", "Strong year"),  # current manager
        ("D013", date(2025, 6, 12), "D002", "import", ""),  # the manager_email given
        ("D016", date(2025, 6, 1), "D004", "import", ""),
    ]


async def test_reimporting_the_same_file_changes_nothing(demo_org: Database) -> None:
    text = HEADER + "D011,,2026-05-04,,Strong year\nD012,,2026-05-05,,\n"
    first = await _import(demo_org, text)
    assert (first.created, first.unchanged) == (2, 0)
    again = await _import(demo_org, text.replace("Strong year", "Edited since"))
    assert again.problems == []
    assert (again.created, again.unchanged) == (0, 2)
    assert [row[4] for row in await _aprs(demo_org)] == ["Strong year", ""]


async def test_an_unknown_employee_and_a_future_date_are_both_reported_and_nothing_written(
    demo_org: Database,
) -> None:
    text = (
        HEADER
        + "D011,,2026-05-04,,\n"
        + "D999,,2026-05-04,,\n"  # line 3
        + "D012,,2027-01-15,,\n"  # line 4
    )
    result = await _import(demo_org, text)
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "unknown employee_id D999: nobody in Charter has that employee_id"),
        (4, "held_on 2027-01-15 is in the future"),
    ]
    assert result.created == 0
    assert await _count(demo_org) == 0


async def test_every_row_problem_has_its_line(demo_org: Database) -> None:
    text = (
        HEADER
        + "D011,margaret.hughes@demo-council.example,2026-05-04,,\n"  # 2: fine
        + "D011,,04/05/2026,,\n"  # 3: the same APR again
        + "D012,rhys.evans@demo-council.example,2026-05-04,,\n"  # 4: two people
        + "D013,,2026-02-30,,\n"  # 5: no such day
        + "D015,,2026-05-04,,\n"  # 6: before Callum started
        + ",,2026-05-04,,\n"  # 7: nobody
        + "D014,,,,\n"  # 8: no date
        + "D014,,2026-05-04,nobody@demo-council.example,\n"  # 9: unknown manager
        + "D014,,2026-05-05,meiling.chen@demo-council.example,\n"  # 10: reviewed herself
        + "D016,nobody@demo-council.example,2026-05-04,,\n"  # 11: wrong email
        + "D017,,2026-05-04\n"  # 12: too few values
        + f"D018,,2026-05-04,,{'x' * 4001}\n"  # 13: too long
    )
    result = await _import(demo_org, text)
    lines = {p.line: p.message for p in result.problems}
    assert sorted(lines) == list(range(3, 14))
    assert lines[3] == "an APR for D011 Margaret Hughes held on 2026-05-04 is also on line 2"
    assert "employee_id D012 is Oluwaseun Adeyemi but employee_email" in lines[4]
    assert "D013 Rhys Evans" in lines[4]
    assert lines[5] == "held_on '2026-02-30' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)"
    assert lines[6] == "held_on 2026-05-04 is before D015 Callum Fraser started, on 2026-09-07"
    assert lines[7] == "employee_id or employee_email is needed"
    assert lines[8] == "held_on is missing"
    assert lines[9].startswith("unknown manager_email nobody@demo-council.example")
    assert "nobody can review themselves" in lines[10]
    assert "is not the email of D016 Gary Whitfield" in lines[11]
    assert lines[12] == "this row has 3 values but the header has 5 columns"
    assert lines[13] == "overall_comments is longer than 4000 characters"
    assert await _count(demo_org) == 0


async def test_a_file_without_the_needed_columns_is_refused(demo_org: Database) -> None:
    result = await _import(demo_org, "name,date,notes\nMargaret,2026-05-04,\n")
    messages = [(p.line, p.message) for p in result.problems]
    assert (1, "the header is missing column employee_id or employee_email (or both)") in messages
    assert (1, "the header is missing column held_on") in messages
    assert all(line == 1 for line, _ in messages)
    assert await _count(demo_org) == 0


async def test_a_file_that_is_not_utf8_is_refused(demo_org: Database) -> None:
    result = await _import(demo_org, (HEADER + "D011,,2026-05-04,,Caf\xe9\n").encode("latin-1"))
    [problem] = result.problems
    assert problem.line == 2 and "not UTF-8" in problem.message
    assert await _count(demo_org) == 0


async def test_an_email_only_file_works(demo_org: Database) -> None:
    text = "employee_email,held_on\nsarah.thompson@demo-council.example,2026-04-20\n"
    result = await _import(demo_org, text)
    assert (result.created, result.problems) == (1, [])
    [(employee, held_on, manager, source, _)] = await _aprs(demo_org)
    assert (employee, held_on, manager, source) == ("D021", date(2026, 4, 20), "D005", "import")
