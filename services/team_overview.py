"""`my team`: a manager's whole team at a glance, one row per direct report.

Each row says where the person stands on one-to-ones (against their cadence), their APR this
cycle, any return-to-work conversation due, their objectives and their sickness over the
trigger window, and the one thing to do next. Rows are built from ``storage.staff_facts``:
a fixed number of queries per team, whatever its size.

Who sees which team: a manager their own; an acting manager the team they act for (during
the delegation); a manager of managers any team below them in the chart; HR admins any team.

What they see of it (``TeamAccess``): sickness is health data, so its occasions, days, trigger
status, return to work due and "off sick" are shown only to the line manager (or acting
manager) and HR, as ``absences for`` allows. A manager of managers looking at a team below
them (skip level) sees one-to-ones, APRs and objectives only. Buttons are only offered for
what the viewer may do: the line manager's next step for the line (or acting) manager, "See
absence" for HR, none for a skip-level viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from domain.apr_cycle import AprState, AprStatus
from domain.cadence import CadenceStatus
from domain.clock import Clock
from domain.date_words import days_ago, format_short, plural
from domain.errors import Refused
from domain.name_match import match_people
from domain.people import Person
from domain.rtw import RtwDue, RtwState
from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from services.staff_status import (
    StaffRules,
    apr_standing,
    interval_days,
    one_to_one_status,
    rtw_standing,
    trigger_standing,
)
from storage import delegations, employees
from storage.database import Database
from storage.staff_facts import StaffFacts, staff_facts

MAX_CHAIN = 50  # org charts are never this deep; stops a loop in bad data


class TeamNotYours(Refused):
    """Safe to show: why this person can't see that team."""


class TeamAccess(StrEnum):
    LINE_MANAGER = "line_manager"  # the team's line manager, or its acting manager
    HR = "hr"  # an HR admin looking at someone else's team
    SKIP_LEVEL = "skip_level"  # a manager of managers looking at a team below them

    @property
    def shows_health(self) -> bool:
        """Sickness, trigger points and return to work: special category health data."""
        return self is not TeamAccess.SKIP_LEVEL


HEALTH_NOT_SHOWN = (
    "Sickness and return-to-work details are shown only to the line manager (or acting "
    "manager) and HR."
)
# Next steps about absence. HR may open the absence record from them; the line manager's
# steps themselves (logging a one-to-one, an RTW or an APR) are the line manager's alone.
HEALTH_ACTIONS = frozenset({"log_rtw", "back_at_work", "absences_for"})


@dataclass(frozen=True)
class NextAction:
    command: str  # an existing command payload, e.g. "log_rtw"
    label: str


@dataclass(frozen=True)
class TeamRow:
    employee_pk: int
    employee_id: str  # the HR id the buttons carry
    name: str
    one_to_one: str
    one_to_one_state: str  # on_track, due_soon, overdue, never_held
    apr: str
    apr_state: str
    rtw: str | None
    rtw_state: str | None
    objectives: str
    sickness: str | None  # None when the viewer may not see health data (skip level)
    trigger_reached: bool | None  # likewise
    off_sick_since: date | None
    manages_people: bool
    next_action: NextAction | None
    next_reason: str
    # What needs the manager's attention, most pressing first: (kind, words), e.g.
    # ("apr", "APR overdue by 159 days"). Kinds: ATTENTION_KINDS.
    attention: tuple[tuple[str, str], ...] = ()

    @property
    def urgent(self) -> bool:
        """Something is overdue (or someone is off sick), not merely waiting."""
        return any(kind in URGENT_KINDS for kind, _ in self.attention)


# Every kind of thing `my team` counts, in the order the card names them.
ATTENTION_KINDS: dict[str, tuple[str, str]] = {
    "rtw": ("return to work due", "returns to work due"),
    "off_sick": ("off sick", "off sick"),
    "one_to_one": ("one-to-one overdue", "one-to-ones overdue"),
    "apr": ("APR overdue", "APRs overdue"),
    "apr_due": ("APR due", "APRs due"),
    "objectives": ("objectives to agree", "objectives to agree"),
    "trigger": ("at a trigger point", "at a trigger point"),
}
URGENT_KINDS = frozenset({"rtw", "one_to_one", "apr", "off_sick"})


def attention_items(
    cadence: CadenceStatus, apr: AprStatus, draft_objectives: int, health: _Health | None
) -> tuple[tuple[str, str], ...]:
    """Everything about one person that needs their manager, every kind counted (health
    only when the viewer may see it, so it can't be inferred)."""
    found: list[tuple[str, str]] = []
    rtw = health.rtw if health else None
    if rtw is not None and rtw.state in (RtwState.OVERDUE, RtwState.DUE):
        found.append(("rtw", f"Return to work {rtw.state.value.replace('_', ' ')}"))
    if health is not None and health.off_since is not None:
        found.append(("off_sick", f"Off sick since {format_short(health.off_since)}"))
    if cadence.state == "overdue":
        found.append(("one_to_one", f"1:1 overdue by {_days(cadence.days_overdue or 0)}"))
    if apr.state is AprState.OVERDUE:
        found.append(("apr", f"APR {apr.reason[:1].lower()}{apr.reason[1:]}"))
    elif apr.state is AprState.DUE:
        found.append(("apr_due", f"APR {apr.reason[:1].lower()}{apr.reason[1:]}"))
    if draft_objectives:
        plural = "s" if draft_objectives != 1 else ""
        found.append(("objectives", f"{draft_objectives} objective{plural} to agree"))
    if health is not None and health.trigger_reached:
        found.append(("trigger", "Sickness trigger point reached"))
    return tuple(found)


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class Team:
    manager: Person
    rows: tuple[TeamRow, ...]
    acting: bool = False  # the viewer sees it as acting manager
    access: TeamAccess = TeamAccess.LINE_MANAGER
    may_open_teams: bool = True  # the viewer may open the teams of managers in this one

    @property
    def health_note(self) -> str | None:
        return None if self.access.shows_health else HEALTH_NOT_SHOWN


def _one_to_one_text(status: CadenceStatus, interval: int) -> str:
    every = f"every {interval} days"
    if status.last_held is None:
        if status.state == "overdue":
            return f"Never held: overdue by {plural(status.days_overdue, 'day')} ({every})"
        return f"None yet: first due {format_short(status.next_due)} ({every})"
    ago = days_ago(status.days_since or 0)
    if status.state == "overdue":
        return f"{ago}: overdue by {plural(status.days_overdue, 'day')} ({every})"
    if status.state == "due_soon":
        return f"{ago}: due by {format_short(status.next_due)} ({every})"
    return f"{ago}: on track ({every})"


def _rtw_text(due: RtwDue) -> str:
    if due.state is RtwState.OVERDUE:
        late = f", {plural(due.days_overdue, 'working day')} late" if due.days_overdue else ""
        return f"Overdue: was due by {format_short(due.deadline)}{late}"
    if due.state is RtwState.DUE:
        return f"Due by {format_short(due.deadline)}"
    return f"Due on {format_short(due.due_on)} (by {format_short(due.deadline)})"


def _objectives_text(person: StaffFacts) -> str:
    parts = []
    if person.live_objectives:
        rag = ", ".join(
            f"{person.rag[k]} {k}" for k in ("red", "amber", "green") if person.rag.get(k)
        )
        parts.append(f"{person.live_objectives} agreed" + (f" ({rag})" if rag else ""))
    if person.draft_objectives:
        parts.append(f"{person.draft_objectives} waiting to be agreed")
    return "; ".join(parts) or "None agreed"


@dataclass(frozen=True)
class _Health:
    """A report's sickness over the trigger window and any return to work waiting."""

    sickness: str
    trigger_reached: bool
    rtw: RtwDue | None
    off_since: date | None


def _health(person: StaffFacts, rules: StaffRules, as_of: date) -> _Health:
    triggers = trigger_standing(person, rules, as_of)
    waiting = [
        due
        for spell in person.sickness
        if spell.rtw_held_on is None
        and (due := rtw_standing(person, spell, rules, as_of)) is not None
    ]
    rtw = max(
        waiting, key=lambda d: (d.state is RtwState.OVERDUE, -d.deadline.toordinal()), default=None
    )
    off_since = next((s.start_date for s in person.sickness if s.end_date is None), None)
    occasions = f"{triggers.occasions} occasion{'s' if triggers.occasions != 1 else ''}"
    sickness = f"{occasions}, {triggers.working_days_lost} working days in 12 months"
    if triggers.reached:
        sickness += ": trigger point reached"
    if off_since is not None:
        sickness = f"Off sick since {format_short(off_since)}. {sickness}"
    return _Health(sickness, triggers.reached, rtw, off_since)


def _next_step(
    person: StaffFacts, cadence: CadenceStatus, apr_state: AprState, health: _Health | None
) -> tuple[NextAction | None, str]:
    """The most pressing thing to do, as the line manager would do it. Without ``health``
    (the viewer may not see it) absence never decides the step, so it can't be inferred."""
    rtw = health.rtw if health else None
    if rtw is not None and rtw.state in (RtwState.OVERDUE, RtwState.DUE):
        return NextAction("log_rtw", "Log RTW"), "Return-to-work conversation"
    if health is not None and health.off_since is not None:
        return NextAction("back_at_work", "Back at work"), "Off sick"
    if cadence.state == "overdue":
        return NextAction("log_one_to_one", "Log 1:1"), "One-to-one overdue"
    if apr_state in (AprState.OVERDUE, AprState.DUE):
        return NextAction("record_apr", "Record APR"), f"APR {apr_state.value}"
    if person.draft_objectives:
        return NextAction("objectives_for", "Agree objectives"), "Objective to agree"
    if health is not None and health.trigger_reached:
        return NextAction("absences_for", "See absence"), "Trigger point reached"
    if cadence.state in ("due_soon", "never_held"):
        return NextAction("log_one_to_one", "Log 1:1"), "One-to-one due soon"
    return None, "Nothing due"


def _offered(action: NextAction | None, access: TeamAccess) -> NextAction | None:
    """The button for the next step, if this viewer can take it."""
    if action is None or access is TeamAccess.LINE_MANAGER:
        return action
    if access is TeamAccess.HR and action.command in HEALTH_ACTIONS:
        return NextAction("absences_for", "See absence")
    return None


def team_row(
    person: StaffFacts,
    rules: StaffRules,
    as_of: date,
    access: TeamAccess = TeamAccess.LINE_MANAGER,
) -> TeamRow:
    """One report's row as this viewer may see it, and the most pressing thing to do."""
    interval = interval_days(person, rules)
    cadence = one_to_one_status(person, rules, as_of)
    apr = apr_standing(person, rules, as_of)
    health = _health(person, rules, as_of) if access.shows_health else None
    action, reason = _next_step(person, cadence, apr.state, health)
    rtw = health.rtw if health else None
    return TeamRow(
        employee_pk=person.id,
        employee_id=person.employee_id,
        name=person.name,
        one_to_one=_one_to_one_text(cadence, interval),
        one_to_one_state=cadence.state,
        apr=apr.summary,
        apr_state=apr.state.value,
        rtw=_rtw_text(rtw) if rtw is not None else None,
        rtw_state=rtw.state.value if rtw is not None else None,
        objectives=_objectives_text(person),
        sickness=health.sickness if health else None,
        trigger_reached=health.trigger_reached if health else None,
        off_sick_since=health.off_since if health else None,
        manages_people=person.active_reports > 0,
        next_action=_offered(action, access),
        next_reason=reason,
        attention=attention_items(cadence, apr, person.draft_objectives, health),
    )


def team_access(viewer: Person, manager: Person, *, acting: bool) -> TeamAccess:
    """How a viewer allowed to open this manager's team sees it."""
    if viewer.id == manager.id or acting:
        return TeamAccess.LINE_MANAGER
    return TeamAccess.HR if viewer.is_hr_admin else TeamAccess.SKIP_LEVEL


class TeamOverviewService:
    def __init__(
        self, database: Database, clock: Clock, rules: StaffRules, audit: AuditTrail
    ) -> None:
        self._db = database
        self._clock = clock
        self.rules = rules
        self._audit = audit

    async def _audit_reads(self, viewer: Person, teams: list[Team]) -> None:
        """Where the rows show sickness occasions, days and trigger status, that is a read of
        absence records, audited like any other (one event per person shown). A skip-level
        view shows none of it, so reads nothing to audit."""
        for team in teams:
            if not team.access.shows_health:
                continue
            actor = self._audit.actor(
                viewer, on_behalf_of_id=team.manager.id if team.acting else None
            )
            await self._audit.record(
                actor,
                *(
                    AuditEvent(
                        AuditAction.READ,
                        RecordType.ABSENCE,
                        row.employee_pk,
                        None,
                        "team overview: sickness occasions, days, trigger status, RTW due",
                    )
                    for row in team.rows
                ),
            )

    def today(self) -> date:
        return self._clock.today()

    async def _rows(
        self, manager_pks: list[int], access: TeamAccess = TeamAccess.LINE_MANAGER
    ) -> dict[int, list[TeamRow]]:
        today = self.today()
        async with self._db.sessions() as session:
            facts = await staff_facts(
                session,
                today,
                manager_pks=manager_pks,
                sickness_since=self.rules.sickness_since(today),
            )
        rows: dict[int, list[TeamRow]] = {pk: [] for pk in manager_pks}
        for person in facts:
            if person.manager_id is not None:
                rows[person.manager_id].append(team_row(person, self.rules, today, access))
        return rows

    async def my_teams(self, viewer: Person) -> list[Team]:
        """The viewer's own team, then each team they are acting manager for today."""
        today = self.today()
        async with self._db.sessions() as session:
            acting_for = await delegations.teams_acted_for(session, viewer.id, today)
            managers = [
                m
                for pk in acting_for
                if (m := await employees.get_person(session, pk, as_of=today)) is not None
            ]
            opens = {
                m.id: viewer.is_hr_admin or await self._is_above(session, viewer.id, m)
                for m in managers
            }
        pks = [viewer.id, *(m.id for m in managers)]
        rows = await self._rows(pks)
        teams = [Team(viewer, tuple(rows[viewer.id]))] if viewer.is_manager else []
        for manager in managers:
            # The delegated team is exactly those rows, less the acting manager themself.
            visible = tuple(r for r in rows[manager.id] if r.employee_pk != viewer.id)
            teams.append(Team(manager, visible, acting=True, may_open_teams=opens[manager.id]))
        await self._audit_reads(viewer, teams)
        return teams

    async def team_of(self, viewer: Person, manager_ref: object) -> Team:
        """The team of the manager with this HR id, if the viewer may see it."""
        today = self.today()
        async with self._db.sessions() as session:
            manager = (
                await employees.get_person_by_employee_id(session, manager_ref.strip(), as_of=today)
                if isinstance(manager_ref, str) and manager_ref.strip()
                else None
            )
            if manager is None or not manager.is_active(today):
                raise TeamNotYours("I couldn't find that team.")
            acting = await delegations.is_delegate_for(session, viewer.id, manager.id, today)
            above = await self._is_above(session, viewer.id, manager)
        if not (viewer.id == manager.id or viewer.is_hr_admin or acting or above):
            raise TeamNotYours(
                "You can see your own team and the teams of managers below you in the "
                "organisation chart."
            )
        if not manager.is_manager:
            raise TeamNotYours(f"Nobody reports to {manager.name}.")
        access = team_access(viewer, manager, acting=acting)
        rows = await self._rows([manager.id], access)
        opens = viewer.is_hr_admin or viewer.id == manager.id or above
        team = Team(manager, tuple(rows[manager.id]), acting, access, may_open_teams=opens)
        await self._audit_reads(viewer, [team])
        return team

    async def _is_above(self, session: AsyncSession, viewer_pk: int, manager: Person) -> bool:
        """Whether the viewer is the manager's manager, or theirs, and so on up the chart."""
        current, seen = manager.manager_id, set[int]()
        while current is not None and current not in seen and len(seen) < MAX_CHAIN:
            if current == viewer_pk:
                return True
            seen.add(current)
            above = await employees.get_person(session, current)
            current = above.manager_id if above else None
        return False

    async def managers_below(self, viewer: Person, name: str) -> list[Person]:
        """Managers the viewer may open a team for whose name matches (for "team for X")."""
        today = self.today()
        async with self._db.sessions() as session:
            candidates = await employees.active_people_named(session, name, today)
            allowed = [
                p
                for p in candidates
                if p.is_manager
                and (
                    viewer.is_hr_admin
                    or p.id == viewer.id
                    or await self._is_above(session, viewer.id, p)
                    or await delegations.is_delegate_for(session, viewer.id, p.id, today)
                )
            ]
        return match_people(name, allowed)
