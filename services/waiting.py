"""What waits for a member of staff to answer: return-to-work records and APRs their manager
recorded that they have not yet acknowledged or commented on (their one-to-ones are
``OneToOneService.awaiting_response``). The welcome shows each with the buttons its notice
card had, so someone who opens Charter after the record was made can still answer it.

Only the person's own records are read, and the read is audited like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.people import Person
from domain.records import AbsenceView, AprView, ObjectiveView, RtwView
from services import audit
from services.audit import AuditTrail, RecordType
from storage import absences, aprs, employees, objectives
from storage.database import Database

# Older than this, a record no longer waits on the welcome (it stays in the person's records).
LOOK_BACK = timedelta(days=365)
MOST = 5


@dataclass(frozen=True)
class WaitingRtw:
    rtw: RtwView
    absence: AbsenceView
    manager_name: str


@dataclass(frozen=True)
class WaitingApr:
    """The APR as its notice card showed it: the reviewed objectives' titles and next year's
    objectives with it."""

    apr: AprView
    manager_name: str
    objective_titles: dict[int, str]
    new_objectives: tuple[ObjectiveView, ...]


@dataclass(frozen=True)
class WaitingRecords:
    rtws: tuple[WaitingRtw, ...] = ()
    aprs: tuple[WaitingApr, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rtws or self.aprs)


class WaitingService:
    def __init__(self, database: Database, clock: Clock, audit_trail: AuditTrail) -> None:
        self._db = database
        self._clock = clock
        self._audit = audit_trail

    async def for_employee(self, person: Person) -> WaitingRecords:
        """Their unanswered return-to-work records and APRs, the latest first."""
        since = self._clock.today() - LOOK_BACK
        async with self._db.sessions() as session:
            rtws = [
                r
                for r in reversed(await absences.rtws_for(session, person.id))
                if r.acknowledged_at is None and r.employee_comment is None and r.held_on >= since
            ][:MOST]
            waiting_rtws = []
            for rtw in rtws:
                absence = await absences.get_absence(session, rtw.absence_id)
                if absence is not None:
                    name = await _name(session, rtw.manager_id)
                    waiting_rtws.append(WaitingRtw(rtw, absence, name))
            waiting_aprs = [
                await _waiting_apr(session, apr)
                for apr in (await aprs.awaiting_response(session, person.id, since=since))[:MOST]
            ]
        events = []
        if waiting_rtws:
            ids = [w.rtw.id for w in waiting_rtws]
            events.append(audit.read(RecordType.RETURN_TO_WORK, person.id, ids))
        if waiting_aprs:
            events.append(audit.read(RecordType.APR, person.id, [w.apr.id for w in waiting_aprs]))
        await self._audit.record(person, *events)
        return WaitingRecords(tuple(waiting_rtws), tuple(waiting_aprs))


async def _waiting_apr(session: AsyncSession, apr: AprView) -> WaitingApr:
    titles = {}
    for objective_id, _, _ in apr.reviews:
        found = await objectives.get_objective(session, objective_id)
        if found is not None:
            titles[objective_id] = found.title
    new = await objectives.from_apr(session, apr.id)
    return WaitingApr(apr, await _name(session, apr.manager_id), titles, tuple(new))


async def _name(session: AsyncSession, manager_pk: int | None) -> str:
    if manager_pk is None:
        return "Your manager"
    found = await employees.get_person(session, manager_pk)
    return found.name if found is not None else "Your manager"
