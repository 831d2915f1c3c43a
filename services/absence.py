"""Sickness absence and return-to-work conversations, and who may see them.

Absence reasons, return-to-work records and trigger status are special category health
data: only the employee's line manager and HR admins see them, and the employee sees their
own. Every check happens here, on the server, whatever a card says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import form_values as form
from domain.clock import Clock
from domain.errors import Invalid, Refused
from domain.people import Person
from domain.records import AbsenceView, RtwView
from domain.rtw import RtwDue, fit_note_expected, rtw_due
from domain.triggers import AbsenceSpell, TriggerPolicy, TriggerStatus, trigger_status
from domain.working_days import (
    ENGLAND_AND_WALES,
    BankHolidays,
    WorkingPattern,
    working_days_between,
)
from services import audit, authority
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from services.authority import Authority
from storage import absences as repo
from storage import duplicates, employees
from storage.database import Database
from storage.models import Employee

DEFAULT_REASONS: tuple[str, ...] = (
    "Musculoskeletal",
    "Stress, anxiety or depression",
    "Cold, cough or flu",
    "Stomach, liver or digestion",
    "Injury",
    "Other",
)
SUPPORT: dict[str, str] = {
    "oh_referral": "Occupational Health referral",
    "eap": "Employee Assistance Programme",
    "mhfa": "Mental Health First Aider",
    "phased_return": "Phased return",
    "adjustments": "Reasonable adjustments",
}
OUTCOMES: dict[str, str] = {
    "no_further_action": "No further action",
    "keep_under_review": "Keep under review",
    "attendance_review_meeting": "Attendance review meeting",
    "oh_referral": "Occupational Health referral",
}
MAX_TEXT = 4000


@dataclass(frozen=True)
class AbsencePolicy:
    reasons: tuple[str, ...] = DEFAULT_REASONS
    rtw_deadline_days: int = 3
    triggers: TriggerPolicy = field(default_factory=TriggerPolicy)
    default_pattern: str = "Mon-Fri"


class AbsenceNotAllowed(Refused):
    """Safe to show: why this person cannot see or do this."""


class InvalidAbsence(Invalid):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RtwContext:
    report: Person
    absence: AbsenceView
    due: RtwDue
    triggers: TriggerStatus
    fit_note_expected: bool
    existing: RtwView | None
    # The line manager an acting manager acts for (audit), None for the line manager.
    on_behalf_of_id: int | None = None


@dataclass(frozen=True)
class AbsenceSummary:
    person: Person
    absences: list[AbsenceView]
    triggers: TriggerStatus
    waiting: list[tuple[AbsenceView, RtwDue]]


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
            text = await session.scalar(
                select(Employee.working_pattern).where(Employee.id == person.id)
            )
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
        for a in absences:
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
        problems = []
        if start is None:
            problems.append("Please give the first day of absence.")
        elif start > self.today():
            problems.append("The first day of absence can't be in the future.")
        elif start < report.start_date:
            problems.append(f"{report.first_name} started on {report.start_date:%-d %B %Y}.")
        if expected is not None and start is not None and expected <= start:
            problems.append("The expected return must be after the first day of absence.")
        if reason is not None and reason not in self.policy.reasons:
            problems.append("Choose one of the reasons listed, or leave it blank.")
        async with self._db.sessions() as session:
            existing = await repo.absences_for(session, report.id)
        if start is not None and any(
            a.end_date is None or a.end_date >= start for a in existing if a.start_date <= start
        ):
            problems.append(
                f"{report.first_name} already has an absence covering that date; "
                f"say \u201c{report.first_name} is back\u201d to close it first."
            )
        if problems:
            raise InvalidAbsence(problems)
        assert start is not None
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
    ) -> tuple[Person, AbsenceView, RtwDue]:
        report, absence, acts = await self._absence_and_authority(manager, absence_id)
        end = form.iso_date(values, "end_date")
        problems = []
        if absence.end_date is not None:
            problems.append("That absence has already ended.")
        if end is None:
            problems.append("Please give the last day of absence.")
        elif end < absence.start_date:
            problems.append("The last day of absence can't be before the first.")
        elif end > self.today():
            problems.append("The last day of absence can't be in the future.")
        if problems:
            raise InvalidAbsence(problems)
        assert end is not None
        lost = await self.days_lost(report, absence.start_date, end)
        async with self._db.transaction() as session:
            await repo.end_absence(
                session, absence.id, end_date=end, working_days_lost=lost, now=self._clock.now()
            )
            event = AuditEvent(AuditAction.UPDATE, RecordType.ABSENCE, report.id, absence.id)
            self._note(session, manager, acts, event)
            ended = await repo.get_absence(session, absence.id)
        assert ended is not None
        return report, ended, await self.rtw_due_for(report, ended, None)

    async def waiting_for_rtw(
        self, manager: Person, report_ref: object
    ) -> tuple[Person, list[AbsenceView]]:
        """Ended sickness absences of this report with no return-to-work record yet."""
        report, acts = await self.report_and_authority(manager, report_ref)
        async with self._db.sessions() as session:
            absences = await repo.absences_for(session, report.id)
            held = {r.absence_id for r in await repo.rtws_for(session, report.id)}
        waiting = [
            a
            for a in absences
            if a.absence_type == "sickness" and a.end_date is not None and a.id not in held
        ]
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
        absence = context.absence
        assert absence.end_date is not None
        held_on = form.iso_date(values, "held_on")
        problems = []
        if held_on is None:
            problems.append("Please give the date of the conversation.")
        elif held_on > self.today():
            problems.append("The date can't be in the future.")
        elif held_on <= absence.end_date:
            problems.append("The conversation is held after the absence has ended.")
        reason = form.text(values, "reason_category") or None
        if reason is not None and reason not in self.policy.reasons:
            problems.append("Choose one of the reasons listed.")
        outcome = form.text(values, "outcome")
        if outcome not in OUTCOMES:
            problems.append("Choose the outcome of the conversation.")
        support = [s.strip() for s in form.text(values, "support_offered").split(",") if s.strip()]
        if any(s not in SUPPORT for s in support):
            problems.append("Choose support from the list.")
        notes, comments = form.text(values, "notes"), form.text(values, "employee_comments")
        if len(notes) > MAX_TEXT or len(comments) > MAX_TEXT:
            problems.append(f"Please keep notes and comments under {MAX_TEXT:,} characters.")
        if problems:
            raise InvalidAbsence(problems)
        assert held_on is not None
        already = AbsenceNotAllowed(
            "The return-to-work conversation for that absence is already recorded (the form "
            "was sent twice)."
        )
        refuse_twin = duplicates.unique_violation_as(lambda: already)
        async with refuse_twin, self._db.transaction() as session:
            rtw_id = await repo.add_rtw(
                session,
                absence_id=absence.id,
                employee_pk=context.report.id,
                # The line manager of record, also when an acting manager held it.
                manager_pk=context.report.manager_id,
                held_on=held_on,
                reason_category=reason,
                notes=notes,
                reported_correctly=form.flag(values, "reported_correctly"),
                fit_note_received=(
                    form.flag(values, "fit_note_received") if context.fit_note_expected else None
                ),
                work_related=form.flag(values, "work_related"),
                accident_at_work=form.flag(values, "accident_at_work"),
                underlying_condition=form.flag(values, "underlying_condition"),
                adjustments_needed=form.flag(values, "adjustments_needed"),
                support_offered=support,
                outcome=outcome,
                employee_comments=comments,
                trigger_summary=context.triggers.describe(),
                trigger_reached=context.triggers.reached,
                now=self._clock.now(),
            )
            self._audit.note(
                session,
                self._audit.actor(manager, on_behalf_of_id=context.on_behalf_of_id),
                AuditEvent(
                    AuditAction.CREATE, RecordType.RETURN_TO_WORK, context.report.id, rtw_id
                ),
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
            rtw = await repo.get_rtw(session, rtw_id)
        assert rtw is not None
        return context, rtw

    async def respond(
        self, employee: Person, rtw_id: object, comment: str | None
    ) -> tuple[RtwView, int | None]:
        wanted = form.record_id(rtw_id)
        if wanted is None:
            raise AbsenceNotAllowed("That record isn't yours.")
        comment, problem = form.comment_problem(comment, MAX_TEXT)
        if problem:
            raise InvalidAbsence([problem])
        async with self._db.transaction() as session:
            rtw = await repo.get_rtw(session, wanted)
            if rtw is None or rtw.employee_id != employee.id:
                raise AbsenceNotAllowed("That record isn't yours.")
            await repo.record_rtw_response(session, rtw.id, comment=comment, now=self._clock.now())
            self._audit.note(
                session,
                employee,
                AuditEvent(
                    AuditAction.UPDATE,
                    RecordType.RETURN_TO_WORK,
                    employee.id,
                    rtw.id,
                    "commented" if comment else "acknowledged",
                ),
            )
            updated = await repo.get_rtw(session, rtw.id)
            # Whoever manages them now (after a reorganisation, not the record's manager).
            tell = await authority.current_manager_pk(session, employee, self.today())
        assert updated is not None
        return updated, tell

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
            if absence.absence_type == "sickness" and absence.end_date is not None:
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
