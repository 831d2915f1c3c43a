"""Annual Performance Reviews: employee-driven preparation, recording by the line manager,
and where everyone stands in the cycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain import form_values as form
from domain.apr_cycle import AprCyclePolicy, AprStatus, apr_status, current_window, long_date
from domain.clock import Clock
from domain.errors import Invalid, Refused
from domain.form_tokens import ALREADY_SAVED, token_of
from domain.objective_lifecycle import ObjectiveStatus
from domain.people import Person
from domain.records import AprView, ObjectiveView, PreparationView
from services import authority
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from services.authority import Authority
from services.objectives import ObjectiveDraft
from storage import aprs as repo
from storage import duplicates, employees
from storage import objectives as objective_repo
from storage.database import Database

MAX_TEXT = 4000
OUTCOMES = ("achieved", "partly_achieved", "not_achieved", "continuing")
THEMES = ("Drive", "Think", "Feel", "Connect", "Inspire")
REVIEWABLE = ("agreed", "in_progress")
NEXT_ROWS = 2


class AprNotAllowed(Refused):
    """Safe to show: why this person cannot do this."""


class InvalidApr(Invalid):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class AprDraft:
    held_on: date | None
    reviews: dict[int, tuple[str, str]]
    overall_comments: str
    leadership_themes: tuple[str, ...]
    development_needs: str
    learning_needs: str
    next_objectives: tuple[ObjectiveDraft, ...]


@dataclass(frozen=True)
class RecordedApr:
    apr: AprView
    report: Person
    objective_titles: dict[int, str]
    new_objectives: tuple[ObjectiveView, ...]


def apr_from_form(
    values: Mapping[str, object], reviewable: list[ObjectiveView], *, report: Person, today: date
) -> tuple[AprDraft, list[str]]:
    problems: list[str] = []
    held_on = form.iso_date(values, "held_on")
    if held_on is None:
        problems.append("Please give the date the APR was held.")
    elif held_on > today:
        problems.append("The date can't be in the future.")
    elif held_on < report.start_date:
        problems.append(f"{report.first_name} started on {report.start_date:%-d %B %Y}.")
    reviews: dict[int, tuple[str, str]] = {}
    for objective in reviewable:
        outcome = form.text(values, f"outcome_{objective.id}")
        if outcome not in OUTCOMES:
            problems.append(f"Choose an outcome for \u201c{objective.title}\u201d.")
            continue
        reviews[objective.id] = (outcome, form.text(values, f"review_{objective.id}")[:2000])
    themes_raw = form.text(values, "leadership_themes")
    themes = tuple(t for t in (p.strip() for p in themes_raw.split(",")) if t in THEMES)
    if not report.is_manager:
        themes = ()
    texts = {
        key: form.text(values, key)
        for key in ("overall_comments", "development_needs", "learning_needs")
    }
    for key, value in texts.items():
        if len(value) > MAX_TEXT:
            problems.append(f"Please keep {key.replace('_', ' ')} under {MAX_TEXT:,} characters.")
    if not texts["overall_comments"] and not reviews:
        problems.append("Add overall comments, so the APR says how the year went.")
    next_objectives = []
    for i in range(1, NEXT_ROWS + 1):
        title = form.text(values, f"next_{i}_title")
        if not title:
            continue
        priority = form.record_id(form.text(values, f"next_{i}_priority_id"))
        if priority is None:
            problems.append(f"Choose the council priority for next year's objective {i}.")
            continue
        next_objectives.append(
            ObjectiveDraft(
                title=title[:300],
                measure=form.text(values, f"next_{i}_measure")[:2000],
                target_date=form.iso_date(values, f"next_{i}_target_date"),
                priority_id=priority,
                plan_id=None,
            )
        )
    draft = AprDraft(
        held_on=held_on,
        reviews=reviews,
        overall_comments=texts["overall_comments"],
        leadership_themes=themes,
        development_needs=texts["development_needs"],
        learning_needs=texts["learning_needs"],
        next_objectives=tuple(next_objectives),
    )
    return draft, problems


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
        return [o for o in objectives if o.status in REVIEWABLE], prep

    async def prepare(self, employee: Person, values: Mapping[str, object]) -> PreparationView:
        objectives, _ = await self.preparation(employee)
        achievements = {
            str(o.id): form.text(values, f"achievement_{o.id}")[:2000]
            for o in objectives
            if form.text(values, f"achievement_{o.id}")
        }
        fields = {
            key: form.text(values, key)
            for key in ("obstacles", "development_wishes", "support_wanted")
        }
        if not achievements and not any(fields.values()):
            raise InvalidApr(["Write something before sharing it with your manager."])
        if any(len(v) > 2000 for v in fields.values()):
            raise InvalidApr(["Please keep each answer under 2,000 characters."])
        label = await self.cycle_label(employee)
        token = token_of(values)
        refuse_twin = duplicates.unique_violation_as(lambda: AprNotAllowed(ALREADY_SAVED))
        async with refuse_twin, self._db.transaction() as session:
            # Saving the same card twice at once would race to insert the cycle's row.
            if token is not None and not await duplicates.claim_form(
                session,
                token,
                kind="apr_preparation",
                employee_pk=employee.id,
                now=self._clock.now(),
            ):
                raise AprNotAllowed(ALREADY_SAVED)
            await repo.save_preparation(
                session,
                employee_pk=employee.id,
                cycle_label=label,
                achievements=achievements,
                now=self._clock.now(),
                **fields,
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
        report, reviewable, _ = await self._recording_context(manager, report_ref, audit_read=False)
        draft, problems = apr_from_form(values, reviewable, report=report, today=self.today())
        async with self._db.sessions() as session:
            valid_priorities = {c.id for c in await objective_repo.priorities(session)}
        for objective in draft.next_objectives:
            if objective.priority_id not in valid_priorities:
                problems.append("Choose one of the council priorities listed.")
        if problems:
            raise InvalidApr(problems)
        assert draft.held_on is not None
        now = self._clock.now()
        token = token_of(values)
        refuse_twin = duplicates.unique_violation_as(lambda: AprNotAllowed(ALREADY_SAVED))
        async with refuse_twin, self._db.transaction() as session:
            # One APR card saves once: a second press finds this card's token. A card
            # without one (sent before tokens existed) still queues on the employee's row
            # and then finds the APR the first press saved for that day.
            await duplicates.lock_employee(session, report.id)
            if token is not None and not await duplicates.claim_form(
                session, token, kind="apr", employee_pk=report.id, now=now
            ):
                raise AprNotAllowed(ALREADY_SAVED)
            if await repo.held_on_day(session, report.id, draft.held_on) is not None:
                raise AprNotAllowed(
                    f"An APR for {report.first_name} held on {long_date(draft.held_on)} is "
                    "already recorded."
                )
            apr_id = await repo.add_apr(
                session,
                employee_pk=report.id,
                # The line manager of record, also when an acting manager held it.
                manager_pk=report.manager_id,
                held_on=draft.held_on,
                overall_comments=draft.overall_comments,
                leadership_themes=draft.leadership_themes,
                development_needs=draft.development_needs,
                learning_needs=draft.learning_needs,
                reviews=[(oid, out, c) for oid, (out, c) in draft.reviews.items()],
                source="chat",
                now=now,
            )
            for objective_id, (outcome, comment) in draft.reviews.items():
                if outcome != "continuing":
                    await objective_repo.set_status(
                        session,
                        objective_id,
                        status=ObjectiveStatus(outcome).value,
                        actor_pk=manager.id,
                        comment=comment,
                        now=now,
                    )
            new_ids = []
            for objective in draft.next_objectives:
                new_ids.append(
                    await objective_repo.add_objective(
                        session,
                        employee_pk=report.id,
                        title=objective.title,
                        measure=objective.measure,
                        target_date=objective.target_date,
                        priority_id=objective.priority_id,
                        plan_id=None,
                        status="agreed",
                        proposed_by="manager",
                        smart_overridden=False,
                        created_by_pk=manager.id,
                        now=now,
                        from_apr_id=apr_id,
                    )
                )
            behalf = report.manager_id if report.manager_id != manager.id else None
            reviewed = [i for i, (outcome, _) in draft.reviews.items() if outcome != "continuing"]
            self._audit.note(
                session,
                self._audit.actor(manager, on_behalf_of_id=behalf),
                AuditEvent(AuditAction.CREATE, RecordType.APR, report.id, apr_id),
                *(
                    AuditEvent(AuditAction.UPDATE, RecordType.OBJECTIVE, report.id, i, "at APR")
                    for i in reviewed
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
                    AuditAction.READ,
                    RecordType.APR,
                    report.id,
                    apr_id,
                    "sent to them to acknowledge",
                ),
            )
            apr = await repo.get_apr(session, apr_id)
            new = [await objective_repo.get_objective(session, i) for i in new_ids]
        assert apr is not None
        titles = {o.id: o.title for o in reviewable}
        return RecordedApr(apr, report, titles, tuple(o for o in new if o is not None))

    async def respond(
        self, employee: Person, apr_id: object, comment: str | None
    ) -> tuple[AprView, int | None]:
        wanted = form.record_id(apr_id)
        if wanted is None:
            raise AprNotAllowed("That APR isn't yours.")
        comment, problem = form.comment_problem(comment, MAX_TEXT)
        if problem:
            raise InvalidApr([problem])
        async with self._db.transaction() as session:
            apr = await repo.get_apr(session, wanted)
            if apr is None or apr.employee_id != employee.id:
                raise AprNotAllowed("That APR isn't yours.")
            await repo.record_response(session, apr.id, comment=comment, now=self._clock.now())
            self._audit.note(
                session,
                employee,
                AuditEvent(
                    AuditAction.UPDATE,
                    RecordType.APR,
                    employee.id,
                    apr.id,
                    "commented" if comment else "acknowledged",
                ),
            )
            updated = await repo.get_apr(session, apr.id)
            # Whoever manages them now (after a reorganisation, not the record's manager).
            tell = await authority.current_manager_pk(session, employee, self.today())
        assert updated is not None
        return updated, tell
