"""Sickness absence and return-to-work conversations, and who may see them.

Absence reasons, return-to-work records and trigger status are special category health
data: only the employee's line manager and HR admins see them, and the employee sees their
own. Every check happens here, on the server, whatever a card says.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain import form_values as form
from domain.absences import (
    DEFAULT_REASONS,
    MAX_TEXT,
    OUTCOMES,
    SUPPORT,
    AbsenceNotAllowed,
    AbsencePolicy,
    AbsenceSummary,
    DatesToConfirm,
    InvalidAbsence,
    RtwContext,
    absence_dates_question,
    dates_confirmed,
    end_problems,
    latest_first,
    needs_rtw,
    read_rtw_form,
    rtw_date_question,
    start_problems,
)
from domain.clock import Clock
from domain.people import Person
from domain.records import AbsenceView, RtwView
from domain.rtw import RtwDue, fit_note_expected, rtw_due
from domain.triggers import AbsenceSpell, TriggerStatus, trigger_status
from domain.working_days import (
    ENGLAND_AND_WALES,
    BankHolidays,
    WorkingPattern,
    working_days_between,
)
from services import audit, authority
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from services.authority import Authority
from services.employee_response import ResponseKind, respond
from storage import absences as repo
from storage import duplicates, employees
from storage.database import Database

# The rules live in domain.absences; their names are kept here for the chat and settings.
__all__ = [
    "DEFAULT_REASONS",
    "MAX_TEXT",
    "OUTCOMES",
    "SUPPORT",
    "AbsenceNotAllowed",
    "AbsencePolicy",
    "AbsenceService",
    "AbsenceSummary",
    "DatesToConfirm",
    "InvalidAbsence",
    "RtwContext",
]


class AbsenceService:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        policy: AbsencePolicy,
        holidays: BankHolidays = ENGLAND_AND_WALES,
        *,
        audit: AuditTrail | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self._audit = audit or AuditTrail(database, clock, "chat")
        self.policy = policy
        self.holidays = holidays

    def today(self) -> date:
        return self._clock.today()

    # --- who may see and do what --------------------------------------------------------

    async def pattern_for(self, person: Person) -> WorkingPattern:
        async with self._db.sessions() as session:
            text = await employees.working_pattern_of(session, person.id)
        return WorkingPattern.parse(text or self.policy.default_pattern)

    async def authority_over(self, viewer: Person, subject: Person) -> Authority | None:
        async with self._db.sessions() as session:
            return await authority.acting_for(session, viewer.id, subject, self.today())

    async def report_of(self, manager: Person, report_ref: object) -> Person:
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
            AbsenceNotAllowed(
                "Only someone's line manager can record their absence or return to work."
            ),
        )

    async def _absence_of_report(
        self, manager: Person, absence_id: object
    ) -> tuple[Person, AbsenceView]:
        subject, absence, _ = await self._absence_and_authority(manager, absence_id)
        return subject, absence

    async def _absence_and_authority(
        self, manager: Person, absence_id: object
    ) -> tuple[Person, AbsenceView, Authority]:
        wanted = form.record_id(absence_id)
        if wanted is None:
            raise AbsenceNotAllowed("That absence isn't one of your team's.")
        async with self._db.sessions() as session:
            absence = await repo.get_absence(session, wanted)
            subject = (
                await employees.get_person(session, absence.employee_id, as_of=self.today())
                if absence
                else None
            )
        if absence is None or subject is None:
            raise AbsenceNotAllowed("That absence isn't one of your team's.")
        acts = await self.authority_over(manager, subject)
        if acts is None:
            raise AbsenceNotAllowed("That absence isn't one of your team's.")
        return subject, absence, acts

    # --- working days and triggers --------------------------------------------------------

    async def days_lost(self, person: Person, start: date, end: date) -> int:
        pattern = await self.pattern_for(person)
        return working_days_between(start, end, pattern=pattern, holidays=self.holidays)

    async def _triggers(self, person: Person, absences: list[AbsenceView]) -> TriggerStatus:
        today = self.today()
        spells = []
        # An ended absence that lost no working day is no occasion (every day was a day off).
        for a in (a for a in absences if a.end_date is None or needs_rtw(a.working_days_lost)):
            lost = a.working_days_lost
            if lost is None:
                lost = await self.days_lost(person, a.start_date, a.end_date or today)
            spells.append(
                AbsenceSpell(
                    start=a.start_date,
                    end=a.end_date,
                    working_days_lost=lost,
                    disability_related=a.disability_related,
                    kind=a.absence_type,
                )
            )
        return trigger_status(spells, as_of=today, policy=self.policy.triggers)

    async def rtw_due_for(
        self, person: Person, absence: AbsenceView, held_on: date | None
    ) -> RtwDue:
        assert absence.end_date is not None
        return rtw_due(
            absence_end=absence.end_date,
            as_of=self.today(),
            held_on=held_on,
            deadline_days=self.policy.rtw_deadline_days,
            pattern=await self.pattern_for(person),
            holidays=self.holidays,
        )

    # --- what a manager records --------------------------------------------------------------

    async def record_start(
        self, manager: Person, report_ref: object, values: Mapping[str, object]
    ) -> tuple[Person, AbsenceView]:
        report, acts = await self.report_and_authority(manager, report_ref)
        start = form.iso_date(values, "start_date")
        expected = form.iso_date(values, "expected_return")
        reason = form.text(values, "reason_category") or None
        async with self._db.sessions() as session:
            existing = await repo.absences_for(session, report.id)
        problems = start_problems(
            report,
            start,
            expected,
            reason,
            today=self.today(),
            policy=self.policy,
            existing=existing,
        )
        if problems:
            raise InvalidAbsence(problems)
        assert start is not None
        await self._ask_about_dates(report, start, None, values)
        already = AbsenceNotAllowed(
            f"{report.first_name}'s absence from that date is already recorded (the form was "
            "sent twice)."
        )
        refuse_twin = duplicates.unique_violation_as(lambda: already)
        async with refuse_twin, self._db.transaction() as session:
            absence_id = await repo.add_absence(
                session,
                employee_pk=report.id,
                start_date=start,
                end_date=None,
                absence_type="sickness",
                reason_category=reason,
                working_days_lost=None,
                working_days_given=False,
                disability_related=False,
                expected_return=expected,
                source="chat",
                recorded_by_pk=manager.id,
                now=self._clock.now(),
            )
            event = AuditEvent(AuditAction.CREATE, RecordType.ABSENCE, report.id, absence_id)
            self._note(session, manager, acts, event)
            absence = await repo.get_absence(session, absence_id)
        assert absence is not None
        return report, absence

    async def _ask_about_dates(
        self, report: Person, start: date, end: date | None, values: Mapping[str, object]
    ) -> None:
        """Dates that hold no working day for the report are asked about before saving,
        unless this submit is the answer "record anyway"."""
        if dates_confirmed(values):
            return
        question = absence_dates_question(
            report.first_name,
            start,
            end,
            pattern=await self.pattern_for(report),
            holidays=self.holidays,
        )
        if question is not None:
            raise DatesToConfirm(question)

    async def absence_to_end(
        self, manager: Person, absence_id: object
    ) -> tuple[Person, AbsenceView]:
        """The report and their absence a back-at-work card is about (checked, as ever)."""
        return await self._absence_of_report(manager, absence_id)

    async def ongoing_absence(
        self, manager: Person, report_ref: object
    ) -> tuple[Person, AbsenceView | None]:
        report, acts = await self.report_and_authority(manager, report_ref)
        async with self._db.sessions() as session:
            absences = await repo.absences_for(session, report.id)
        ongoing = [a for a in absences if a.end_date is None]
        await self._read(manager, acts, RecordType.ABSENCE, report.id, [a.id for a in ongoing])
        return report, (ongoing[-1] if ongoing else None)

    async def record_end(
        self, manager: Person, absence_id: object, values: Mapping[str, object]
    ) -> tuple[Person, AbsenceView, RtwDue | None]:
        report, absence, acts = await self._absence_and_authority(manager, absence_id)
        end = form.iso_date(values, "end_date")
        problems = end_problems(absence, end, today=self.today())
        if problems:
            raise InvalidAbsence(problems)
        assert end is not None
        await self._ask_about_dates(report, absence.start_date, end, values)
        lost = await self.days_lost(report, absence.start_date, end)
        async with self._db.transaction() as session:
            await repo.end_absence(
                session, absence.id, end_date=end, working_days_lost=lost, now=self._clock.now()
            )
            event = AuditEvent(AuditAction.UPDATE, RecordType.ABSENCE, report.id, absence.id)
            self._note(session, manager, acts, event)
            ended = await repo.get_absence(session, absence.id)
        assert ended is not None
        if not needs_rtw(ended.working_days_lost):
            return report, ended, None
        return report, ended, await self.rtw_due_for(report, ended, None)

    async def waiting_for_rtw(
        self, manager: Person, report_ref: object
    ) -> tuple[Person, list[AbsenceView]]:
        """Ended sickness absences of this report with no return-to-work record yet, the
        latest first (the one a manager means is almost always the one just ended)."""
        report, acts = await self.report_and_authority(manager, report_ref)
        async with self._db.sessions() as session:
            absences = await repo.absences_for(session, report.id)
            held = {r.absence_id for r in await repo.rtws_for(session, report.id)}
        waiting = latest_first(
            a
            for a in absences
            if a.absence_type == "sickness"
            and a.end_date is not None
            and a.id not in held
            and needs_rtw(a.working_days_lost)
        )
        await self._read(manager, acts, RecordType.ABSENCE, report.id, [a.id for a in waiting])
        return report, waiting

    async def rtw_context(
        self, manager: Person, absence_id: object, *, audit_read: bool = True
    ) -> RtwContext:
        """What the return-to-work card shows; the read is audited unless the caller is about
        to save (and audit) the record itself."""
        report, absence, acts = await self._absence_and_authority(manager, absence_id)
        if absence.end_date is None or absence.absence_type != "sickness":
            raise AbsenceNotAllowed(
                "A return-to-work conversation follows a sickness absence that has ended."
            )
        async with self._db.sessions() as session:
            absences = await repo.absences_for(session, report.id)
            existing = await repo.rtw_for_absence(session, absence.id)
        if audit_read:
            await self._read(manager, acts, RecordType.ABSENCE, report.id, [a.id for a in absences])
            if existing is not None:
                await self._read(manager, acts, RecordType.RETURN_TO_WORK, report.id, [existing.id])
        return RtwContext(
            report=report,
            absence=absence,
            due=await self.rtw_due_for(report, absence, existing.held_on if existing else None),
            triggers=await self._triggers(report, absences),
            fit_note_expected=fit_note_expected(absence.start_date, absence.end_date),
            existing=existing,
            on_behalf_of_id=acts.on_behalf_of_id,
        )

    async def log_rtw(
        self, manager: Person, absence_id: object, values: Mapping[str, object]
    ) -> tuple[RtwContext, RtwView]:
        context = await self.rtw_context(manager, absence_id, audit_read=False)
        if context.existing is not None:
            raise AbsenceNotAllowed("The return-to-work conversation for that absence is recorded.")
        answers = read_rtw_form(
            values,
            context.absence,
            today=self.today(),
            policy=self.policy,
            fit_note_expected=context.fit_note_expected,
        )
        if not dates_confirmed(values):
            question = rtw_date_question(
                context.report.first_name,
                answers.held_on,
                pattern=await self.pattern_for(context.report),
                holidays=self.holidays,
            )
            if question is not None:
                raise DatesToConfirm(question)
        already = AbsenceNotAllowed(
            "The return-to-work conversation for that absence is already recorded (the form "
            "was sent twice)."
        )
        refuse_twin = duplicates.unique_violation_as(lambda: already)
        async with refuse_twin, self._db.transaction() as session:
            rtw_id = await repo.add_rtw(
                session,
                absence_id=context.absence.id,
                employee_pk=context.report.id,
                # The line manager of record, also when an acting manager held it.
                manager_pk=context.report.manager_id,
                held_on=answers.held_on,
                reason_category=answers.reason_category,
                notes=answers.notes,
                reported_correctly=answers.reported_correctly,
                fit_note_received=answers.fit_note_received,
                work_related=answers.work_related,
                accident_at_work=answers.accident_at_work,
                underlying_condition=answers.underlying_condition,
                adjustments_needed=answers.adjustments_needed,
                support_offered=answers.support_offered,
                outcome=answers.outcome,
                employee_comments=answers.employee_comments,
                trigger_summary=context.triggers.describe(),
                trigger_reached=context.triggers.reached,
                now=self._clock.now(),
            )
            self._note_rtw_written(session, manager, context, rtw_id)
            rtw = await repo.get_rtw(session, rtw_id)
        assert rtw is not None
        return context, rtw

    def _note_rtw_written(
        self, session: AsyncSession, manager: Person, context: RtwContext, rtw_id: int
    ) -> None:
        self._audit.note(
            session,
            self._audit.actor(manager, on_behalf_of_id=context.on_behalf_of_id),
            AuditEvent(AuditAction.CREATE, RecordType.RETURN_TO_WORK, context.report.id, rtw_id),
        )
        # The employee is sent the whole record to acknowledge: their read of it, audited
        # with the write (as for APRs).
        self._audit.note(
            session,
            context.report,
            AuditEvent(
                AuditAction.READ,
                RecordType.RETURN_TO_WORK,
                context.report.id,
                rtw_id,
                "sent to them to acknowledge",
            ),
        )

    async def respond(
        self, employee: Person, rtw_id: object, comment: str | None
    ) -> tuple[RtwView, int | None]:
        kind = ResponseKind[RtwView](
            RecordType.RETURN_TO_WORK,
            repo.get_rtw,
            lambda session, pk, _who, comment, now: repo.record_rtw_response(
                session, pk, comment=comment, now=now
            ),
            lambda: AbsenceNotAllowed("That record isn't yours."),
            lambda problem: InvalidAbsence([problem]),
            MAX_TEXT,
        )
        return await respond(self._db, self._audit, self._clock, kind, employee, rtw_id, comment)

    async def summary(self, viewer: Person, subject: Person) -> AbsenceSummary:
        acts = None if viewer.id == subject.id else await self.authority_over(viewer, subject)
        if viewer.id != subject.id and not viewer.is_hr_admin and acts is None:
            raise AbsenceNotAllowed(
                "Absence records are only for the person, their line manager and HR."
            )
        async with self._db.sessions() as session:
            absences = await repo.absences_for(session, subject.id)
            held = {r.absence_id: r for r in await repo.rtws_for(session, subject.id)}
        await self._read(viewer, acts, RecordType.ABSENCE, subject.id, [a.id for a in absences])
        await self._read(
            viewer, acts, RecordType.RETURN_TO_WORK, subject.id, [r.id for r in held.values()]
        )
        waiting = []
        for absence in absences:
            if (
                absence.absence_type == "sickness"
                and absence.end_date is not None
                and needs_rtw(absence.working_days_lost)
            ):
                rtw = held.get(absence.id)
                due = await self.rtw_due_for(subject, absence, rtw.held_on if rtw else None)
                if rtw is None:
                    waiting.append((absence, due))
        window_start = self.today() - timedelta(days=self.policy.triggers.window_days)
        recent = [a for a in absences if (a.end_date or self.today()) >= window_start]
        return AbsenceSummary(subject, recent, await self._triggers(subject, absences), waiting)

    # --- the audit trail ----------------------------------------------------------------

    def _note(
        self, session: AsyncSession, by: Person, acts: Authority | None, event: AuditEvent
    ) -> None:
        behalf = acts.on_behalf_of_id if acts is not None else None
        self._audit.note(session, self._audit.actor(by, on_behalf_of_id=behalf), event)

    async def _read(
        self,
        by: Person,
        acts: Authority | None,
        record_type: RecordType,
        subject_id: int,
        ids: list[int],
    ) -> None:
        behalf = acts.on_behalf_of_id if acts is not None else None
        await self._audit.record(
            self._audit.actor(by, on_behalf_of_id=behalf), audit.read(record_type, subject_id, ids)
        )
