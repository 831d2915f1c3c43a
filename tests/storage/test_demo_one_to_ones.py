"""The demo organisation's one-to-one history (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from domain.records import AREA_COLUMNS
from domain.working_days import is_working_day
from services.demo import seed_demo, seed_demo_one_to_ones
from services.demo.org import meeting_day
from storage.database import Database
from storage.models import Apr, Employee, OneToOne, OneToOneAction, OneToOneRevision

AS_OF = date(2026, 11, 23)
CALLUM_START = date(2026, 9, 7)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def _records(database: Database) -> list[tuple[OneToOne, Employee, Employee]]:
    """Every one-to-one with its employee and manager, oldest first."""
    manager = aliased(Employee)
    async with database.sessions() as session:
        rows = await session.execute(
            select(OneToOne, Employee, manager)
            .join(Employee, Employee.id == OneToOne.employee_id)
            .join(manager, manager.id == OneToOne.manager_id)
            .order_by(OneToOne.held_on, OneToOne.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _actions(database: Database) -> list[tuple[OneToOneAction, str, str]]:
    """Every action with its employee's id and manager's name."""
    manager = aliased(Employee)
    async with database.sessions() as session:
        rows = await session.execute(
            select(OneToOneAction, Employee.employee_id, manager.name)
            .join(Employee, Employee.id == OneToOneAction.employee_id)
            .join(manager, manager.id == Employee.manager_id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _last_held(records: list[tuple[OneToOne, Employee, Employee]], employee_id: str) -> date:
    return max(r.held_on for r, employee, _ in records if employee.employee_id == employee_id)


async def test_seed_demo_adds_the_history_once(database: Database) -> None:
    await seed_demo(database, AS_OF)
    records = await _records(database)
    assert len(records) > 30
    assert await seed_demo_one_to_ones(database, AS_OF) == 0
    await seed_demo(database, AS_OF)
    assert len(await _records(database)) == len(records)


async def test_seeding_directly_counts_and_is_idempotent(database: Database) -> None:
    await seed_demo(database, AS_OF)
    seeded = len(await _records(database))
    async with database.transaction() as session:  # start again from an empty history
        await session.execute(OneToOne.__table__.delete())
    assert await seed_demo_one_to_ones(database, AS_OF) == seeded
    assert await seed_demo_one_to_ones(database, AS_OF) == 0
    assert len(await _records(database)) == seeded


async def test_every_team_member_has_a_believable_history(database: Database) -> None:
    await seed_demo(database, AS_OF)
    records = await _records(database)
    per_person: dict[str, int] = {}
    for record, employee, manager in records:
        per_person[employee.employee_id] = per_person.get(employee.employee_id, 0) + 1
        assert employee.manager_id == manager.id == record.manager_id
        assert any(getattr(record, key).strip() for key in AREA_COLUMNS)
        assert record.shared_notes
        assert employee.start_date <= record.held_on < AS_OF
        assert _utc(record.logged_at).date() == record.held_on
        assert AS_OF - record.held_on <= timedelta(days=140)
    other_departments = {
        f"D{n:03d}" for team in (30, 40, 50, 60) for n in range(team + 2, team + 7)
    }
    assert set(per_person) == {f"D{n:03d}" for n in range(11, 26)} | other_departments
    assert per_person["D015"] == 1  # Callum Fraser, in probation: one early one-to-one
    assert all(count >= 3 for who, count in per_person.items() if who not in ("D013", "D015"))
    assert sum(r.wellbeing_concern for r, _, _ in records) == 1
    assert 1 <= sum(bool(r.private_note) for r, _, _ in records) < len(records) // 4


async def test_rhys_has_lapsed_and_callum_started_recently(database: Database) -> None:
    await seed_demo(database, AS_OF)
    records = await _records(database)
    assert (AS_OF - _last_held(records, "D013")).days > 56  # Rhys Evans
    callum = [r for r, employee, _ in records if employee.employee_id == "D015"]
    assert len(callum) == 1 and callum[0].held_on >= CALLUM_START


async def test_nothing_is_dated_in_the_future(database: Database) -> None:
    await seed_demo(database, AS_OF)
    end_of_as_of = datetime.combine(AS_OF, datetime.min.time(), UTC)
    for record, _, _ in await _records(database):
        assert record.held_on < AS_OF
        assert _utc(record.logged_at) < end_of_as_of
        assert _utc(record.updated_at) < end_of_as_of
    for action, _, _ in await _actions(database):
        assert _utc(action.created_at) < end_of_as_of
        if action.status == "done":
            assert action.done_at is not None and action.done_by_id is not None
            assert _utc(action.created_at) < _utc(action.done_at) <= end_of_as_of
        else:
            assert action.done_at is None
    async with database.sessions() as session:
        changes = (await session.scalars(select(OneToOneRevision.change))).all()
    assert set(changes) == {"created"} and len(changes) == len(await _records(database))


async def test_actions_are_done_open_and_one_carried_forward(database: Database) -> None:
    await seed_demo(database, AS_OF)
    actions = await _actions(database)
    assert {a.status for a, _, _ in actions} == {"open", "done"}
    carried = [a for a, _, _ in actions if a.carried_forward]
    assert len(carried) == 1 and carried[0].status == "open"
    priya_open = {
        who for a, who, manager in actions if manager == "Priya Shah" and a.status == "open"
    }
    assert priya_open  # the carry-over step shows when Priya logs a one-to-one
    assert {"D011", "D012"} <= priya_open


async def test_history_before_a_start_date_is_left_out(database: Database) -> None:
    early = date(2026, 9, 20)  # Callum's one-to-one would be before he started
    await seed_demo(database, early)
    records = await _records(database)
    assert all(employee.employee_id != "D015" for _, employee, _ in records)
    assert all(employee.start_date <= r.held_on < early for r, employee, _ in records)


async def test_an_existing_one_to_one_stops_the_seeding(database: Database) -> None:
    await seed_demo(database, AS_OF)
    async with database.transaction() as session:
        await session.execute(OneToOne.__table__.delete())
        rhys = await session.scalar(select(Employee).where(Employee.employee_id == "D013"))
        assert rhys is not None and rhys.manager_id is not None
        session.add(
            OneToOne(
                employee_id=rhys.id,
                manager_id=rhys.manager_id,
                held_on=AS_OF,
                managing="Logged through the bot",
                logged_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
                updated_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
            )
        )
    assert await seed_demo_one_to_ones(database, AS_OF) == 0
    async with database.sessions() as session:
        assert await session.scalar(select(func.count(OneToOne.id))) == 1


@pytest.mark.parametrize("as_of", [date(2026, 12, 7), date(2026, 12, 12)])
async def test_demo_meetings_fall_on_working_days(database: Database, as_of: date) -> None:
    """Seeded on Monday 7 December 2026, ``days_ago: 128`` used to land on Saturday 1 August;
    seeded on a Saturday, every "N weeks ago" did. Meetings move to the working day before."""
    await seed_demo(database, as_of)
    async with database.sessions() as session:
        held = [*(await session.scalars(select(OneToOne.held_on)))]
        held += [*(await session.scalars(select(Apr.held_on)))]
    assert len(held) > 30
    assert [day for day in held if not is_working_day(day)] == []


def test_a_meeting_day_on_a_weekend_or_bank_holiday_moves_back_to_a_working_day() -> None:
    assert meeting_day(date(2026, 8, 1)) == date(2026, 7, 31)  # Saturday -> Friday
    assert meeting_day(date(2026, 8, 2)) == date(2026, 7, 31)  # Sunday -> Friday
    assert meeting_day(date(2026, 8, 31)) == date(2026, 8, 28)  # bank holiday Monday -> Friday
    assert meeting_day(date(2026, 12, 28)) == date(2026, 12, 24)  # Boxing Day (sub) -> Thursday
    assert meeting_day(date(2026, 12, 7)) == date(2026, 12, 7)  # a Monday stays
