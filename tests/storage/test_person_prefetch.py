"""The once-only check reads the sender's employee record in the same statement (issue 17):
the turn's look-up of them by aadObjectId is then answered without a query, once, for the
same id and day, in the turn's own task; the person is the one the look-up finds itself."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import select, update

from domain.people import Person
from storage import employees
from storage.activity_log import ActivityLog
from storage.database import Database
from storage.models import Employee
from storage.state_store import prefetched_state
from tests.support.statements import record_statements

KEY = "msteams/conversations/a:1"
DAY = date(2026, 11, 23)


def _selects(database: Database) -> list[str]:
    return record_statements(database)


async def _linked(database: Database) -> str:
    """Link the first manager with reports to a Teams id (upper case, as Teams may send it)."""
    aad = "0F8FAD5B-D9CB-469F-A165-70867728950E"
    async with database.transaction() as session:
        manager_id = (
            await session.scalars(
                select(Employee.manager_id).where(Employee.manager_id.is_not(None)).limit(1)
            )
        ).one()
        await session.execute(
            update(Employee).where(Employee.id == manager_id).values(aad_object_id=aad.lower())
        )
    return aad


async def _look_up(database: Database, aad: str, day: date) -> Person | None:
    async with database.sessions() as session:
        return await employees.get_person_by_aad_object_id(session, aad, as_of=day)


async def test_the_sender_comes_with_the_check_and_is_the_person_a_look_up_finds(
    demo_org: Database,
) -> None:
    database, log = demo_org, ActivityLog(demo_org)
    aad = await _linked(database)
    expected = await _look_up(database, aad, DAY)
    assert expected is not None and expected.active_report_count > 0
    statements = _selects(database)
    with prefetched_state(), employees.prefetched_people():
        assert not await log.is_handled("msteams", "a:1", "act-1", state_key=KEY, sender=(aad, DAY))
        assert len(statements) == 1
        assert await _look_up(database, aad, DAY) == expected
        assert len(statements) == 1  # no query
        assert await _look_up(database, aad, DAY) == expected  # handed out once: a query
        assert len(statements) == 2


async def test_nobody_with_that_id_is_known_without_a_query(demo_org: Database) -> None:
    database, log = demo_org, ActivityLog(demo_org)
    await log.claim("msteams", "a:1", "act-1")
    stranger = "11111111-2222-3333-4444-555555555555"
    with prefetched_state(), employees.prefetched_people():
        assert await log.is_handled(
            "msteams", "a:1", "act-1", state_key=KEY, sender=(stranger, DAY)
        )
        statements = _selects(database)
        assert await _look_up(database, stranger, DAY) is None
    assert statements == []


async def test_another_day_another_id_or_another_task_asks_the_database(
    demo_org: Database,
) -> None:
    database, log = demo_org, ActivityLog(demo_org)
    aad = await _linked(database)
    with prefetched_state(), employees.prefetched_people():
        await log.is_handled("msteams", "a:1", "act-1", state_key=KEY, sender=(aad, DAY))
        statements = _selects(database)
        assert await asyncio.create_task(_look_up(database, aad, DAY)) is not None
        assert len(statements) == 1
        assert await _look_up(database, aad, date(2026, 11, 24)) is not None
        assert len(statements) == 2
        assert await _look_up(database, "99999999-2222-3333-4444-555555555555", DAY) is None
        assert len(statements) == 3


async def test_without_the_block_nothing_is_kept(demo_org: Database) -> None:
    database, log = demo_org, ActivityLog(demo_org)
    aad = await _linked(database)
    with prefetched_state():
        await log.is_handled("msteams", "a:1", "act-1", state_key=KEY, sender=(aad, DAY))
        statements = _selects(database)
        assert await _look_up(database, aad, DAY) is not None
    assert len(statements) == 1
