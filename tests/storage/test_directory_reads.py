"""The directory's reads run straight through the driver (issue 17): each finds the same
people, with the same values, as the same query through a SQLAlchemy session, on SQLite and
PostgreSQL, leavers and left-on dates included."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update

from domain.clock import FixedClock
from services.directory import Directory
from storage import employees
from storage.database import Database
from storage.models import Employee

DAY = date(2026, 11, 23)


async def test_people_and_reports_read_through_the_driver_are_those_a_session_reads(
    demo_org: Database,
) -> None:
    database = demo_org
    async with database.transaction() as session:
        manager_id, first_report = (
            await session.execute(
                select(Employee.manager_id, Employee.id)
                .where(Employee.manager_id.is_not(None))
                .order_by(Employee.manager_id, Employee.id)
                .limit(1)
            )
        ).one()
        # One report leaves before the day (not a report then), one the day after (still is).
        await session.execute(
            update(Employee).where(Employee.id == first_report).values(left_on=date(2026, 11, 1))
        )
        await session.execute(
            update(Employee)
            .where(Employee.manager_id == manager_id, Employee.id != first_report)
            .values(left_on=date(2026, 11, 24))
        )
        await session.execute(
            update(Employee).where(Employee.id == manager_id).values(aad_object_id="aad-x")
        )
    directory = Directory(database, FixedClock(datetime(2026, 11, 23, 12, 0)))
    async with database.sessions() as session:
        manager = await employees.get_person(session, manager_id, as_of=DAY)
        leaver = await employees.get_person(session, first_report, as_of=DAY)
        reports = await employees.active_direct_reports(session, manager_id, DAY)
    assert manager is not None and leaver is not None and leaver.left_on == date(2026, 11, 1)
    assert reports and all(r.left_on == date(2026, 11, 24) for r in reports)
    assert leaver not in reports

    through_the_driver: list[str] = []
    database.on_driver_statement(through_the_driver.append)
    assert await directory.by_pk(manager_id) == manager
    assert await directory.by_pk(first_report) == leaver
    assert await directory.by_email(manager.email.upper()) == manager
    assert await directory.by_aad_object_id("AAD-X") == manager
    assert await directory.direct_reports(manager) == reports
    assert await directory.by_pk(10**9) is None
    assert await directory.by_email("nobody@example.org") is None
    assert await directory.by_aad_object_id("nobody") is None
    assert len(through_the_driver) == 8  # every look-up ran, straight through the driver
