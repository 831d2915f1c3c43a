"""Where one person stands on each rhythm of the framework, from plain facts about them.

The team view and the compliance report both ask these questions; the answers come from the
one home of each rule (``cadence``, ``apr_cycle``, ``rtw``, ``triggers``), never re-derived.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from domain.absences import needs_rtw
from domain.apr_cycle import AprCyclePolicy, AprStatus, apr_status
from domain.cadence import DEFAULT_CADENCE_DAYS, CadenceStatus, cadence_status, effective_interval
from domain.rtw import DEFAULT_RTW_DEADLINE_DAYS, RtwDue, rtw_due
from domain.triggers import AbsenceSpell, TriggerPolicy, TriggerStatus, trigger_status
from domain.working_days import (
    ENGLAND_AND_WALES,
    BankHolidays,
    WorkingPattern,
    working_days_between,
)
from storage.staff_facts import SicknessSpell, StaffFacts


@dataclass(frozen=True)
class StaffRules:
    """The council's settings the statuses depend on (HR configures each of them)."""

    default_cadence_days: int = DEFAULT_CADENCE_DAYS
    apr_policy: AprCyclePolicy = field(default_factory=AprCyclePolicy)
    rtw_deadline_days: int = DEFAULT_RTW_DEADLINE_DAYS
    default_pattern: str = "Mon-Fri"
    triggers: TriggerPolicy = field(default_factory=TriggerPolicy)
    holidays: BankHolidays = ENGLAND_AND_WALES

    def pattern(self, text: str) -> WorkingPattern:
        return WorkingPattern.parse(text or self.default_pattern)

    def sickness_since(self, as_of: date) -> date:
        """How far back sickness matters: the trigger window."""
        return as_of - timedelta(days=self.triggers.window_days)


def interval_days(person: StaffFacts, rules: StaffRules) -> int:
    return effective_interval(
        person.employee_cadence, person.team_cadence, rules.default_cadence_days
    )


def one_to_one_status(person: StaffFacts, rules: StaffRules, as_of: date) -> CadenceStatus:
    return cadence_status(
        last_held=person.last_one_to_one,
        start_date=person.start_date,
        as_of=as_of,
        interval_days=interval_days(person, rules),
    )


def apr_standing(person: StaffFacts, rules: StaffRules, as_of: date) -> AprStatus:
    """Their APR status as managers see it (with "due soon" before a window opens)."""
    return apr_status(
        rules.apr_policy,
        start_date=person.start_date,
        left_on=person.left_on,
        last_held=person.last_apr,
        as_of=as_of,
    )


def apr_in_current_cycle(person: StaffFacts, rules: StaffRules, as_of: date) -> AprStatus:
    """Their status in the cycle under way, never masked by the next window's "due soon"."""
    return apr_status(
        replace(rules.apr_policy, due_soon_days=0),
        start_date=person.start_date,
        left_on=person.left_on,
        last_held=person.last_apr,
        as_of=as_of,
    )


def rtw_standing(
    person: StaffFacts, spell: SicknessSpell, rules: StaffRules, as_of: date
) -> RtwDue | None:
    """The return-to-work clock for one ended sickness spell (None while it is ongoing, and
    for a spell that lost no working days: nobody came back to work from it)."""
    if spell.end_date is None or not needs_rtw(spell.working_days_lost):
        return None
    return rtw_due(
        absence_end=spell.end_date,
        as_of=as_of,
        held_on=spell.rtw_held_on,
        deadline_days=rules.rtw_deadline_days,
        pattern=rules.pattern(person.working_pattern),
        holidays=rules.holidays,
    )


def trigger_standing(person: StaffFacts, rules: StaffRules, as_of: date) -> TriggerStatus:
    pattern = rules.pattern(person.working_pattern)
    spells = [
        AbsenceSpell(
            start=s.start_date,
            end=s.end_date,
            working_days_lost=(
                s.working_days_lost
                if s.working_days_lost is not None
                else working_days_between(
                    s.start_date, s.end_date or as_of, pattern=pattern, holidays=rules.holidays
                )
            ),
            disability_related=s.disability_related,
        )
        for s in person.sickness
        # An ended spell that lost no working day is no occasion (every day was a day off).
        if s.end_date is None or needs_rtw(s.working_days_lost)
    ]
    return trigger_status(spells, as_of=as_of, policy=rules.triggers)
