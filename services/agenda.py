"""The one-to-one agenda: who may add to it and see it, the manager's prep note, and planning
the next one-to-one, in transactions with the audit.

An agenda belongs to an employee and whoever manages them: the employee (their own, never an
id they send) and their line manager or acting manager today (checked on the server for every
id a card sends). Nobody else sees anything of it: not another manager, not a colleague, not a
skip-level manager. The rules are :mod:`domain.agenda`'s.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.agenda import (
    AddedBy,
    AgendaPoint,
    InvalidAgenda,
    NotYours,
    PersonDays,
    PlannedOneToOne,
    PlanStatus,
    check_room,
    clean_point,
    clean_prep_note,
    plan_questions,
    proposed_day,
    split_ticked,
)
from domain.audit import on_behalf_of
from domain.cadence import effective_interval
from domain.clock import Clock
from domain.people import Person
from domain.working_days import WorkingPattern
from services import audit, authority
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from storage import agenda as repo
from storage import employees
from storage import one_to_ones as one_to_one_repo
from storage.database import Database

NOT_YOURS = NotYours(
    "Only the person and their line manager (or acting manager) can see or add to a "
    "one-to-one agenda."
)
NO_MANAGER = NotYours(
    "You don't have a line manager in the organisation chart, so there's no one-to-one "
    "agenda to add to. If that's wrong, please ask HR to update it."
)
DEFAULT_TIME = (10, 0)


@dataclass(frozen=True)
class Agenda:
    """An agenda as one of the pair sees it (the prep note only ever for the manager)."""

    employee: Person
    points: tuple[AgendaPoint, ...]
    last_held: date | None
    planned: PlannedOneToOne | None
    prep_note: str | None = None  # None for the employee


@dataclass(frozen=True)
class PlanAnswer:
    """A plan saved, or the questions to ask before saving it."""

    report: Person
    starts_at: datetime
    questions: tuple[str, ...] = ()
    saved: PlannedOneToOne | None = None


class AgendaService:
    def __init__(
        self, database: Database, clock: Clock, trail: AuditTrail, *, cadence_days: int = 28
    ) -> None:
        self._db = database
        self._clock = clock
        self._audit = trail
        self._cadence_days = cadence_days

    def today(self) -> date:
        return self._clock.today()

    # --- whose agenda --------------------------------------------------------------------

    async def report_of(self, manager: Person, employee_ref: object) -> Person:
        """The manager's report (line or acting) with this HR id, or NotYours."""
        report, _ = await authority.require_in_charge(
            self._db, manager, employee_ref, self.today(), NOT_YOURS
        )
        return report

    async def reports(self, manager: Person) -> list[Person]:
        async with self._db.sessions() as session:
            found = await authority.people_in_charge(session, manager.id, self.today())
        return [person for person, _ in found]

    async def my_manager(self, employee: Person) -> Person:
        """Whoever manages the employee today (the acting manager during a delegation)."""
        async with self._db.sessions() as session:
            pk = await authority.current_manager_pk(session, employee, self.today())
            manager = None if pk is None else await employees.get_person(session, pk)
        if manager is None:
            raise NO_MANAGER
        return manager

    def _as(self, manager: Person, report: Person) -> audit.Actor:
        behalf = on_behalf_of(manager.id, report) if manager.id != report.id else None
        return self._audit.actor(manager, on_behalf_of_id=behalf)

    async def audit_reads(self, manager: Person, report: Person, *events: AuditEvent) -> None:
        await self._audit.record(self._as(manager, report), *events)

    # --- talking points ------------------------------------------------------------------

    async def add_point(
        self, actor: Person, text: object, employee_ref: object = None
    ) -> tuple[AgendaPoint, Person, Person]:
        """Add a point: to the actor's own agenda, or (a manager, naming a report by HR id)
        to that report's. Returns (the point, the employee, the other person to tell)."""
        words = clean_point(text)
        if employee_ref is None or employee_ref == actor.employee_id:
            employee, other, added_by = actor, await self.my_manager(actor), AddedBy.EMPLOYEE
        else:
            employee = await self.report_of(actor, employee_ref)
            other, added_by = employee, AddedBy.MANAGER
        async with self._db.transaction() as session:
            check_room(len(await repo.open_points(session, employee.id)))
            point_id = await repo.add_point(
                session,
                employee_pk=employee.id,
                text=words,
                added_by=added_by,
                added_by_pk=actor.id,
                now=self._clock.now(),
            )
            self._audit.note(
                session,
                self._as(actor, employee),
                AuditEvent(AuditAction.CREATE, RecordType.AGENDA, employee.id, point_id),
            )
            points = await repo.open_points(session, employee.id)
        point = next(p for p in points if p.id == point_id)
        return point, employee, other

    async def my_agenda(self, employee: Person) -> Agenda:
        async with self._db.sessions() as session:
            points = await repo.open_points(session, employee.id)
            last = await repo.last_held(session, employee.id)
            planned = await repo.next_planned(session, employee.id, self._clock.tz)
        return Agenda(employee, tuple(points), last, planned)

    async def agenda_for(self, manager: Person, employee_ref: object) -> Agenda:
        """The report's agenda with the manager's own prep note (both reads audited)."""
        report = await self.report_of(manager, employee_ref)
        return await self._agenda(manager, report)

    async def _agenda(self, manager: Person, report: Person) -> Agenda:
        async with self._db.sessions() as session:
            points = await repo.open_points(session, report.id)
            last = await repo.last_held(session, report.id)
            planned = await repo.next_planned(session, report.id, self._clock.tz)
            note = await repo.prep_note(session, report.id, manager.id)
        events = [audit.read(RecordType.AGENDA, report.id, [p.id for p in points])]
        if note:
            events.append(AuditEvent(AuditAction.READ, RecordType.PREP_NOTE, report.id))
        await self._audit.record(self._as(manager, report), *events)
        return Agenda(report, tuple(points), last, planned, note)

    async def to_tick(
        self, manager: Person, report: Person
    ) -> tuple[list[AgendaPoint], date | None]:
        """The open points the one-to-one form offers to tick, and when the pair last met
        (the read audited; the prep note stays on the agenda card)."""
        await self.report_of(manager, report.employee_id)
        async with self._db.sessions() as session:
            points = await repo.open_points(session, report.id)
            last = await repo.last_held(session, report.id)
        if points:
            await self._audit.record(
                self._as(manager, report),
                audit.read(RecordType.AGENDA, report.id, [p.id for p in points]),
            )
        return points, last

    async def set_prep_note(self, manager: Person, employee_ref: object, text: object) -> Person:
        report = await self.report_of(manager, employee_ref)
        note = clean_prep_note(text)
        async with self._db.transaction() as session:
            await repo.set_prep_note(session, report.id, manager.id, note, self._clock.now())
            self._audit.note(
                session,
                self._as(manager, report),
                AuditEvent(AuditAction.UPDATE, RecordType.PREP_NOTE, report.id),
            )
        return report

    async def discussed(
        self,
        manager: Person,
        report: Person,
        ticked: Collection[int],
        *,
        held_on: date,
        one_to_one_id: int | None,
    ) -> tuple[list[AgendaPoint], list[AgendaPoint]]:
        """Tick the points discussed at a one-to-one in a transaction of their own (logging a
        one-to-one does it in its own transaction: :func:`settle_agenda`).
        Returns (discussed, carried over)."""
        await self.report_of(manager, report.employee_id)
        async with self._db.transaction() as session:
            return await settle_agenda(
                session,
                self._audit,
                self._as(manager, report),
                report,
                ticked,
                held_on=held_on,
                one_to_one_id=one_to_one_id,
                clock=self._clock,
            )

    # --- the next one-to-one -------------------------------------------------------------

    async def _person_days(self, report: Person, start: date, end: date) -> PersonDays:
        async with self._db.sessions() as session:
            pattern = await employees.working_pattern_of(session, report.id)
            away = await repo.away_days(session, report.id, start, end)
        return PersonDays(report.first_name, WorkingPattern.parse(pattern or "Mon-Fri"), away)

    async def plan(
        self, manager: Person, employee_ref: object, starts_at: datetime, *, confirmed: bool
    ) -> PlanAnswer:
        """Plan the next one-to-one; unless ``confirmed``, a questionable time comes back with
        the questions and nothing is saved. A plan already made is marked moved."""
        report = await self.report_of(manager, employee_ref)
        day = starts_at.date()
        person = await self._person_days(report, day, day)
        questions = tuple(plan_questions(starts_at, self._clock.now(), person))
        if questions and not confirmed:
            return PlanAnswer(report, starts_at, questions)
        if starts_at <= self._clock.now():
            raise InvalidAgenda("A one-to-one can only be planned for a time still to come.")
        saved = await self._save_plan(manager, report, starts_at, proposed=False)
        return PlanAnswer(report, starts_at, questions, saved)

    async def _save_plan(
        self, manager: Person, report: Person, starts_at: datetime, *, proposed: bool
    ) -> PlannedOneToOne:
        now = self._clock.now()
        async with self._db.transaction() as session:
            earlier = await repo.next_planned(session, report.id, self._clock.tz)
            if earlier is not None:
                await repo.resolve_plan(session, earlier.id, PlanStatus.MOVED, now=now)
            plan_id = await repo.add_plan(
                session,
                employee_pk=report.id,
                manager_pk=manager.id,
                starts_at=starts_at,
                set_by_pk=manager.id,
                proposed=proposed,
                now=now,
            )
            self._audit.note(
                session,
                self._as(manager, report),
                AuditEvent(
                    AuditAction.CREATE,
                    RecordType.PLANNED_ONE_TO_ONE,
                    report.id,
                    plan_id,
                    f"{starts_at:%Y-%m-%d %H:%M}"
                    + (f"; moved from plan {earlier.id}" if earlier else ""),
                ),
            )
            saved = await repo.get_plan(session, plan_id, self._clock.tz)
        assert saved is not None
        return saved

    async def proposal(self, manager: Person, employee_ref: object) -> tuple[Person, datetime]:
        """The time Charter proposes from the cadence (not saved)."""
        report = await self.report_of(manager, employee_ref)
        today = self.today()
        async with self._db.sessions() as session:
            last = await repo.last_held(session, report.id)
            by_employee, by_team = await one_to_one_repo.cadence_overrides(
                session, [report.id], [report.manager_id or manager.id]
            )
        interval = effective_interval(
            by_employee.get(report.id),
            by_team.get(report.manager_id or manager.id),
            self._cadence_days,
        )
        person = await self._person_days(report, today, today + timedelta(days=interval + 60))
        day = proposed_day(
            last_held=last,
            start_date=report.start_date,
            interval_days=interval,
            today=today,
            person=person,
        )
        starts = datetime(day.year, day.month, day.day, *DEFAULT_TIME, tzinfo=self._clock.tz)
        return report, starts

    async def outcome(
        self, manager: Person, employee_ref: object, status: PlanStatus, moved_to: datetime | None
    ) -> tuple[Person, PlannedOneToOne | None]:
        """The manager's answer to "did you meet?": moved (to a new time) or missed."""
        report = await self.report_of(manager, employee_ref)
        if status is PlanStatus.MOVED and (moved_to is None or moved_to <= self._clock.now()):
            raise InvalidAgenda("Please give the new date and time, still to come.")
        async with self._db.transaction() as session:
            planned = await repo.next_planned(session, report.id, self._clock.tz)
            if planned is None:
                raise InvalidAgenda(f"There's no planned one-to-one with {report.first_name}.")
            await repo.resolve_plan(session, planned.id, status, now=self._clock.now())
            self._audit.note(
                session,
                self._as(manager, report),
                AuditEvent(
                    AuditAction.UPDATE,
                    RecordType.PLANNED_ONE_TO_ONE,
                    report.id,
                    planned.id,
                    status.value,
                ),
            )
        if moved_to is None:
            return report, None
        return report, await self._save_plan(manager, report, moved_to, proposed=False)


async def settle_agenda(
    session: AsyncSession,
    trail: AuditTrail,
    actor: audit.Actor,
    report: Person,
    ticked: Collection[int],
    *,
    held_on: date,
    one_to_one_id: int | None,
    clock: Clock,
) -> tuple[list[AgendaPoint], list[AgendaPoint]]:
    """In the caller's transaction (the one that logs the one-to-one, so both commit or
    neither does): tick the points discussed (only this report's open points count, whatever
    ids a card sent) and settle the planned meeting. The caller has checked ``actor`` may act
    for ``report``. Returns (discussed, carried over)."""
    done, carried = split_ticked(await repo.open_points(session, report.id), ticked)
    await repo.mark_discussed(
        session, report.id, [p.id for p in done], on=held_on, one_to_one_pk=one_to_one_id
    )
    planned = await repo.next_planned(session, report.id, clock.tz)
    if planned is not None and planned.day <= held_on + timedelta(days=7):
        status = PlanStatus.HELD if planned.day == held_on else PlanStatus.MOVED
        await repo.resolve_plan(
            session, planned.id, status, now=clock.now(), one_to_one_pk=one_to_one_id
        )
    if done:
        trail.note(
            session,
            actor,
            AuditEvent(
                AuditAction.UPDATE,
                RecordType.AGENDA,
                report.id,
                None,
                audit.ids_detail([p.id for p in done], "discussed"),
            ),
        )
    return done, carried
