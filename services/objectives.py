"""Objectives on the golden thread: who may add, agree, update and close them.

Staff own their objectives and keep them up to date; the line manager agrees them (or
proposes one, which the employee accepts). Every link goes up to a council priority.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domain import form_values as form
from domain.audit import on_behalf_of
from domain.clock import Clock
from domain.errors import Invalid, Refused
from domain.form_tokens import ALREADY_SAVED, token_of
from domain.objective_drafts import (
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    ObjectiveDraft,
    link_problems,
    objective_from_form,
)
from domain.objective_lifecycle import (
    Actor,
    ObjectiveStatus,
    after_edit,
    check_progress,
    status_after_progress,
    transition_error,
)
from domain.people import Person
from domain.records import Choice, ObjectiveView, UpdateView
from domain.smart_check import SmartFinding, smart_check
from services import authority
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from services.authority import Authority
from storage import duplicates, employees
from storage import objectives as repo
from storage.database import Database

# Compatible names: the card rules live in domain.objective_drafts.
__all__ = [
    "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS",
    "Access",
    "InvalidObjective",
    "NotAllowed",
    "ObjectiveDraft",
    "ObjectiveService",
    "objective_from_form",
]


class NotAllowed(Refused):
    """The person may not do this to this objective; the message is safe to show."""


class InvalidObjective(Invalid):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _progress_allowed(objective: ObjectiveView | None) -> None:
    """Refuse progress on an objective that is not agreed yet, or closed (the lifecycle's
    ``status_after_progress`` is the rule; storage applies it to the locked row)."""
    if objective is None:
        raise NotAllowed("That objective isn't yours or your team's.")
    try:
        status_after_progress(ObjectiveStatus(objective.status))
    except ValueError as error:
        raise NotAllowed(
            "Progress can be recorded once an objective is agreed and until it is closed."
        ) from error


@dataclass(frozen=True)
class Access:
    objective: ObjectiveView
    owner: Person
    actor: Actor


class ObjectiveService:
    def __init__(
        self, database: Database, clock: Clock, *, audit: AuditTrail | None = None
    ) -> None:
        self._db = database
        self._clock = clock
        self._audit = audit or AuditTrail(database, clock, "chat")

    def _note(
        self,
        session: AsyncSession,
        person: Person,
        owner: Person,
        action: AuditAction,
        objective_id: int,
        detail: str = "",
    ) -> None:
        """Audit a change to ``owner``'s objective by ``person`` (owner, line manager, or an
        acting manager, who acts for the owner's line manager)."""
        self._audit.note(
            session,
            self._audit.actor(person, on_behalf_of_id=on_behalf_of(person.id, owner)),
            AuditEvent(action, RecordType.OBJECTIVE, owner.id, objective_id, detail),
        )

    def today(self) -> date:
        return self._clock.today()

    async def choices(self, person: Person) -> tuple[list[Choice], list[Choice]]:
        """The council priorities and the plans someone in this department can link to."""
        async with self._db.sessions() as session:
            return await repo.priorities(session), await repo.plans(session, person.department)

    def smart_findings(self, draft: ObjectiveDraft) -> list[SmartFinding]:
        return smart_check(
            title=draft.title,
            measure=draft.measure,
            target_date=draft.target_date,
            today=self.today(),
        )

    async def _check_links(self, person: Person, draft: ObjectiveDraft) -> None:
        priorities, plans = await self.choices(person)
        problems = link_problems(draft, {p.id for p in priorities}, {p.id for p in plans})
        if problems:
            raise InvalidObjective(problems)

    async def add(
        self, owner: Person, draft: ObjectiveDraft, *, form_token: str | None = None
    ) -> ObjectiveView:
        """A member of staff adds an objective for themselves; it starts as a draft."""
        await self._check_links(owner, draft)
        return await self._create(
            owner, owner, draft, proposed_by=Actor.OWNER, form_token=form_token
        )

    async def propose(
        self,
        manager: Person,
        report_ref: object,
        draft: ObjectiveDraft,
        *,
        form_token: str | None = None,
    ) -> ObjectiveView:
        """A manager proposes an objective for a direct report, who accepts or discusses it."""
        report = await self.report_of(manager, report_ref)
        await self._check_links(report, draft)
        return await self._create(
            report, manager, draft, proposed_by=Actor.MANAGER, form_token=form_token
        )

    @asynccontextmanager
    async def _saving_once(
        self, owner: Person, form_token: str | None, kind: str
    ) -> AsyncIterator[AsyncSession]:
        """A write transaction that first claims the card's form token: a second press of
        the same card is refused politely, whatever the concurrency."""
        refuse_twin = duplicates.unique_violation_as(lambda: NotAllowed(ALREADY_SAVED))
        async with refuse_twin, self._db.transaction() as session:
            if form_token is not None and not await duplicates.claim_form(
                session, form_token, kind=kind, employee_pk=owner.id, now=self._clock.now()
            ):
                raise NotAllowed(ALREADY_SAVED)
            yield session

    async def _create(
        self,
        owner: Person,
        author: Person,
        draft: ObjectiveDraft,
        *,
        proposed_by: Actor,
        form_token: str | None,
    ) -> ObjectiveView:
        async with self._saving_once(owner, form_token, "objective") as session:
            objective_id = await repo.add_objective(
                session,
                employee_pk=owner.id,
                title=draft.title,
                measure=draft.measure,
                target_date=draft.target_date,
                priority_id=draft.priority_id,
                plan_id=draft.plan_id,
                status=ObjectiveStatus.DRAFT,
                proposed_by=proposed_by.value,
                smart_overridden=bool(self.smart_findings(draft)),
                created_by_pk=author.id,
                now=self._clock.now(),
            )
            self._note(session, author, owner, AuditAction.CREATE, objective_id)
            view = await repo.get_objective(session, objective_id)
        assert view is not None
        return view

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
            NotAllowed("You can only do that for people who report to you directly."),
        )

    async def access(self, person: Person, objective_id: object) -> Access:
        """Whether ``person`` is the objective's owner or their current line manager."""
        wanted = form.record_id(objective_id)
        if wanted is None:
            raise NotAllowed("That objective isn't yours or your team's.")
        async with self._db.sessions() as session:
            objective = await repo.get_objective(session, wanted)
            owner = (
                await employees.get_person(session, objective.employee_id, as_of=self.today())
                if objective
                else None
            )
        if objective is None or owner is None:
            raise NotAllowed("That objective isn't yours or your team's.")
        if owner.id == person.id:
            return Access(objective, owner, Actor.OWNER)
        async with self._db.sessions() as session:
            acts = await authority.acting_for(session, person.id, owner, self.today())
        if acts is not None:
            return Access(objective, owner, Actor.MANAGER)
        raise NotAllowed("That objective isn't yours or your team's.")

    async def mine(self, person: Person, *, include_closed: bool = False) -> list[ObjectiveView]:
        async with self._db.sessions() as session:
            return await repo.objectives_for(session, person.id, include_closed=include_closed)

    async def for_report(
        self, manager: Person, report_ref: object
    ) -> tuple[Person, list[ObjectiveView]]:
        report = await self.report_of(manager, report_ref)
        async with self._db.sessions() as session:
            return report, await repo.objectives_for(session, report.id, include_closed=True)

    async def agree(self, person: Person, objective_id: object) -> Access:
        found = await self.access(person, objective_id)
        return await self._change_status(person, found, ObjectiveStatus.AGREED, "")

    async def change_status(
        self, person: Person, objective_id: object, status: object, comment: str = ""
    ) -> Access:
        found = await self.access(person, objective_id)
        try:
            target = ObjectiveStatus(str(status))
        except ValueError as error:
            raise NotAllowed("That isn't a status an objective can have.") from error
        return await self._change_status(person, found, target, comment)

    async def _change_status(
        self, person: Person, found: Access, target: ObjectiveStatus, comment: str
    ) -> Access:
        async with self._db.transaction() as session:
            # Checked on the row as it is now, locked: an edit that lands between reading
            # the card and pressing Agree changes who may agree it.
            locked = await repo.lock_objective(session, found.objective.id)
            if locked is None:
                raise NotAllowed("That objective isn't yours or your team's.")
            error = transition_error(
                ObjectiveStatus(locked.status),
                target,
                found.actor,
                proposed_by=Actor(locked.proposed_by),
            )
            if error:
                raise NotAllowed(error)
            await repo.set_status(
                session,
                found.objective.id,
                status=target.value,
                actor_pk=person.id,
                comment=comment[:MAX_TEXT_CHARS],
                now=self._clock.now(),
            )
            self._note(
                session,
                person,
                found.owner,
                AuditAction.UPDATE,
                found.objective.id,
                f"status: {target.value}",
            )
            updated = await repo.get_objective(session, found.objective.id)
        assert updated is not None
        return Access(updated, found.owner, found.actor)

    async def discuss(
        self,
        person: Person,
        objective_id: object,
        comment: object,
        *,
        form_token: str | None = None,
    ) -> Access:
        found = await self.access(person, objective_id)
        said = comment.strip() if isinstance(comment, str) else ""
        if len(said) > MAX_TEXT_CHARS:
            raise InvalidObjective([f"Please keep it under {MAX_TEXT_CHARS:,} characters."])
        async with self._saving_once(found.owner, form_token, "objective_discuss") as session:
            await repo.add_discussion(
                session,
                found.objective.id,
                author_pk=person.id,
                comment=said,
                now=self._clock.now(),
            )
            self._note(
                session, person, found.owner, AuditAction.UPDATE, found.objective.id, "discussed"
            )
        return found

    async def update_progress(
        self, person: Person, objective_id: object, values: Mapping[str, object]
    ) -> Access:
        found = await self.access(person, objective_id)
        _progress_allowed(found.objective)
        update, problems = check_progress(
            values.get("percent"), values.get("rag"), values.get("comment")
        )
        if update is None:
            raise InvalidObjective(problems)
        async with self._saving_once(found.owner, token_of(values), "progress") as session:
            # Checked again on the locked row: it may have been closed since the card was read.
            _progress_allowed(await repo.lock_objective(session, found.objective.id))
            await repo.add_progress(
                session,
                found.objective.id,
                percent=update.percent,
                rag=update.rag.value,
                comment=update.comment,
                author_pk=person.id,
                now=self._clock.now(),
            )
            self._note(
                session, person, found.owner, AuditAction.UPDATE, found.objective.id, "progress"
            )
            updated = await repo.get_objective(session, found.objective.id)
        assert updated is not None
        return Access(updated, found.owner, found.actor)

    async def edit(
        self,
        person: Person,
        objective_id: object,
        draft: ObjectiveDraft,
        *,
        form_token: str | None = None,
    ) -> Access:
        """The owner changes what the objective says; an agreed one needs agreeing again."""
        found = await self.access(person, objective_id)
        if found.actor is not Actor.OWNER:
            raise NotAllowed("Only the person whose objective it is can change its wording.")
        try:
            edited = after_edit(ObjectiveStatus(found.objective.status), found.actor)
        except ValueError as error:
            raise NotAllowed("This objective is closed and can't be changed.") from error
        await self._check_links(person, draft)
        async with self._saving_once(found.owner, form_token, "objective_edit") as session:
            await repo.edit_objective(
                session,
                found.objective.id,
                title=draft.title,
                measure=draft.measure,
                target_date=draft.target_date,
                priority_id=draft.priority_id,
                plan_id=draft.plan_id,
                new_status=edited.status.value,
                proposed_by=edited.proposed_by.value,
                smart_overridden=bool(self.smart_findings(draft)),
                editor_pk=person.id,
                now=self._clock.now(),
            )
            self._note(
                session, person, found.owner, AuditAction.UPDATE, found.objective.id, "edited"
            )
            updated = await repo.get_objective(session, found.objective.id)
        assert updated is not None
        return Access(updated, found.owner, found.actor)

    async def history(self, person: Person, objective_id: object) -> list[UpdateView]:
        found = await self.access(person, objective_id)
        async with self._db.sessions() as session:
            return await repo.history(session, found.objective.id)

    async def owned(self, person: Person, objective_id: object) -> ObjectiveView:
        """The objective, for its owner to reword; refuses anyone else, their manager too."""
        found = await self.access(person, objective_id)
        if found.actor is not Actor.OWNER:
            raise NotAllowed("Only the person whose objective it is can change its wording.")
        return found.objective
