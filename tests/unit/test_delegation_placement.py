"""Where a would-be acting manager sits relative to the team's manager: pure, no database.

The chart (person: line manager), shaped like the demo council's:

    1 chief executive
    ├── 2 head of service
    │   ├── 3 team manager ── 11, 13 (13 manages 30 ── 31)
    │   └── 4 team manager ── 16
    └── 5 head of another service ── 21
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.delegation_rules import (
    Placement,
    confirmed_by_hr,
    delegate_placement,
    grants_authority,
    needs_hr_confirmation,
)
from domain.people import Person

CHART: dict[int, int | None] = {
    1: None,
    2: 1,
    3: 2,
    4: 2,
    5: 1,
    11: 3,
    13: 3,
    30: 13,
    31: 30,
    16: 4,
    21: 5,
}

BELOW, IN_CHAIN, OUTSIDE = Placement.BELOW, Placement.IN_CHAIN, Placement.OUTSIDE


@pytest.mark.parametrize(
    ("manager", "delegate", "expected"),
    [
        # The attack: the head of service's team is 3 and 4; 13 reports to 3.
        (2, 13, BELOW),
        (2, 11, BELOW),
        (2, 31, BELOW),  # however far down
        (2, 3, BELOW),  # in the team itself
        (3, 30, BELOW),
        (3, 31, BELOW),
        (1, 21, BELOW),
        # The manager's own chain of managers: at once.
        (3, 2, IN_CHAIN),
        (3, 1, IN_CHAIN),
        (31, 13, IN_CHAIN),
        (31, 3, IN_CHAIN),
        # Anywhere else: HR confirms.
        (3, 4, OUTSIDE),  # a peer
        (3, 16, OUTSIDE),  # a peer's report
        (3, 5, OUTSIDE),  # another head of service
        (2, 21, OUTSIDE),
        (13, 11, OUTSIDE),  # a colleague of the manager
        (3, 99, OUTSIDE),  # not in the chart at all
    ],
)
def test_delegate_placement(manager: int, delegate: int, expected: Placement) -> None:
    assert delegate_placement(manager, delegate, CHART) is expected


def test_a_loop_in_bad_chart_data_ends_the_walk() -> None:
    looped = {1: 2, 2: 3, 3: 1, 4: 4}
    assert delegate_placement(1, 3, looped) is BELOW  # 3 has 1 above it
    assert delegate_placement(4, 1, looped) is OUTSIDE


def _person(*, hr: bool) -> Person:
    return Person(
        id=7,
        employee_id="D007",
        name="Someone",
        email="someone@example.org",
        department="",
        job_title="",
        start_date=date(2020, 1, 6),
        roles=frozenset({"hr_admin"}) if hr else frozenset(),
    )


@pytest.mark.parametrize(
    ("actor_is", "placement", "needs_hr"),
    [
        ("manager", OUTSIDE, True),
        ("manager", IN_CHAIN, False),
        ("hr", OUTSIDE, False),  # an HR admin confirms by setting it up
        ("cli", OUTSIDE, False),  # HR at the command line
    ],
)
def test_who_needs_hr_to_confirm(actor_is: str, placement: Placement, needs_hr: bool) -> None:
    actor = None if actor_is == "cli" else _person(hr=actor_is == "hr")
    assert needs_hr_confirmation(actor, placement) is needs_hr


@pytest.mark.parametrize(
    ("placement", "hr_confirmed", "grants"),
    [
        (BELOW, True, False),  # moved below the team since: never, whoever confirmed it
        (BELOW, False, False),
        (IN_CHAIN, False, True),  # the manager's own chain acts at once
        (OUTSIDE, True, True),
        # Set up from the chain, then a reorganisation moved the chain: HR must confirm.
        (OUTSIDE, False, False),
    ],
)
def test_what_a_confirmed_delegation_grants_where_the_delegate_sits_today(
    placement: Placement, hr_confirmed: bool, grants: bool
) -> None:
    assert grants_authority(placement, hr_confirmed=hr_confirmed) is grants


@pytest.mark.parametrize(
    ("created_by", "confirmed_by", "confirmer_is_hr", "by_hr"),
    [
        (None, None, False, True),  # HR at the command line set it up
        (3, None, False, True),  # a manager asked; HR confirmed at the command line
        (3, 9, True, True),  # a manager asked; an HR admin confirmed in chat
        (9, 9, True, True),  # an HR admin set it up in chat
        (3, 3, False, False),  # a manager set it up for someone in their chain
    ],
)
def test_who_confirmed_a_delegation(
    created_by: int | None, confirmed_by: int | None, confirmer_is_hr: bool, by_hr: bool
) -> None:
    found = confirmed_by_hr(
        created_by_id=created_by,
        confirmed_by_id=confirmed_by,
        confirmer_is_hr_admin=confirmer_is_hr,
    )
    assert found is by_hr
