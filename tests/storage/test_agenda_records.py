"""The agenda's records (#18) in subject access, erasure and retention, on both databases:
Rhys's points, Priya's prep note about him and their planned one-to-one are his in a subject
access report and Priya's only by type, id and date; erasing Rhys deletes them all (the
employee row stays, so no cascade does it); erasing Priya deletes her prep notes but keeps
Rhys's points; retention deletes a leaver's agenda two years after they left."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from domain.agenda import PlanStatus
from domain.clock import FixedClock
from domain.compliance import SUPPRESSED
from domain.people import Person
from domain.retention import DEFAULT_PERIODS, Kind
from services.agenda import AgendaService
from services.audit import AuditTrail, Channel
from services.meeting_slips import meeting_slips
from services.retention_run import apply_retention
from storage import employees
from storage.agenda_reports import settled_plans
from storage.database import Database
from storage.erasure import erase_person
from storage.models import AgendaPoint, AgendaPrepNote, Employee, PlannedOneToOne
from storage.subject_access import records_about, records_written_about_others

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


async def _person(database: Database, code: str) -> Person:
    async with database.sessions() as session:
        found = await employees.get_person_by_employee_id(session, code, as_of=NOW.date())
    assert found is not None
    return found


async def _count(database: Database, model: type) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def agenda(demo_org: Database) -> Database:
    """Rhys (D013) and Priya (D003): a point each, Priya's prep note, a planned meeting."""
    clock = FixedClock(NOW)
    service = AgendaService(demo_org, clock, AuditTrail(demo_org, clock, "chat"))
    priya, rhys = await _person(demo_org, "D003"), await _person(demo_org, "D013")
    await service.add_point(rhys, "Training on the new catalogue")
    await service.add_point(priya, "Weekend rota", rhys.employee_id)
    await service.set_prep_note(priya, rhys.employee_id, "Ask about the course gently")
    await service.plan(priya, rhys.employee_id, NOW + timedelta(days=1), confirmed=True)
    return demo_org


async def test_subject_access_gives_the_agenda_to_him_and_refs_to_her(agenda: Database) -> None:
    priya, rhys = await _person(agenda, "D003"), await _person(agenda, "D013")
    async with agenda.sessions() as session:
        his = await records_about(session, rhys.id)
        hers = await records_about(session, priya.id)
        written = await records_written_about_others(session, priya.id)
    assert [p["text"] for p in his["one_to_one_agenda"]] == [
        "Training on the new catalogue",
        "Weekend rota",
    ]
    assert [n["note"] for n in his["prep_notes_about_you"]] == ["Ask about the course gently"]
    assert len(his["planned_one_to_ones"]) == 1
    assert hers["one_to_one_agenda"] == [] and hers["prep_notes_about_you"] == []
    kinds = [r["record_type"] for r in written]
    assert kinds.count("agenda_point") == 1  # the point she added, not Rhys's own
    assert kinds.count("agenda_prep_note") == 1 and kinds.count("planned_one_to_one") == 1
    assert "Ask about" not in str(written) and "Weekend rota" not in str(written)


async def test_erasing_him_deletes_his_agenda_rows(agenda: Database) -> None:
    rhys = await _person(agenda, "D013")
    async with agenda.transaction() as session:
        counts = (await erase_person(session, rhys.id, NOW)).counts
    assert counts["agenda_point (deleted: talking points for their one-to-ones)"] == 2
    assert counts["agenda_prep_note (deleted: about them, or kept by them)"] == 1
    assert counts["planned_one_to_one (deleted)"] == 1
    for model in (AgendaPoint, AgendaPrepNote, PlannedOneToOne):
        assert await _count(agenda, model) == 0, model


async def test_erasing_her_deletes_her_prep_notes_and_keeps_his_points(agenda: Database) -> None:
    priya = await _person(agenda, "D003")
    async with agenda.transaction() as session:
        await erase_person(session, priya.id, NOW)
    assert await _count(agenda, AgendaPrepNote) == 0
    assert await _count(agenda, AgendaPoint) == 2  # Rhys's agenda is his
    assert await _count(agenda, PlannedOneToOne) == 1


async def test_retention_deletes_a_leavers_agenda_after_two_years(agenda: Database) -> None:
    clock = FixedClock(NOW)
    trail = AuditTrail(agenda, clock, Channel.SCHEDULER)
    async with agenda.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.employee_id == "D013").values(left_on=date(2026, 12, 1))
        )
    kept = await apply_retention(agenda, trail, clock, DEFAULT_PERIODS, as_of=date(2028, 12, 1))
    assert kept.counts[Kind.AGENDA] == 0
    dry = await apply_retention(
        agenda, trail, clock, DEFAULT_PERIODS, as_of=date(2028, 12, 3), dry_run=True
    )
    done = await apply_retention(agenda, trail, clock, DEFAULT_PERIODS, as_of=date(2028, 12, 3))
    assert dry.counts[Kind.AGENDA] == done.counts[Kind.AGENDA] == 4
    for model in (AgendaPoint, AgendaPrepNote, PlannedOneToOne):
        assert await _count(agenda, model) == 0, model


async def test_hr_figures_count_held_moved_and_missed(agenda: Database) -> None:
    """Priya's plan for tomorrow is moved, the new one missed, a third held on its day."""
    clock = FixedClock(NOW)
    service = AgendaService(agenda, clock, AuditTrail(agenda, clock, "chat"))
    priya, rhys = await _person(agenda, "D003"), await _person(agenda, "D013")
    await service.outcome(priya, rhys.employee_id, PlanStatus.MOVED, NOW + timedelta(days=2))
    await service.outcome(priya, rhys.employee_id, PlanStatus.MISSED, None)
    await service.plan(priya, rhys.employee_id, NOW + timedelta(days=3), confirmed=True)
    later = FixedClock(NOW + timedelta(days=3))
    after = AgendaService(agenda, later, AuditTrail(agenda, later, "chat"))
    await after.discussed(
        priya, rhys, [], held_on=(NOW + timedelta(days=3)).date(), one_to_one_id=None
    )

    async with agenda.sessions() as session:
        statuses = sorted((await session.scalars(select(PlannedOneToOne.status))).all())
    assert statuses == ["held", "missed", "moved"]
    async with agenda.sessions() as session:
        settled = await settled_plans(session, NOW.date(), (NOW + timedelta(days=30)).date())
    assert sorted(p.status.value for p in settled) == statuses
    assert {(p.employee_id, p.group) for p in settled} == {(rhys.id, "Community Services")}
    report = await meeting_slips(agenda, (NOW + timedelta(days=30)).date())
    [row] = report.groups
    assert row.name == "Community Services"
    assert row.shares[PlanStatus.HELD].display() == SUPPRESSED  # one person: a small group
    early = await meeting_slips(agenda, NOW.date())
    assert early.groups == ()  # nothing planned up to today has been settled
