"""Before and after a planned one-to-one: the reminder items the digest carries, and the
manager's prep card.

The working day before, the employee is asked what they want to talk about and the manager is
offered a prep card; after the day, with nothing logged, the manager is asked whether they met.
These are :class:`DueItem` s like any other reminder, so the digest's budget (sending hours,
caps, the recipient away) applies; the rules are :mod:`domain.agenda_reminders`'.

The prep card is read live when the manager opens it (never stored in the outbox), only by the
line or acting manager, and the read is audited, with the absence read audited as the team
view audits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from zoneinfo import ZoneInfo

from domain.agenda_reminders import (
    Meeting,
    after_check_due,
    check_item,
    day_before_due,
    invite_item,
    prep_item,
)
from domain.nudge_rules import DueItem
from domain.people import Person
from domain.records import ActionView, ObjectiveView
from domain.working_days import ENGLAND_AND_WALES, BankHolidays, WorkingPattern
from services import audit
from services.agenda import Agenda, AgendaService
from services.audit import AuditAction, AuditEvent, RecordType
from services.staff_status import StaffRules
from services.team_overview import TeamRow, team_row
from storage import agenda as repo
from storage import delegations
from storage import objectives as objective_repo
from storage import one_to_ones as one_to_one_repo
from storage.database import Database
from storage.staff_facts import staff_facts

# England and Wales' bank holidays, so the council's clock.
COUNCIL_ZONE = ZoneInfo("Europe/London")
# How far back an unanswered "did you meet?" is still asked.
CHECK_WINDOW_DAYS = 14


async def agenda_items(
    database: Database,
    as_of: date,
    *,
    tz: tzinfo = COUNCIL_ZONE,
    pattern: str = "Mon-Fri",
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> list[DueItem]:
    """The day-before and did-you-meet items due on ``as_of`` (for the nudge planner)."""
    days = WorkingPattern.parse(pattern or "Mon-Fri")
    async with database.sessions() as session:
        plans = await repo.plans_between(
            session, as_of - timedelta(days=CHECK_WINDOW_DAYS), as_of + timedelta(days=10), tz
        )
        acting = await delegations.acting_managers(session, as_of)
    items: list[DueItem] = []
    for facts in plans:
        plan = facts.plan
        if plan.manager_id is None:
            continue
        meeting = Meeting(
            plan.id,
            plan.employee_id,
            plan.manager_id,
            plan.day,
            plan.status,
            employee_away_on_day=facts.away_on_day,
            logged_since=facts.logged_since,
        )
        recipient = acting.get(plan.manager_id, plan.manager_id)
        if day_before_due(meeting, as_of, days, holidays):
            items.append(
                prep_item(
                    meeting, employee_name=facts.employee_name, recipient_id=recipient, as_of=as_of
                )
            )
            items.append(invite_item(meeting, manager_name=facts.manager_name, as_of=as_of))
        elif after_check_due(meeting, as_of, days, holidays):
            items.append(
                check_item(
                    meeting, employee_name=facts.employee_name, recipient_id=recipient, as_of=as_of
                )
            )
    return items


@dataclass(frozen=True)
class Prep:
    """What the manager sees before the one-to-one."""

    agenda: Agenda
    actions: tuple[ActionView, ...]
    objectives: tuple[ObjectiveView, ...]
    standing: TeamRow | None  # one-to-one, APR, sickness and RTW as the team view has them
    last_wellbeing: tuple[date, str, bool] | None  # held on, what was noted, a concern flagged


class PrepService:
    def __init__(self, agenda: AgendaService, database: Database, rules: StaffRules) -> None:
        self._agenda = agenda
        self._db = database
        self._rules = rules

    async def prep(self, manager: Person, employee_ref: object) -> Prep:
        """The prep card for this report (refused to anyone but their line or acting
        manager); the read of the card, and of the health details on it, is audited."""
        agenda = await self._agenda.agenda_for(manager, employee_ref)
        report = agenda.employee
        today = self._agenda.today()
        async with self._db.sessions() as session:
            actions = await one_to_one_repo.open_actions_for(session, report.id)
            objectives = await objective_repo.objectives_for(session, report.id)
            recent = await one_to_one_repo.one_to_ones_for(session, report.id, 1)
            facts = await staff_facts(
                session,
                today,
                manager_pks=[report.manager_id] if report.manager_id else [],
                sickness_since=self._rules.sickness_since(today),
            )
        mine = next((f for f in facts if f.id == report.id), None)
        standing = team_row(mine, self._rules, today) if mine is not None else None
        last = recent[0] if recent else None
        wellbeing = (
            (last.held_on, last.notes.get("wellbeing", ""), last.wellbeing_concern)
            if last is not None
            else None
        )
        await self._agenda.audit_reads(
            manager,
            report,
            AuditEvent(AuditAction.READ, RecordType.PREP_CARD, report.id, None, "prep card"),
            AuditEvent(
                AuditAction.READ,
                RecordType.ABSENCE,
                report.id,
                None,
                "prep card: sickness occasions, days, trigger status, RTW due",
            ),
            *([audit.read(RecordType.ONE_TO_ONE, report.id, [last.id])] if last else []),
        )
        return Prep(agenda, tuple(actions), tuple(objectives), standing, wellbeing)
