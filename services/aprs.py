"""Annual Performance Reviews: employee-driven preparation, recording by the line manager,
and where everyone stands in the cycle."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.apr_cycle import AprCyclePolicy, AprStatus, apr_status, current_window, long_date
from domain.apr_record import (
    MAX_TEXT,
    AprDraft,
    apr_from_form,
    preparation_from_form,
    priority_problems,
    reviewable,
)
from domain.audit import on_behalf_of
from domain.clock import Clock
from domain.errors import Invalid, Refused
from domain.form_tokens import ALREADY_SAVED, token_of
from domain.objective_lifecycle import Actor, ObjectiveStatus
from domain.people import Person
from domain.records import AprView, ObjectiveView, PreparationView
from services import authority
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from services.authority import Authority
from services.employee_response import ResponseKind, respond
from storage import aprs as repo
from storage import duplicates, employees
from storage import objectives as objective_repo
from storage.database import Database

# Compatible names: the card rules live in domain.apr_record.
__all__ = [
    "AprDraft",
    "AprNotAllowed",
    "AprService",
    "InvalidApr",
    "RecordedApr",
    "apr_from_form",
]


class AprNotAllowed(Refused):
    """Safe to show: why this person cannot do this."""


class InvalidApr(Invalid):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RecordedApr:
    apr: AprView
    report: Person
    objective_titles: dict[int, str]
    new_objectives: tuple[ObjectiveView, ...]


class AprService:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        policy: AprCyclePolicy,
        *,
        audit: AuditTrail | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self.policy = policy
        self._audit = audit or AuditTrail(database, clock, "chat")

    def today(self) -> date:
        return self._clock.today()

    async def status_of(self, person: Person) -> AprStatus:
        async with self._db.sessions() as session:
            last = (await repo.last_held(session, [person.id])).get(person.id)
        return apr_status(
            self.policy,
            start_date=person.start_date,
            left_on=person.left_on,
            last_held=last,
            as_of=self.today(),
        )

    async def team_status(self, manager: Person) -> list[tuple[Person, AprStatus]]:
        async with self._db.sessions() as session:
            reports = await employees.active_direct_reports(session, manager.id, self.today())
            last = await repo.last_held(session, [r.id for r in reports])
        return [
            (
                r,
                apr_status(
                    self.policy,
                    start_date=r.start_date,
                    left_on=r.left_on,
                    last_held=last.get(r.id),
                    as_of=self.today(),
                ),
            )
            for r in reports
        ]

    async def cycle_label(self, person: Person) -> str:
        """The cycle the person's status refers to (an early APR counts for the coming one)."""
        status = await self.status_of(person)
        if status.window is not None:
            return status.window.cycle_label
        window = current_window(self.policy, start_date=person.start_date, as_of=self.today())
        return window.cycle_label

    async def preparation(
        self, employee: Person
    ) -> tuple[list[ObjectiveView], PreparationView | None]:
        label = await self.cycle_label(employee)
        async with self._db.sessions() as session:
            objectives = await objective_repo.objectives_for(session, employee.id)
            prep = await repo.get_preparation(session, employee.id, label)
        return reviewable(objectives), prep

    async def prepare(self, employee: Person, values: Mapping[str, object]) -> PreparationView:
        objectives, _ = await self.preparation(employee)
        draft, problems = preparation_from_form(values, objectives)
        if problems:
            raise InvalidApr(problems)
        label = await self.cycle_label(employee)
        async with self._saving_once(employee, token_of(values), "apr_preparation") as session:
            # Saving the same card twice at once would race to insert the cycle's row.
            await repo.save_preparation(
                session,
                employee_pk=employee.id,
                cycle_label=label,
                achievements=draft.achievements,
                obstacles=draft.obstacles,
                development_wishes=draft.development_wishes,
                support_wanted=draft.support_wanted,
                now=self._clock.now(),
            )
            # Keyed by person and cycle: the cycle label is the record's id.
            self._audit.note(
                session,
                employee,
                AuditEvent(AuditAction.UPDATE, RecordType.APR_PREPARATION, employee.id, label),
            )
            saved = await repo.get_preparation(session, employee.id, label)
        assert saved is not None
        return saved

    @asynccontextmanager
    async def _saving_once(
        self, employee: Person, token: str | None, kind: str, *, queue: bool = False
    ) -> AsyncIterator[AsyncSession]:
        """A write transaction that first claims the card's form token, so a second press of
        the same card is refused politely. With ``queue``, saves for the employee wait for
        each other on their row first (a card without a token still queues)."""
        refuse_twin = duplicates.unique_violation_as(lambda: AprNotAllowed(ALREADY_SAVED))
        async with refuse_twin, self._db.transaction() as session:
            if queue:
                await duplicates.lock_employee(session, employee.id)
            if token is not None and not await duplicates.claim_form(
                session, token, kind=kind, employee_pk=employee.id, now=self._clock.now()
            ):
                raise AprNotAllowed(ALREADY_SAVED)
            yield session

    async def report_of(self, manager: Person, report_ref: object) -> Person:
        """The line manager's (or, during a delegation, the acting manager's) report."""
        report, _ = await self.report_and_authority(manager, report_ref)
        return report

    async def report_and_authority(
        self, manager: Person, report_ref: object
    ) -> tuple[Person, Authority]:
        """The report and how the manager may act for them (line or acting manager)."""
        return await authority.require_in_charge(
            self._db,
            manager,
            report_ref,
            self.today(),
            AprNotAllowed("You can only record APRs for people who report to you directly."),
        )

    async def recording_context(
        self, manager: Person, report_ref: object
    ) -> tuple[Person, list[ObjectiveView], PreparationView | None]:
        return await self._recording_context(manager, report_ref, audit_read=True)

    async def _recording_context(
        self, manager: Person, report_ref: object, *, audit_read: bool
    ) -> tuple[Person, list[ObjectiveView], PreparationView | None]:
        report, acts = await self.report_and_authority(manager, report_ref)
        objectives, prep = await self.preparation(report)
        if audit_read and prep is not None:
            await self._audit.record(
                self._audit.actor(manager, on_behalf_of_id=acts.on_behalf_of_id),
                AuditEvent(
                    AuditAction.READ, RecordType.APR_PREPARATION, report.id, prep.cycle_label
                ),
            )
        return report, objectives, prep

    async def record(
        self, manager: Person, report_ref: object, values: Mapping[str, object]
    ) -> RecordedApr:
        report, objectives, _ = await self._recording_context(manager, report_ref, audit_read=False)
        draft, problems = apr_from_form(values, objectives, report=report, today=self.today())
        async with self._db.sessions() as session:
            valid_priorities = {c.id for c in await objective_repo.priorities(session)}
        problems += priority_problems(draft, valid_priorities)
        if problems:
            raise InvalidApr(problems)
        held_on = draft.held_on
        assert held_on is not None
        # One APR card saves once: a second press finds this card's token. A card without
        # one (sent before tokens existed) still queues on the employee's row and then finds
        # the APR the first press saved for that day.
        async with self._saving_once(report, token_of(values), "apr", queue=True) as session:
            if await repo.held_on_day(session, report.id, held_on) is not None:
                raise AprNotAllowed(
                    f"An APR for {report.first_name} held on {long_date(held_on)} is "
                    "already recorded."
                )
            now = self._clock.now()
            apr_id = await self._add_apr(session, report, held_on, draft, now)
            await self._close_reviewed(session, manager, draft, now)
            new_ids = await self._add_next_objectives(session, manager, report, draft, apr_id, now)
            self._audit_recorded(session, manager, report, apr_id, draft, new_ids)
            apr = await repo.get_apr(session, apr_id)
            new = [await objective_repo.get_objective(session, i) for i in new_ids]
        assert apr is not None
        titles = {o.id: o.title for o in objectives}
        return RecordedApr(apr, report, titles, tuple(o for o in new if o is not None))

    async def _add_apr(
        self, session: AsyncSession, report: Person, held_on: date, draft: AprDraft, now: datetime
    ) -> int:
        return await repo.add_apr(
            session,
            employee_pk=report.id,
            # The line manager of record, also when an acting manager held it.
            manager_pk=report.manager_id,
            held_on=held_on,
            overall_comments=draft.overall_comments,
            leadership_themes=draft.leadership_themes,
            development_needs=draft.development_needs,
            learning_needs=draft.learning_needs,
            reviews=[(oid, out, c) for oid, (out, c) in draft.reviews.items()],
            source="chat",
            now=now,
        )

    async def _close_reviewed(
        self, session: AsyncSession, manager: Person, draft: AprDraft, now: datetime
    ) -> None:
        """Each objective the APR gives an outcome (other than continuing) is closed with it."""
        for objective_id, outcome, comment in draft.closing():
            await objective_repo.set_status(
                session,
                objective_id,
                status=ObjectiveStatus(outcome).value,
                actor_pk=manager.id,
                comment=comment,
                now=now,
            )

    async def _add_next_objectives(
        self,
        session: AsyncSession,
        manager: Person,
        report: Person,
        draft: AprDraft,
        apr_id: int,
        now: datetime,
    ) -> list[int]:
        """Next year's objectives, agreed at the APR: they start agreed."""
        return [
            await objective_repo.add_objective(
                session,
                employee_pk=report.id,
                title=objective.title,
                measure=objective.measure,
                target_date=objective.target_date,
                priority_id=objective.priority_id,
                plan_id=None,
                status=ObjectiveStatus.AGREED.value,
                proposed_by=Actor.MANAGER.value,
                smart_overridden=False,
                created_by_pk=manager.id,
                now=now,
                from_apr_id=apr_id,
            )
            for objective in draft.next_objectives
        ]

    def _audit_recorded(
        self,
        session: AsyncSession,
        manager: Person,
        report: Person,
        apr_id: int,
        draft: AprDraft,
        new_ids: list[int],
    ) -> None:
        self._audit.note(
            session,
            self._audit.actor(manager, on_behalf_of_id=on_behalf_of(manager.id, report)),
            AuditEvent(AuditAction.CREATE, RecordType.APR, report.id, apr_id),
            *(
                AuditEvent(AuditAction.UPDATE, RecordType.OBJECTIVE, report.id, i, "at APR")
                for i, _, _ in draft.closing()
            ),
            *(
                AuditEvent(AuditAction.CREATE, RecordType.OBJECTIVE, report.id, i, "at APR")
                for i in new_ids
            ),
        )
        # The employee is sent the whole record to acknowledge: their read of it, audited
        # with the write, before the card leaves Charter.
        self._audit.note(
            session,
            report,
            AuditEvent(
                AuditAction.READ, RecordType.APR, report.id, apr_id, "sent to them to acknowledge"
            ),
        )

    async def respond(
        self, employee: Person, apr_id: object, comment: str | None
    ) -> tuple[AprView, int | None]:
        kind = ResponseKind[AprView](
            RecordType.APR,
            repo.get_apr,
            lambda session, pk, _who, comment, now: repo.record_response(
                session, pk, comment=comment, now=now
            ),
            lambda: AprNotAllowed("That APR isn't yours."),
            lambda problem: InvalidApr([problem]),
            MAX_TEXT,
        )
        return await respond(self._db, self._audit, self._clock, kind, employee, apr_id, comment)
