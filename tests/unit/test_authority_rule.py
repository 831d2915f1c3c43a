"""Who may act as someone's line manager: the pure rule, table-driven, no database.

The chart (person: line manager) and a fixed day:

    1 Bea, chief executive
    ├── 2 Priya, team manager ── 3 Rhys ── 4 Ann
    │                         └── 7 Lee (left last month)
    ├── 5 Tom, another team manager
    └── 6 Hana, HR admin
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from domain.authority import LINE_MANAGER, Authority, may_act_for, teams_acted_for
from domain.delegation_rules import DelegationTerms, acting_manager, delegate_placement
from domain.people import Person, Role

TODAY = date(2026, 3, 10)

CHART: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: 3, 5: 1, 6: 1, 7: 2}


def _person(pk: int, *, manager: int | None = None, **changes: Any) -> Person:
    found = Person(
        id=pk,
        employee_id=f"E{pk:03}",
        name=f"Person {pk}",
        email=f"p{pk}@council.example",
        department="Services",
        job_title="Officer",
        start_date=date(2020, 1, 1),
        manager_id=CHART[pk] if manager is None else manager,
    )
    return replace(found, **changes)


BEA, PRIYA, RHYS, ANN, TOM = (_person(pk) for pk in (1, 2, 3, 4, 5))
HANA = _person(6, roles=frozenset({Role.HR_ADMIN.value}))
LEE = _person(7, left_on=TODAY - timedelta(days=30))
# A reorganisation moved Rhys from Priya's team to Tom's.
RHYS_MOVED = _person(3, manager=5)


def _delegation(
    manager: int,
    delegate: int,
    *,
    starts: int = -3,
    ends: int = 3,
    confirmed: bool = True,
    revoked: bool = False,
    hr_confirmed: bool = True,
    chart: dict[int, int | None] = CHART,
) -> DelegationTerms:
    """A delegation of ``manager``'s team to ``delegate``, its period in days from TODAY, the
    delegate placed by the chart as it is today."""
    return DelegationTerms(
        id=manager * 100 + delegate,
        manager_id=manager,
        delegate_id=delegate,
        starts_on=TODAY + timedelta(days=starts),
        ends_on=TODAY + timedelta(days=ends),
        confirmed=confirmed,
        revoked=revoked,
        placement=delegate_placement(manager, delegate, chart),
        hr_confirmed=hr_confirmed,
    )


ACTING_FOR_PRIYA = Authority("acting", on_behalf_of_id=PRIYA.id)

CASES = [
    # (why, actor, subject, delegations, expected)
    ("own report", PRIYA, RHYS, [], LINE_MANAGER),
    ("report's report: only their own line manager", PRIYA, ANN, [], None),
    ("the manager's manager, without a delegation", BEA, RHYS, [], None),
    ("not a report", TOM, RHYS, [], None),
    ("staff acting on their own record", RHYS, RHYS, [], None),
    ("a line manager on their own record", PRIYA, PRIYA, [], None),
    ("an HR admin holds no one-to-ones", HANA, RHYS, [], None),
    ("someone who has left", PRIYA, LEE, [], None),
    ("nobody for the top of the chart", PRIYA, BEA, [], None),
    (
        "the line manager, while their team is delegated",
        PRIYA,
        RHYS,
        [_delegation(2, 5)],
        LINE_MANAGER,
    ),
    ("acting manager, delegation in force", TOM, RHYS, [_delegation(2, 5)], ACTING_FOR_PRIYA),
    (
        "acting manager, on its first day",
        TOM,
        RHYS,
        [_delegation(2, 5, starts=0)],
        ACTING_FOR_PRIYA,
    ),
    ("acting manager, on its last day", TOM, RHYS, [_delegation(2, 5, ends=0)], ACTING_FOR_PRIYA),
    ("acting manager, delegation expired", TOM, RHYS, [_delegation(2, 5, ends=-1)], None),
    ("acting manager, not yet started", TOM, RHYS, [_delegation(2, 5, starts=1)], None),
    ("acting manager, unconfirmed", TOM, RHYS, [_delegation(2, 5, confirmed=False)], None),
    ("acting manager, revoked", TOM, RHYS, [_delegation(2, 5, revoked=True)], None),
    (
        "acting manager from outside the chain, not confirmed by HR",
        TOM,
        RHYS,
        [_delegation(2, 5, hr_confirmed=False)],
        None,
    ),
    (
        "the manager's manager as acting manager, from the chain without HR",
        BEA,
        RHYS,
        [_delegation(2, 1, hr_confirmed=False)],
        ACTING_FOR_PRIYA,
    ),
    (
        "the manager's manager is acting manager for the team, not below it",
        BEA,
        ANN,
        [_delegation(2, 1)],
        None,
    ),
    ("acting manager of another team", TOM, RHYS, [_delegation(1, 5)], None),
    ("someone else is the acting manager", TOM, RHYS, [_delegation(2, 6)], None),
    ("acting manager on their own record", RHYS, RHYS, [_delegation(2, 3)], None),
    (
        "acting manager since moved below the team",
        TOM,
        RHYS,
        [_delegation(2, 5, chart={**CHART, 5: 3})],
        None,
    ),
    ("reorganised: the new line manager", TOM, RHYS_MOVED, [], LINE_MANAGER),
    ("reorganised: the old line manager", PRIYA, RHYS_MOVED, [], None),
    (
        "reorganised: the old team's acting manager",
        HANA,
        RHYS_MOVED,
        [_delegation(2, 6)],
        None,
    ),
]


@pytest.mark.parametrize(
    ("actor", "subject", "delegations", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_who_may_act_as_the_line_manager(
    actor: Person, subject: Person, delegations: list[DelegationTerms], expected: Authority | None
) -> None:
    assert may_act_for(actor, subject, delegations, TODAY) == expected


def test_hr_roles_grant_nothing_even_to_the_manager_s_manager() -> None:
    boss_in_hr = replace(BEA, roles=frozenset({Role.HR_ADMIN.value}))
    assert may_act_for(boss_in_hr, RHYS, [], TODAY) is None
    assert may_act_for(boss_in_hr, PRIYA, [], TODAY) == LINE_MANAGER


def test_the_teams_someone_acts_for_today_oldest_first_each_once() -> None:
    older = replace(_delegation(2, 5), id=1, starts_on=TODAY - timedelta(days=9))
    found = [_delegation(6, 5), older, _delegation(2, 5), _delegation(3, 5, starts=1)]
    assert teams_acted_for(TOM.id, found, TODAY) == [PRIYA.id, HANA.id]
    assert teams_acted_for(HANA.id, found, TODAY) == []


def test_the_acting_manager_of_a_team_is_the_oldest_delegation_in_force() -> None:
    expired = _delegation(2, 6, starts=-20, ends=-1)
    older = replace(_delegation(2, 1), starts_on=TODAY - timedelta(days=5))
    assert acting_manager(PRIYA.id, [expired, _delegation(2, 5), older], TODAY) == BEA.id
    assert acting_manager(PRIYA.id, [expired], TODAY) is None
    assert acting_manager(TOM.id, [_delegation(2, 5)], TODAY) is None
