"""Plan: every item due as of a date, for the whole council, from a few set-based queries.

Each item names who should act (usually the line manager, or the acting manager while a
delegation is in force) and a stable key for the thing
due, so the queue can make each nudge idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession

from domain.apr_cycle import (
    AprCyclePolicy,
    AprState,
    CycleKind,
    apr_status,
    current_window,
    probation_ends,
)
from domain.cadence import cadence_status, effective_interval
from domain.date_words import plural
from domain.nudge_rules import DueItem, NudgeKind
from domain.rtw import RtwState, keep_in_touch_due, rtw_due
from domain.working_days import ENGLAND_AND_WALES, BankHolidays, WorkingPattern
from services.one_to_one_prep import agenda_items
from storage import delegations
from storage import nudge_queries as queries
from storage.database import Database

APR_STATES_TO_NUDGE = (AprState.DUE_SOON, AprState.DUE, AprState.OVERDUE)


@dataclass(frozen=True)
class PlanSettings:
    default_cadence_days: int = 28
    default_pattern: str = "Mon-Fri"
    rtw_deadline_days: int = 3
    apr_policy: AprCyclePolicy = field(default_factory=AprCyclePolicy)
    holidays: BankHolidays = ENGLAND_AND_WALES


def _pattern_parser(default: str) -> Callable[[str], WorkingPattern]:
    @cache
    def parse(text: str) -> WorkingPattern:
        return WorkingPattern.parse(text or default)

    return parse


@cache
def _fmt(day: date) -> str:
    return f"{day:%-d %b %Y}"


# A start date long before any cycle that matters: a colleague who has "always been here".
LONG_SERVING = queries.LONG_SERVING


def settled_cutoff(policy: AprCyclePolicy, as_of: date) -> date | None:
    """The last start date of the "settled": everyone who started from ``LONG_SERVING`` up to
    this day stands on their APR exactly as a long-serving colleague with the same last APR
    does, so the plan works their status out once per last-APR date, not once per person.
    None when no one can be treated so (cycles that follow each person's start date).

    With fixed windows, someone out of probation by the time last cycle's window closed had
    their first APR due then or earlier (first_due_window(...).opens < this cycle's opening).
    Probation ends later for later starters, so that is everyone who started up to a day.
    """
    if policy.kind is not CycleKind.FIXED_WINDOW:
        return None
    this_cycle = current_window(policy, start_date=LONG_SERVING, as_of=as_of)
    last_cycle = current_window(
        policy, start_date=LONG_SERVING, as_of=this_cycle.opens - timedelta(days=1)
    )
    lo, hi = LONG_SERVING.toordinal() - 1, as_of.toordinal()
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if probation_ends(date.fromordinal(mid), policy.probation_months) <= last_cycle.closes:
            lo = mid
        else:
            hi = mid - 1
    return date.fromordinal(lo)


@dataclass(frozen=True)
class _PlanFacts:
    """What the plan reads besides the staff themselves, from a handful of set-based queries."""

    cadence_by_employee: dict[int, int]
    cadence_by_team: dict[int, int]
    absences: list[queries.AbsenceRow]
    drafts: list[queries.DraftObjectiveRow]
    # During a delegation the team's manager-nudges go to the acting manager instead.
    acting: dict[int, int]


async def _read_facts(session: AsyncSession, as_of: date) -> _PlanFacts:
    by_employee, by_team = await queries.cadence_overrides(session)
    absences = await queries.absences_needing_action(session, as_of)
    drafts = await queries.draft_objectives(session, as_of)
    acting = await delegations.acting_managers(session, as_of)
    return _PlanFacts(by_employee, by_team, absences, drafts, acting)


async def plan_due_items(database: Database, as_of: date, settings: PlanSettings) -> list[DueItem]:
    policy = settings.apr_policy
    async with database.sessions() as session:
        facts = await _read_facts(session, as_of)
        staff_items = _StaffItems(facts, as_of, settings)
        # The settled come back with no APR start date: they all stand as LONG_SERVING does.
        items: list[DueItem] = []
        async for rows in queries.staff_batches(
            session, as_of, settled_by=settled_cutoff(policy, as_of)
        ):
            items += staff_items(rows)
    items += _absence_items(facts.absences, facts.acting, as_of, settings)
    items += _objective_items(facts.drafts, facts.acting)
    items += await agenda_items(database, as_of, pattern=settings.default_pattern)
    return items


# Per person only dictionary look-ups and cached calls: nearly everyone shares their (anchor
# date, interval) or (start, last APR) with someone else, so each verdict (due or not, and the
# words saying why) is worked out once per distinct key, not per person. Each plan makes its
# own cached verdicts, as they depend on the day planned for.

OneToOneVerdict = Callable[[queries.Day, bool, int], tuple[date, str] | None]
AprVerdict = Callable[[queries.Day | None, queries.Day | None], tuple[str, date, str] | None]


def _one_to_one_verdicts(as_of: date) -> OneToOneVerdict:
    day = queries.day

    @cache
    def one_to_one_due(
        anchor: queries.Day, never_held: bool, interval: int
    ) -> tuple[date, str] | None:
        # The start date only matters for someone never seen: one entry per distinct date.
        held = None if never_held else day(anchor)
        cadence = cadence_status(
            last_held=held, start_date=day(anchor), as_of=as_of, interval_days=interval
        )
        if cadence.state != "overdue":
            return None
        if held is None:
            return cadence.next_due, f"No one-to-one logged yet (expected every {interval} days)"
        return cadence.next_due, (
            f"{plural(cadence.days_overdue, 'day')} overdue "
            f"(last held {_fmt(held)}; every {interval} days)"
        )

    return one_to_one_due


def _apr_verdicts(policy: AprCyclePolicy, as_of: date) -> AprVerdict:
    day = queries.day

    @cache
    def apr_due(
        start: queries.Day | None, held: queries.Day | None
    ) -> tuple[str, date, str] | None:
        apr = apr_status(
            policy,
            start_date=LONG_SERVING if start is None else day(start),
            left_on=None,
            last_held=None if held is None else day(held),
            as_of=as_of,
        )
        if apr.state not in APR_STATES_TO_NUDGE or apr.window is None:
            return None
        return f"apr:{apr.window.cycle_label}:", apr.window.opens, apr.reason

    return apr_due


class _StaffItems:
    """One-to-ones and APRs due, for everyone in post with a manager, a batch of staff rows
    at a time; the verdicts are shared by every batch of the plan."""

    def __init__(self, facts: _PlanFacts, as_of: date, settings: PlanSettings) -> None:
        by_employee, by_team = facts.cadence_by_employee, facts.cadence_by_team
        for interval in (*by_employee.values(), *by_team.values(), settings.default_cadence_days):
            effective_interval(None, None, interval)  # the same checks, once per distinct value
        self._facts = facts
        self._default_interval = settings.default_cadence_days
        self._one_to_one_due = _one_to_one_verdicts(as_of)
        self._apr_due = _apr_verdicts(settings.apr_policy, as_of)

    def __call__(self, staff: list[queries.StaffRow]) -> list[DueItem]:
        facts = self._facts
        by_employee, by_team, acting = (
            facts.cadence_by_employee,
            facts.cadence_by_team,
            facts.acting,
        )
        default_interval = self._default_interval
        one_to_one_due, apr_due = self._one_to_one_due, self._apr_due
        items: list[DueItem] = []
        append = items.append
        one_to_one, apr_kind = NudgeKind.ONE_TO_ONE_DUE, NudgeKind.APR_DUE
        for pk, name, manager, started, apr_start, held, last_apr in staff:
            assert manager is not None
            every_days = by_employee.get(pk)
            if every_days is None:
                every_days = by_team.get(manager, default_interval)
            overdue = one_to_one_due(started if held is None else held, held is None, every_days)
            apr = apr_due(apr_start, last_apr)
            if overdue is None and apr is None:
                continue
            recipient = acting.get(manager, manager)
            if overdue is not None:
                append(
                    DueItem(
                        kind=one_to_one,
                        subject_id=pk,
                        item_key=f"one_to_one:{pk}",
                        recipient_id=recipient,
                        escalates_from=manager,
                        due_since=overdue[0],
                        title=f"One-to-one with {name}",
                        detail=overdue[1],
                    )
                )
            if apr is not None:
                append(
                    DueItem(
                        kind=apr_kind,
                        subject_id=pk,
                        item_key=f"{apr[0]}{pk}",
                        recipient_id=recipient,
                        escalates_from=manager,
                        due_since=apr[1],
                        title=f"APR with {name}",
                        detail=apr[2],
                    )
                )
        return items


def _absence_items(
    absences: list[queries.AbsenceRow],
    acting: dict[int, int],
    as_of: date,
    settings: PlanSettings,
) -> list[DueItem]:
    """Keep-in-touch contact during a sickness absence, and the return-to-work after it."""
    pattern = _pattern_parser(settings.default_pattern)
    items: list[DueItem] = []
    for absence in absences:
        if absence.manager_id is None:
            continue
        manager_now = acting.get(absence.manager_id, absence.manager_id)
        if absence.end_date is None:
            if keep_in_touch_due(absence.start_date, as_of, last_contact=absence.last_contact_on):
                items.append(
                    DueItem(
                        kind=NudgeKind.KEEP_IN_TOUCH,
                        subject_id=absence.employee_id,
                        item_key=f"keep_in_touch:{absence.absence_id}",
                        recipient_id=manager_now,
                        escalates_from=absence.manager_id,
                        due_since=absence.start_date,
                        title=f"Keep in touch with {absence.employee_name}",
                        detail=f"Off sick since {_fmt(absence.start_date)}",
                    )
                )
            continue
        due = rtw_due(
            absence_end=absence.end_date,
            as_of=as_of,
            deadline_days=settings.rtw_deadline_days,
            pattern=pattern(absence.working_pattern),
            holidays=settings.holidays,
        )
        if due.state in (RtwState.DUE, RtwState.OVERDUE):
            late = f", {plural(due.days_overdue, 'working day')} late" if due.days_overdue else ""
            items.append(
                DueItem(
                    kind=NudgeKind.RTW_DUE,
                    subject_id=absence.employee_id,
                    item_key=f"absence:{absence.absence_id}",
                    recipient_id=manager_now,
                    escalates_from=absence.manager_id,
                    due_since=due.due_on,
                    title=f"Return-to-work conversation with {absence.employee_name}",
                    detail=f"Back on {_fmt(due.due_on)}; due by {_fmt(due.deadline)}{late}",
                )
            )
    return items


def _objective_items(
    drafts: list[queries.DraftObjectiveRow], acting: dict[int, int]
) -> list[DueItem]:
    """Draft objectives waiting on the other side: the manager (or acting manager) for one
    the owner proposed, the owner for one their manager proposed."""
    items: list[DueItem] = []
    for draft in drafts:
        line_manager = draft.manager_id if draft.proposed_by == "owner" else None
        agreer: int | None
        if draft.proposed_by == "owner":
            agreer = acting.get(line_manager, line_manager) if line_manager else None
        else:
            agreer = draft.employee_id
        if agreer is None:
            continue
        items.append(
            DueItem(
                kind=NudgeKind.OBJECTIVE_TO_AGREE,
                subject_id=draft.employee_id,
                item_key=f"objective:{draft.objective_id}",
                recipient_id=agreer,
                escalates_from=line_manager,
                due_since=draft.created_on,
                title=f"Objective to agree: {draft.title}",
                detail=(
                    f"Added by {draft.employee_name}"
                    if draft.proposed_by == "owner"
                    else "Proposed by your manager"
                ),
            )
        )
    return items
