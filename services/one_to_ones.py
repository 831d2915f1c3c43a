"""One-to-ones: who may do what, in a transaction, with the audit.

Only the employee's current line manager (or acting manager) logs them; the author may edit
for a few days; staff see the shared part only. The rules are :mod:`domain.one_to_ones`'.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain import form_values as form
from domain.cadence import cadence_status, effective_interval
from domain.clock import Clock
from domain.one_to_ones import (
    ACTION_ROWS,
    AREA_TITLES,
    AREAS,
    DEFAULT_SIGNPOSTS,
    DUPLICATE_WINDOW,
    MAX_ACTION_CHARS,
    MAX_NOTE_CHARS,
    OWNERS,
    ActionDraft,
    Area,
    InvalidOneToOne,
    Logged,
    NotPermitted,
    OneToOneDraft,
    OneToOnePolicy,
    Problem,
    SharedOneToOne,
    TeamMemberCadence,
    check_draft,
    draft_from_form,
    shared_part,
)
from domain.people import Person
from domain.records import ActionView, OneToOneView
from services import audit, authority
from services.agenda import settle_agenda
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from services.authority import Authority
from services.employee_response import ResponseKind, respond
from storage import delegations, duplicates, employees
from storage import one_to_ones as repo
from storage.database import Database

# The rules live in domain.one_to_ones; their names are kept here for the chat and the CLI.
__all__ = [
    "ACTION_ROWS",
    "AREAS",
    "AREA_TITLES",
    "DEFAULT_SIGNPOSTS",
    "DUPLICATE_WINDOW",
    "MAX_ACTION_CHARS",
    "MAX_NOTE_CHARS",
    "OWNERS",
    "ActionDraft",
    "Area",
    "InvalidOneToOne",
    "Logged",
    "NotPermitted",
    "OneToOneDraft",
    "OneToOnePolicy",
    "OneToOneService",
    "Problem",
    "SharedOneToOne",
    "TeamMemberCadence",
    "check_draft",
    "draft_from_form",
    "shared_part",
]


def _already_saved(report: Person) -> NotPermitted:
    return NotPermitted(
        f"That one-to-one with {report.first_name} is already saved (the form "
        "was sent twice); use Edit on it to change anything."
    )


# --- the service --------------------------------------------------------------------------


class OneToOneService:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        policy: OneToOnePolicy,
        *,
        audit: AuditTrail | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self.policy = policy
        self._audit = audit or AuditTrail(database, clock, "chat")

    def _as(self, manager: Person, report: Person) -> audit.Actor:
        """The manager as audit actor: an acting manager acts for the report's line manager
        (the authority check has passed, so anyone else in charge is acting)."""
        behalf = report.manager_id if report.manager_id != manager.id else None
        return self._audit.actor(manager, on_behalf_of_id=behalf)

    async def direct_reports(self, manager: Person) -> list[Person]:
        async with self._db.sessions() as session:
            return await employees.active_direct_reports(session, manager.id, self._clock.today())

    async def team_in_charge(self, manager: Person) -> list[Person]:
        """Direct reports, then any team the manager is acting manager for today."""
        async with self._db.sessions() as session:
            found = await authority.people_in_charge(session, manager.id, self._clock.today())
        return [person for person, _ in found]

    async def report_and_authority(
        self, manager: Person, employee_ref: object
    ) -> tuple[Person, Authority]:
        """The report with this HR employee id and how the manager may act for them."""
        return await authority.require_in_charge(
            self._db,
            manager,
            employee_ref,
            self._clock.today(),
            NotPermitted(
                "You can only log and see one-to-ones for people who report to you directly "
                "(or whose team you are acting manager for)."
            ),
        )

    async def report_of(self, manager: Person, employee_ref: object) -> Person:
        """The manager's active report (direct or delegated) with this HR employee id, or
        NotPermitted."""
        report, _ = await self.report_and_authority(manager, employee_ref)
        return report

    async def open_actions(self, manager: Person, report: Person) -> list[ActionView]:
        await self.report_of(manager, report.employee_id)
        async with self._db.sessions() as session:
            return await repo.open_actions_for(session, report.id)

    async def _review_actions(
        self, session: AsyncSession, manager: Person, report: Person, done_ids: Collection[int]
    ) -> None:
        """The carry-over step's decisions, applied as the one-to-one is saved (in its
        transaction): the report's open actions among ``done_ids`` are ticked off and the rest
        carried forward. Ids that aren't this report's open actions are ignored."""
        open_now = await repo.open_actions_for(session, report.id)
        if not open_now:
            return
        done = [a.id for a in open_now if a.id in done_ids]
        carried = [a.id for a in open_now if a.id not in done_ids]
        await repo.mark_actions_done(session, done, by_pk=manager.id, now=self._clock.now())
        await repo.carry_forward(session, carried)
        self._audit.note(
            session,
            self._as(manager, report),
            AuditEvent(
                AuditAction.UPDATE,
                RecordType.ONE_TO_ONE_ACTION,
                report.id,
                None,
                audit.ids_detail(done, "done") + "; " + audit.ids_detail(carried, "carried"),
            ),
        )

    async def log(
        self,
        manager: Person,
        employee_ref: object,
        draft: OneToOneDraft,
        *,
        form_token: str | None = None,
        agenda_ticked: Collection[int] = (),
        actions_done: Collection[int] | None = None,
    ) -> Logged:
        """Save a new one-to-one, and in the same transaction tick the agenda points discussed
        (``agenda_ticked``, ids from the form) and settle the planned meeting: all or nothing.
        ``actions_done``: the carry-over step's ticks, when the report had open actions (None:
        there was no such step); applied in the same transaction, so a form cancelled after
        that step changes nothing."""
        report = await self.report_of(manager, employee_ref)
        problems = check_draft(draft, report=report, today=self._clock.today())
        if problems:
            raise InvalidOneToOne(problems)
        assert draft.held_on is not None
        already = _already_saved(report)
        refuse_twin = duplicates.unique_violation_as(lambda: already)
        async with refuse_twin, self._db.transaction() as session:
            if await self._is_twin(session, manager, report, draft, form_token):
                raise already
            if actions_done is not None:
                await self._review_actions(session, manager, report, actions_done)
            record_id = await self._add_record(session, manager, report, draft)
            await settle_agenda(
                session,
                self._audit,
                self._as(manager, report),
                report,
                agenda_ticked,
                held_on=draft.held_on,
                one_to_one_id=record_id,
                clock=self._clock,
            )
            record = await repo.get_one_to_one(session, record_id)
            carried = await repo.open_actions_for(session, report.id)
        assert record is not None
        earlier = tuple(a for a in carried if a.one_to_one_id != record_id)
        return Logged(record, report, earlier)

    async def _add_record(
        self, session: AsyncSession, manager: Person, report: Person, draft: OneToOneDraft
    ) -> int:
        """The one-to-one row and its actions, with its audit line (inside the caller's
        transaction)."""
        assert draft.held_on is not None
        record_id = await repo.add_one_to_one(
            session,
            employee_pk=report.id,
            manager_pk=manager.id,
            held_on=draft.held_on,
            notes=draft.notes,
            shared_notes=draft.shared_notes,
            private_note=draft.private_note,
            wellbeing_concern=draft.wellbeing_concern,
            actions=[(a.text, a.owner, a.due_on) for a in draft.actions],
            now=self._clock.now(),
        )
        self._audit.note(
            session,
            self._as(manager, report),
            AuditEvent(
                AuditAction.CREATE,
                RecordType.ONE_TO_ONE,
                report.id,
                record_id,
                f"{len(draft.actions)} action(s)"
                + ("; with a private note" if draft.private_note else ""),
            ),
        )
        return record_id

    async def _is_twin(
        self,
        session: AsyncSession,
        manager: Person,
        report: Person,
        draft: OneToOneDraft,
        form_token: str | None,
    ) -> bool:
        """A double-clicked Save arrives as two turns at once: the second finds the first (by
        the card's form token, or for a card without one by what it says)."""
        assert draft.held_on is not None
        await duplicates.lock_employee(session, report.id)
        if form_token is not None and not await duplicates.claim_form(
            session, form_token, kind="one_to_one", employee_pk=report.id, now=self._clock.now()
        ):
            return True
        twin = await duplicates.recent_one_to_one(
            session,
            employee_pk=report.id,
            manager_pk=manager.id,
            held_on=draft.held_on,
            shared_notes=draft.shared_notes,
            since=self._clock.now() - DUPLICATE_WINDOW,
        )
        return twin is not None

    async def editable(
        self, manager: Person, record_id: int, *, audit_read: bool = True
    ) -> tuple[OneToOneView, Person]:
        """The record and its employee, if this manager may still edit it. Showing it for
        editing shows the private note, so that read is audited (a save audits itself)."""
        async with self._db.sessions() as session:
            record = await repo.get_one_to_one(session, record_id)
        if record is None or record.manager_id != manager.id:
            raise NotPermitted("You can only edit one-to-ones you logged yourself.")
        report = await self.report_of_pk(manager, record.employee_id)
        deadline = record.logged_at + timedelta(days=self.policy.edit_window_days)
        if self._clock.now() > deadline:
            raise NotPermitted(
                f"One-to-ones can be edited for {self.policy.edit_window_days} days after "
                "they are logged; this one can't be changed any more."
            )
        if audit_read:
            await self._audit.record(self._as(manager, report), *self._reads(report, [record]))
        return record, report

    async def report_of_pk(self, manager: Person, employee_pk: int) -> Person:
        async with self._db.sessions() as session:
            found = await authority.in_charge_of_pk(
                session, manager.id, employee_pk, self._clock.today()
            )
        if found is None:
            raise NotPermitted("Only the employee's current line manager can do that.")
        return found[0]

    async def edit(self, manager: Person, record_id: int, draft: OneToOneDraft) -> Logged:
        _, report = await self.editable(manager, record_id, audit_read=False)
        problems = check_draft(draft, report=report, today=self._clock.today())
        if problems:
            raise InvalidOneToOne(problems)
        assert draft.held_on is not None
        async with self._db.transaction() as session:
            await repo.update_one_to_one(
                session,
                record_id,
                editor_pk=manager.id,
                held_on=draft.held_on,
                notes=draft.notes,
                shared_notes=draft.shared_notes,
                private_note=draft.private_note,
                wellbeing_concern=draft.wellbeing_concern,
                new_actions=[(a.text, a.owner, a.due_on) for a in draft.actions],
                now=self._clock.now(),
            )
            self._audit.note(
                session,
                self._as(manager, report),
                AuditEvent(AuditAction.UPDATE, RecordType.ONE_TO_ONE, report.id, record_id),
            )
            record = await repo.get_one_to_one(session, record_id)
        assert record is not None
        return Logged(record, report)

    async def history(self, manager: Person, report: Person, limit: int = 5) -> list[OneToOneView]:
        await self.report_of(manager, report.employee_id)
        async with self._db.sessions() as session:
            records = await repo.one_to_ones_for(session, report.id, limit)
        await self._audit.record(self._as(manager, report), *self._reads(report, records))
        return records

    @staticmethod
    def _reads(report: Person, records: list[OneToOneView]) -> list[AuditEvent]:
        """A manager's view of one-to-ones: the records, and separately the private notes
        (the event a DPO looks for)."""
        events = [audit.read(RecordType.ONE_TO_ONE, report.id, [r.id for r in records])]
        private = [r.id for r in records if r.private_note]
        if private:
            events.append(audit.read(RecordType.PRIVATE_NOTES, report.id, private))
        return events

    async def my_one_to_ones(self, employee: Person, limit: int = 5) -> list[SharedOneToOne]:
        async with self._db.sessions() as session:
            records = await repo.one_to_ones_for(session, employee.id, limit)
            names = {}
            for record in records:
                if record.manager_id is not None and record.manager_id not in names:
                    manager = await employees.get_person(session, record.manager_id)
                    names[record.manager_id] = manager.name if manager else None
        return [shared_part(r, names.get(r.manager_id or -1)) for r in records]

    async def awaiting_response(self, employee: Person) -> list[SharedOneToOne]:
        """Their one-to-ones not yet acknowledged (most recent first): what the welcome and
        ``my one-to-ones`` offer to acknowledge or comment on."""
        return [r for r in await self.my_one_to_ones(employee, limit=20) if not r.acknowledged]

    async def my_actions(self, person: Person) -> list[ActionView]:
        async with self._db.sessions() as session:
            acting_for = await delegations.teams_acted_for(session, person.id, self.today())
            return await repo.open_actions_owned_by(
                session, person.id, team_manager_pks=[person.id, *acting_for]
            )

    async def complete_action(self, person: Person, action_id: object) -> ActionView:
        """Mark an action done; only its owner may."""
        wanted = form.record_id(action_id)
        if wanted is None:
            raise NotPermitted("That action isn't one of yours.")
        async with self._db.transaction() as session:
            found = await repo.get_action(session, wanted)
            if found is None:
                raise NotPermitted("That action isn't one of yours.")
            action, _held_by = found
            if action.owner == "manager":
                # The manager's actions move with the person: whoever manages them now (line
                # or acting manager), not whoever held the one-to-one before a reorganisation.
                subject = await employees.get_person(
                    session, action.employee_id, as_of=self.today()
                )
                owns = subject is not None and (
                    await authority.acting_for(session, person.id, subject, self.today())
                    is not None
                )
            else:
                owns = action.employee_id == person.id
            if not owns:
                raise NotPermitted("That action isn't one of yours.")
            await repo.mark_actions_done(
                session, [action.id], by_pk=person.id, now=self._clock.now()
            )
            self._audit.note(
                session,
                person,
                AuditEvent(
                    AuditAction.UPDATE,
                    RecordType.ONE_TO_ONE_ACTION,
                    action.employee_id,
                    action.id,
                    "done",
                ),
            )
        return action

    async def respond(
        self, employee: Person, one_to_one_id: object, comment: str | None
    ) -> tuple[OneToOneView, int | None]:
        """The employee acknowledges (and optionally comments on) their one-to-one.

        Returns the record and the manager to tell.
        """
        kind = ResponseKind[OneToOneView](
            RecordType.ONE_TO_ONE,
            repo.get_one_to_one,
            lambda session, pk, who, comment, now: repo.record_employee_response(
                session, pk, employee_pk=who.id, comment=comment, now=now
            ),
            lambda: NotPermitted("That one-to-one isn't yours."),
            lambda problem: InvalidOneToOne([Problem("comment", problem)]),
            MAX_NOTE_CHARS,
        )
        return await respond(
            self._db, self._audit, self._clock, kind, employee, one_to_one_id, comment
        )

    async def team_cadence(self, manager: Person) -> list[TeamMemberCadence]:
        reports = await self.direct_reports(manager)
        ids = [r.id for r in reports]
        async with self._db.sessions() as session:
            last = await repo.last_held_by_employee(session, ids)
            by_employee, by_team = await repo.cadence_overrides(session, ids, [manager.id])
        today = self._clock.today()
        result = []
        for report in reports:
            interval = effective_interval(
                by_employee.get(report.id),
                by_team.get(manager.id),
                self.policy.default_cadence_days,
            )
            status = cadence_status(
                last_held=last.get(report.id),
                start_date=report.start_date,
                as_of=today,
                interval_days=interval,
            )
            result.append(TeamMemberCadence(report, interval, status))
        return result

    async def set_cadence(
        self, *, employee_email: str | None, team_email: str | None, days: int | None
    ) -> Person:
        """HR sets (or with ``days=None`` clears) the expected interval for an employee or
        for a manager's whole team. Returns the person it applies to."""
        if (employee_email is None) == (team_email is None):
            raise ValueError("Name either an employee or a team's manager, not both.")
        if days is not None and not 1 <= days <= 366:
            raise ValueError("The interval must be between 1 and 366 days.")
        email = employee_email or team_email or ""
        async with self._db.transaction() as session:
            person = await employees.get_person_by_email(session, email, as_of=self.today())
            if person is None or not person.is_active(self.today()):
                raise ValueError(f"Nobody in the organisation chart has the email {email}.")
            if team_email is not None and not person.is_manager:
                raise ValueError(f"{person.name} has no direct reports, so has no team.")
            await repo.set_cadence_override(
                session,
                employee_pk=person.id if employee_email else None,
                team_manager_pk=person.id if team_email else None,
                interval_days=days,
                now=self.now(),
            )
            whose = "team" if team_email else "employee"
            self._audit.note(
                session,
                None,
                AuditEvent(
                    AuditAction.UPDATE if days is not None else AuditAction.DELETE,
                    RecordType.CADENCE,
                    person.id,
                    None,
                    f"{whose} interval: " + (f"{days} days" if days else "the default"),
                ),
            )
        return person

    def now(self) -> datetime:
        return self._clock.now()

    def today(self) -> date:
        return self._clock.today()
