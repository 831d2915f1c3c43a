"""The demo teams' sickness absence (``data/absences.yaml``) and return-to-work conversations,
written as the bot would have, dated back from ``as_of`` in working days."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Person
from domain.rtw import fit_note_expected, rtw_due
from domain.triggers import AbsenceSpell, trigger_status
from domain.working_days import (
    WorkingPattern,
    add_working_days,
    next_working_day,
    previous_working_day,
    working_days_between,
)
from services.absence import AbsencePolicy
from services.demo import load
from services.demo.org import at, demo_teams
from storage import absence_reports
from storage import absences as absence_repo
from storage.database import Database


async def seed_demo_absence(
    database: Database, as_of: date, *, policy: AbsencePolicy | None = None
) -> int:
    """Give the demo teams some sickness absence before ``as_of``; returns how many absences.

    Adds nothing if anyone in the demo teams already has an absence, so running it again (or
    after someone has tried the bot) changes nothing. Working days follow each person's pattern
    (or ``policy``'s default) and the bank holidays of England and Wales; no date is after
    ``as_of``.
    """
    policy = policy or AbsencePolicy()
    async with database.transaction() as session:
        teams = await demo_teams(session, as_of)
        people = {number: report for _, reports in teams for number, report in reports.items()}
        everyone = [manager.id for manager, _ in teams] + [p.id for p in people.values()]
        if not people or await _has_absences(session, everyone):
            return 0
        patterns = await absence_reports.working_patterns(session)
        seeded: dict[int, list[AbsenceSpell]] = defaultdict(list)
        created = 0
        for absence in sorted(load.absences(), key=lambda a: -(a.started_days_ago or 0)):
            person = people.get(absence.number)
            if person is None or person.manager_id is None:
                continue
            pattern = WorkingPattern.parse(patterns.get(person.id) or policy.default_pattern)
            seeder = _AbsenceSeeder(session, person, person.manager_id, pattern, policy, as_of)
            spell = await seeder.seed(absence, seeded[absence.number])
            if spell is not None:
                seeded[absence.number].append(spell)
                created += 1
    return created


async def _has_absences(session: AsyncSession, pks: list[int]) -> bool:
    for pk in pks:
        if await absence_repo.absences_for(session, pk):
            return True
    return False


class _AbsenceSeeder:
    """One absence (and its return-to-work conversation), written as the bot would have."""

    def __init__(
        self,
        session: AsyncSession,
        person: Person,
        manager_pk: int,
        pattern: WorkingPattern,
        policy: AbsencePolicy,
        as_of: date,
    ) -> None:
        self.session, self.person, self.manager_pk = session, person, manager_pk
        self.pattern, self.policy, self.as_of = pattern, policy, as_of

    def _dates(self, absence: load.Absence) -> tuple[date, date | None]:
        if absence.started_days_ago is None:
            # The last day off is the working day before the latest working day up to as_of,
            # so the conversation is due now whatever day of the week as_of falls on.
            latest = self.as_of + timedelta(days=1)
            end = previous_working_day(
                previous_working_day(latest, pattern=self.pattern), pattern=self.pattern
            )
            start = end
            for _ in range((absence.working_days or 1) - 1):
                start = previous_working_day(start, pattern=self.pattern)
            return start, end
        start = next_working_day(
            self.as_of - timedelta(days=absence.started_days_ago),
            pattern=self.pattern,
            inclusive=True,
        )
        if absence.working_days is None:
            return start, None
        return start, add_working_days(start, absence.working_days - 1, pattern=self.pattern)

    async def seed(self, absence: load.Absence, earlier: list[AbsenceSpell]) -> AbsenceSpell | None:
        start, end = self._dates(absence)
        if start < self.person.start_date or start > self.as_of:
            return None
        absence_id = await absence_repo.add_absence(
            self.session,
            employee_pk=self.person.id,
            start_date=start,
            end_date=None,
            absence_type=absence.type,
            reason_category=absence.reason,
            working_days_lost=None,
            working_days_given=False,
            disability_related=False,
            expected_return=None,
            source="chat",
            recorded_by_pk=self.manager_pk,
            now=at(start, 8, 40),
        )
        if end is None:
            contact = max(start, self.as_of - timedelta(days=9))
            await absence_repo.record_contact(
                self.session, absence_id, contact, at(contact, 11, 15)
            )
            lost = working_days_between(start, self.as_of, pattern=self.pattern)
            return AbsenceSpell(start, None, lost, kind=absence.type)
        lost = working_days_between(start, end, pattern=self.pattern)
        await absence_repo.end_absence(
            self.session, absence_id, end_date=end, working_days_lost=lost, now=at(end, 16, 30)
        )
        spell = AbsenceSpell(start, end, lost, kind=absence.type)
        if absence.return_to_work is not None:
            await self._rtw(absence_id, absence, spell, earlier)
        return spell

    async def _rtw(
        self,
        absence_id: int,
        absence: load.Absence,
        spell: AbsenceSpell,
        earlier: list[AbsenceSpell],
    ) -> None:
        rtw = absence.return_to_work
        assert rtw is not None and spell.end is not None
        due = rtw_due(
            absence_end=spell.end,
            as_of=self.as_of,
            deadline_days=self.policy.rtw_deadline_days,
            pattern=self.pattern,
        )
        held_on = add_working_days(
            due.due_on, rtw.held_working_days_after_return, pattern=self.pattern
        )
        held_on = min(held_on, self.as_of)
        status = trigger_status([*earlier, spell], as_of=held_on, policy=self.policy.triggers)
        await absence_repo.add_rtw(
            self.session,
            absence_id=absence_id,
            employee_pk=self.person.id,
            manager_pk=self.manager_pk,
            held_on=held_on,
            reason_category=absence.reason,
            notes=rtw.notes,
            reported_correctly=True,
            fit_note_received=True if fit_note_expected(spell.start, spell.end) else None,
            work_related=False,
            accident_at_work=False,
            underlying_condition=False,
            adjustments_needed="adjustments" in rtw.support,
            support_offered=rtw.support,
            outcome=rtw.outcome,
            employee_comments="",
            trigger_summary=status.describe(),
            trigger_reached=status.reached,
            now=at(held_on, 14, 10),
        )
