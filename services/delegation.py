"""Delegation: an acting manager looks after a line manager's team for a period.

Rules (checked here, on the server, whatever a card or command says):

* **Who may delegate.** An HR admin may delegate any manager's team; a manager only their
  own. The team is the manager's active direct reports in the organisation chart.
* **Who may act.** The acting manager must be an active employee through the whole period,
  not the team's own manager, and must not sit anywhere below the manager in the
  organisation chart: not in the team, and not in any team member's reporting line below
  them (nobody line manages themselves, their colleagues or their own bosses). See
  :func:`delegate_placement`.
* **Who confirms.** Someone in the manager's own chain of managers (their manager, that
  person's manager, and so on) may act at once. Anyone else (a peer, someone in another
  department) needs an HR admin to confirm; until then the delegation is pending and grants
  nothing. A delegation an HR admin sets up (in chat or with ``charter delegate``) is
  confirmed by doing so.
* **After a reorganisation.** Where the acting manager sits is checked again every day it
  is used (:mod:`domain.delegation_rules`, applied by storage's one in-force query): moved
  below the team, it grants nothing; moved out of the manager's chain, it grants nothing
  until an HR admin has confirmed one.
* **When.** From today or a later day (never the past) to an end date that is inclusive, at
  most ``MAX_DELEGATION_DAYS`` after the start and no later than the acting manager's last
  day. A delegation cannot start more than ``MAX_DELEGATION_DAYS`` ahead either.
* **One at a time.** A team has at most one acting manager on any day. A new delegation
  whose period overlaps a live one is *refused*, naming the one in the way: replacing it
  silently would take a team away from someone mid-task without them being told. End the
  old one first (``end delegation``), which takes effect at once.
* **Ending.** The team's manager, the person who set it up, or an HR admin can end it; the
  acting manager can also stand down. Ending keeps the row (revoked, with who and when), so
  the record of who acted for whom survives.

During the period the acting manager may do what the line manager does for that team (see
``services.authority``) and gets the team's reminders; the line manager keeps their rights.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.delegation_rules import (
    CHANNELS,
    MAX_DELEGATION_DAYS,
    DelegationRefused,
    DelegationRequest,
    InvalidDelegation,
    Placement,
    clash_problem,
    delegate_placement,
    delegation_problems,
    may_delegate,
    may_end,
    needs_hr_confirmation,
)
from domain.people import Person
from domain.records import DelegationView
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from storage import delegations as repo
from storage import duplicates, employees
from storage.database import Database

# The rules live in domain.delegation_rules; their names are kept here for chat and the CLI.
__all__ = [
    "CHANNELS",
    "MAX_DELEGATION_DAYS",
    "DelegationProposal",
    "DelegationRefused",
    "DelegationRequest",
    "DelegationService",
    "InvalidDelegation",
    "Placement",
    "clash_problem",
    "delegate_placement",
    "delegation_problems",
    "may_delegate",
    "may_end",
    "needs_hr_confirmation",
]


@dataclass(frozen=True)
class DelegationProposal:
    """A delegation someone asked for, checked but not saved: what the confirm card shows."""

    manager: Person
    delegate: Person
    starts_on: date
    ends_on: date
    team: tuple[Person, ...]  # the manager's active direct reports today
    needs_hr_confirmation: bool


def _team_events(
    action: AuditAction, delegation_id: int, manager_id: int, team: list[int], detail: str
) -> list[AuditEvent]:
    """One event about the manager, and one about each team member: each person's own audit
    shows who was given access to their records, and for when."""
    return [
        AuditEvent(action, RecordType.DELEGATION, subject, delegation_id, detail)
        for subject in [manager_id, *team]
    ]


class DelegationService:
    def __init__(self, database: Database, clock: Clock, audit: AuditTrail | None = None) -> None:
        self._db = database
        self._clock = clock
        self._audit = audit

    def today(self) -> date:
        return self._clock.today()

    async def propose(
        self,
        actor: Person,
        manager: Person,
        delegate: Person,
        *,
        ends_on: date,
        starts_on: date | None = None,
    ) -> DelegationProposal:
        """What setting this delegation up would do, checked exactly as :meth:`create`
        checks it, but saving nothing: chat shows it and asks before handing the team over."""
        today = self.today()
        request = DelegationRequest(manager, delegate, starts_on or today, ends_on)
        async with self._db.sessions() as session:
            team, placement = await self._checked(session, actor, request, today)
        return DelegationProposal(
            manager=manager,
            delegate=delegate,
            starts_on=request.starts_on,
            ends_on=ends_on,
            team=tuple(team),
            needs_hr_confirmation=needs_hr_confirmation(actor, placement),
        )

    async def _checked(
        self,
        session: AsyncSession,
        actor: Person | None,
        request: DelegationRequest,
        today: date,
    ) -> tuple[list[Person], Placement]:
        """The team and where the delegate sits, once every rule allows the request (the
        actor's authority, the people, the dates, no clash); raises otherwise."""
        manager, delegate = request.manager, request.delegate
        if actor is not None and not may_delegate(actor, manager):
            raise DelegationRefused(
                "You can delegate your own team; HR can delegate anyone's team."
            )
        team = await employees.active_direct_reports(session, manager.id, today)
        placement = delegate_placement(manager.id, delegate.id, await repo.line_managers(session))
        problems = delegation_problems(
            request, team_ids={p.id for p in team}, today=today, placement=placement
        )
        clash = await repo.overlapping(session, manager.id, request.starts_on, request.ends_on)
        if clash:
            problems.append(clash_problem(manager, clash[0]))
        if problems:
            raise InvalidDelegation(problems)
        return team, placement

    async def create(
        self,
        actor: Person | None,
        manager: Person,
        delegate: Person,
        *,
        ends_on: date,
        starts_on: date | None = None,
        channel: str = "chat",
    ) -> DelegationView:
        """Set up a delegation. ``actor`` None means HR at the command line. Every rule is
        checked again here, under the team's lock, whatever was proposed before."""
        today = self.today()
        request = DelegationRequest(manager, delegate, starts_on or today, ends_on)
        async with self._db.transaction() as session:
            # Two requests for one team at once: the second waits here and then sees the
            # first, so a team never has two live delegations.
            await duplicates.lock_employee(session, manager.id)
            team, placement = await self._checked(session, actor, request, today)
            delegation_id = await repo.add_delegation(
                session,
                manager_pk=manager.id,
                delegate_pk=delegate.id,
                starts_on=request.starts_on,
                ends_on=ends_on,
                created_by_pk=actor.id if actor is not None else None,
                created_via=channel if channel in CHANNELS else "chat",
                now=self._clock.now(),
                confirmed=not needs_hr_confirmation(actor, placement),
            )
            created = await repo.get_delegation(session, delegation_id)
            assert created is not None
            self._note_created(session, actor, created, [p.id for p in team])
        return created

    def _note_created(
        self,
        session: AsyncSession,
        actor: Person | None,
        created: DelegationView,
        team_ids: list[int],
    ) -> None:
        if self._audit is None:
            return
        detail = (
            f"{created.delegate_email} acts for {created.manager_email} "
            f"{created.starts_on.isoformat()} to {created.ends_on.isoformat()}"
            + ("; awaiting HR confirmation" if created.awaiting_confirmation else "")
        )
        self._audit.note(
            session,
            actor,
            *_team_events(AuditAction.CREATE, created.id, created.manager_id, team_ids, detail),
        )

    async def end(self, actor: Person | None, delegation_id: int) -> DelegationView:
        """End a delegation now (or cancel one that hasn't started)."""
        async with self._db.transaction() as session:
            found = await repo.get_delegation(session, delegation_id)
            if found is None or (actor is not None and not may_end(actor, found)):
                raise DelegationRefused("I couldn't find that delegation among yours.")
            if found.revoked_at is not None or found.ends_on < self.today():
                raise InvalidDelegation(["That delegation has already ended."])
            await repo.revoke(
                session, found.id, by_pk=actor.id if actor else None, now=self._clock.now()
            )
            ended = await repo.get_delegation(session, found.id)
            assert ended is not None
            await self._note_change(
                session,
                actor,
                found,
                f"ended: {found.delegate_email} no longer acts for {found.manager_email} "
                f"(was {found.starts_on.isoformat()} to {found.ends_on.isoformat()})",
            )
        return ended

    async def confirm(self, actor: Person | None, delegation_id: int) -> DelegationView:
        """An HR admin (``actor`` None: HR at the command line) confirms a pending one."""
        if actor is not None and not actor.is_hr_admin:
            raise DelegationRefused("Only an HR admin can confirm a delegation.")
        async with self._db.transaction() as session:
            found = await repo.get_delegation(session, delegation_id)
            if found is None:
                raise DelegationRefused("I couldn't find that delegation.")
            await duplicates.lock_employee(session, found.manager_id)
            found = await repo.get_delegation(session, delegation_id)
            assert found is not None
            if found.revoked_at is not None or found.ends_on < self.today():
                raise InvalidDelegation(["That delegation has already ended."])
            if not found.awaiting_confirmation:
                raise InvalidDelegation(["That delegation is already confirmed."])
            await self._recheck_before_confirming(session, found)
            await repo.confirm(
                session, found.id, by_pk=actor.id if actor else None, now=self._clock.now()
            )
            confirmed = await repo.get_delegation(session, found.id)
            assert confirmed is not None
            await self._note_change(
                session,
                actor,
                found,
                f"confirmed by HR: {found.delegate_email} acts for {found.manager_email} "
                f"{found.starts_on.isoformat()} to {found.ends_on.isoformat()}",
            )
        return confirmed

    async def _note_change(
        self, session: AsyncSession, actor: Person | None, found: DelegationView, detail: str
    ) -> None:
        """Audit a change to a delegation against the manager and each of today's team."""
        if self._audit is None:
            return
        team = await employees.active_direct_reports(session, found.manager_id, self.today())
        self._audit.note(
            session,
            actor,
            *_team_events(
                AuditAction.UPDATE, found.id, found.manager_id, [p.id for p in team], detail
            ),
        )

    async def _recheck_before_confirming(
        self, session: AsyncSession, found: DelegationView
    ) -> None:
        """The chart may have changed since it was asked for: never confirm someone who now
        sits below the team."""
        placement = delegate_placement(
            found.manager_id, found.delegate_id, await repo.line_managers(session)
        )
        if placement is Placement.BELOW:
            raise InvalidDelegation(
                [
                    f"{found.delegate_name} now sits below {found.manager_name}'s team in the "
                    "organisation chart, so they can't be its acting manager. End this "
                    "delegation and set up another."
                ]
            )

    async def awaiting_confirmation(self) -> list[DelegationView]:
        """Live delegations waiting for an HR admin to confirm them."""
        return [d for d in await self.all_live() if d.awaiting_confirmation]

    async def of_team(self, manager: Person) -> list[DelegationView]:
        """Current and upcoming delegations of this manager's team."""
        async with self._db.sessions() as session:
            return await repo.current_and_upcoming(session, self.today(), manager_pk=manager.id)

    async def acting_as(self, person: Person) -> list[DelegationView]:
        """Current and upcoming delegations where this person is the acting manager."""
        async with self._db.sessions() as session:
            return await repo.current_and_upcoming(session, self.today(), delegate_pk=person.id)

    async def endable_by(self, person: Person) -> list[DelegationView]:
        """The live delegations this person may end: HR any; others their team's and their
        own acting roles (``end`` checks again, whatever a card submits)."""
        if person.is_hr_admin:
            return await self.all_live()
        found = await self.of_team(person)
        return found + [d for d in await self.acting_as(person) if d not in found]

    async def all_live(self) -> list[DelegationView]:
        async with self._db.sessions() as session:
            return await repo.current_and_upcoming(session, self.today())

    async def is_acting_manager(self, person: Person) -> bool:
        async with self._db.sessions() as session:
            return bool(await repo.teams_acted_for(session, person.id, self.today()))
