"""The agenda service on the demo organisation (SQLite, and PostgreSQL when configured): who
may add and see, carry-over after a one-to-one, planning, the day-before and did-you-meet
items, the prep card and its audit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from domain.agenda import InvalidAgenda, NotYours, PlanStatus
from domain.clock import FixedClock
from domain.nudge_rules import NudgeKind
from domain.people import Person
from services.agenda import AgendaService
from services.audit import AuditTrail
from services.one_to_one_prep import PrepService, agenda_items
from services.staff_status import StaffRules
from storage import employees
from storage.database import Database
from storage.models import AuditEvent

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)  # a Monday


async def _people(database: Database) -> dict[str, Person]:
    async with database.sessions() as session:
        found = {}
        for code in ("D003", "D004", "D002", "D011", "D013"):
            person = await employees.get_person_by_employee_id(session, code, as_of=NOW.date())
            assert person is not None
            found[code] = person
    return found


def _service(database: Database, now: datetime = NOW) -> AgendaService:
    clock = FixedClock(now)
    return AgendaService(database, clock, AuditTrail(database, clock, "chat"))


@pytest.fixture
async def demo(demo_org: Database) -> Database:
    """The demo organisation chart, with no agendas yet."""
    return demo_org


async def test_both_add_points_and_nobody_else_sees_them(demo: Database) -> None:
    people = await _people(demo)
    priya, tom, david, margaret, rhys = (
        people[c] for c in ("D003", "D004", "D002", "D011", "D013")
    )
    service = _service(demo)
    point, employee, tell = await service.add_point(rhys, "Training on the new catalogue")
    assert employee.id == rhys.id and tell.id == priya.id and point.added_by == "employee"
    await service.add_point(priya, "Weekend rota", rhys.employee_id)
    agenda = await service.agenda_for(priya, rhys.employee_id)
    assert [p.text for p in agenda.points] == ["Training on the new catalogue", "Weekend rota"]
    mine = await service.my_agenda(rhys)
    assert mine.prep_note is None and len(mine.points) == 2
    for intruder in (tom, david, margaret):
        with pytest.raises(NotYours):
            await service.agenda_for(intruder, rhys.employee_id)
        with pytest.raises(NotYours):
            await service.add_point(intruder, "Sneaky", rhys.employee_id)
        with pytest.raises(NotYours):
            await service.set_prep_note(intruder, rhys.employee_id, "Sneaky")
    with pytest.raises(InvalidAgenda):
        await service.add_point(rhys, "   ")


async def test_ticked_points_go_and_the_rest_carry_over(demo: Database) -> None:
    people = await _people(demo)
    priya, rhys = people["D003"], people["D013"]
    service = _service(demo)
    first, _, _ = await service.add_point(rhys, "Training")
    second, _, _ = await service.add_point(rhys, "Leave in December")
    done, carried = await service.discussed(
        priya, rhys, {first.id, 999_999}, held_on=NOW.date(), one_to_one_id=None
    )
    assert [p.id for p in done] == [first.id] and [p.id for p in carried] == [second.id]
    later = await _service(demo, NOW + timedelta(days=9)).my_agenda(rhys)
    assert [p.id for p in later.points] == [second.id]


async def test_prep_note_is_the_managers_alone(demo: Database) -> None:
    people = await _people(demo)
    priya, rhys = people["D003"], people["D013"]
    service = _service(demo)
    await service.set_prep_note(priya, rhys.employee_id, "Ask about the course gently")
    assert (await service.agenda_for(priya, rhys.employee_id)).prep_note == (
        "Ask about the course gently"
    )
    assert (await service.my_agenda(rhys)).prep_note is None


async def test_planning_questions_then_day_before_and_did_you_meet(demo: Database) -> None:
    people = await _people(demo)
    priya, rhys = people["D003"], people["D013"]
    service = _service(demo)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)
    asked = await service.plan(priya, rhys.employee_id, saturday, confirmed=False)
    assert asked.saved is None and "Saturday" in asked.questions[0]
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
    answer = await service.plan(priya, rhys.employee_id, monday, confirmed=False)
    assert answer.saved is not None and answer.saved.day == date(2026, 11, 30)

    friday_items = await agenda_items(demo, date(2026, 11, 27))
    kinds = {(i.kind, i.recipient_id) for i in friday_items}
    assert (NudgeKind.ONE_TO_ONE_PREP, priya.id) in kinds
    assert (NudgeKind.AGENDA_INVITE, rhys.id) in kinds
    assert not await agenda_items(demo, date(2026, 11, 26))
    check = await agenda_items(demo, date(2026, 12, 1))
    assert [(i.kind, i.title) for i in check] == [
        (NudgeKind.ONE_TO_ONE_CHECK, "Did you meet Rhys?")
    ]

    later = _service(demo, datetime(2026, 12, 1, 9, 0, tzinfo=LONDON))
    new_time = datetime(2026, 12, 3, 14, 0, tzinfo=LONDON)
    _, moved = await later.outcome(priya, rhys.employee_id, PlanStatus.MOVED, new_time)
    assert moved is not None and moved.day == date(2026, 12, 3)
    assert not await agenda_items(demo, date(2026, 12, 1))


async def test_the_prep_card_is_the_line_managers_and_its_read_is_audited(demo: Database) -> None:
    people = await _people(demo)
    priya, david, rhys = people["D003"], people["D002"], people["D013"]
    agenda = _service(demo)
    await agenda.add_point(rhys, "Training")
    prep = PrepService(agenda, demo, StaffRules())
    card = await prep.prep(priya, rhys.employee_id)
    assert [p.text for p in card.agenda.points] == ["Training"]
    assert card.standing is not None and card.standing.sickness is not None
    with pytest.raises(NotYours):
        await prep.prep(david, rhys.employee_id)
    async with demo.sessions() as session:
        read = await session.scalars(
            select(AuditEvent.actor_label).where(AuditEvent.record_type == "one_to_one_prep_card")
        )
        assert list(read) == [priya.email]
