"""The compliance report as of a day: judge each person in post against the framework (the
rules in ``services.staff_status``), tally them by group, and let ``domain.compliance`` turn
the tallies into figures with small numbers suppressed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta

from domain.apr_cycle import AprState
from domain.compliance import (
    MEASURE_TITLES,
    MIN_GROUP,
    PERIOD_DAYS,
    SUPPRESSED,
    ComplianceReport,
    GroupBy,
    GroupRow,
    Measure,
    Share,
    Tally,
    council_row,
    department_group,
    department_row,
    group_rows,
    in_post,
    manager_labels,
    report_notes,
    suppress_column,
    suppress_groups,
)
from domain.rtw import RtwState
from services.staff_status import (
    StaffRules,
    apr_in_current_cycle,
    one_to_one_status,
    rtw_standing,
)
from storage.database import Database
from storage.staff_facts import StaffFacts, staff_facts

# Compatible names: the figures and their suppression live in domain.compliance.
__all__ = [
    "MEASURE_TITLES",
    "MIN_GROUP",
    "PERIOD_DAYS",
    "SUPPRESSED",
    "ComplianceReport",
    "GroupBy",
    "GroupRow",
    "Measure",
    "Share",
    "build_report",
    "compliance_report",
    "department_group",
    "department_row",
    "in_post",
    "manager_labels",
    "suppress_column",
    "suppress_groups",
]


def _judge(
    person: StaffFacts, rules: StaffRules, as_of: date, period_start: date
) -> Iterator[tuple[Measure, bool]]:
    """Yield (measure, met) for each thing this person counts in."""
    if person.manager_id is not None:
        cadence = one_to_one_status(person, rules, as_of)
        if cadence.state != "never_held":
            yield Measure.ONE_TO_ONES, cadence.state in ("on_track", "due_soon")
    apr = apr_in_current_cycle(person, rules, as_of)
    if apr.state in (AprState.COMPLETED, AprState.DUE, AprState.OVERDUE):
        yield Measure.APRS, apr.state is AprState.COMPLETED
    for spell in person.sickness:
        due = rtw_standing(person, spell, rules, as_of)
        # Counted once it is settled: held (on time or late), or past its deadline unheld.
        if due is None or due.deadline < period_start:
            continue
        if due.state in (RtwState.HELD_ON_TIME, RtwState.HELD_LATE, RtwState.OVERDUE):
            yield Measure.RTW, due.state is RtwState.HELD_ON_TIME
    yield Measure.OBJECTIVES, person.live_objectives > 0


def _grouping(
    everyone: list[StaffFacts], group_by: GroupBy, manager_names: Mapping[int, str] | None
) -> Callable[[StaffFacts], str]:
    if group_by is GroupBy.MANAGER:
        labels = manager_labels(everyone, manager_names or {})
        return lambda person: labels[person.manager_id]
    return department_group


def build_report(
    people: Iterable[StaffFacts],
    rules: StaffRules,
    as_of: date,
    *,
    group_by: GroupBy = GroupBy.DEPARTMENT,
    manager_names: Mapping[int, str] | None = None,
) -> ComplianceReport:
    """The report over plain facts about people (leavers and future starters are dropped)."""
    period_start = as_of - timedelta(days=PERIOD_DAYS)
    everyone = list(people)
    group_of = _grouping(everyone, group_by, manager_names)
    tallies: dict[str, dict[Measure, Tally]] = defaultdict(lambda: defaultdict(Tally))
    heads: dict[str, int] = defaultdict(int)
    council: dict[Measure, Tally] = defaultdict(Tally)
    for person in (p for p in everyone if in_post(p, as_of)):
        group = group_of(person)
        heads[group] += 1
        for measure, met in _judge(person, rules, as_of, period_start):
            tallies[group][measure].add(person.id, met)
            council[measure].add(person.id, met)
    return ComplianceReport(
        as_of,
        period_start,
        group_by,
        group_rows(heads, tallies),
        council_row(sum(heads.values()), council),
        report_notes(period_start, as_of),
    )


async def compliance_report(
    database: Database, rules: StaffRules, as_of: date, *, group_by: GroupBy = GroupBy.DEPARTMENT
) -> ComplianceReport:
    """The council's report as of a day: the facts in a few queries, then the pure rules."""
    async with database.sessions() as session:
        # A month's margin: an absence ending just before the period can have its deadline in it.
        since = as_of - timedelta(days=PERIOD_DAYS + 31)
        people = await staff_facts(session, as_of, sickness_since=since)
    return build_report(people, rules, as_of, group_by=group_by)
