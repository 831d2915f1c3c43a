"""When a delegation lets its acting manager act: pure rules, no database.

Kept apart from ``services.delegation`` (the service) so that storage's one in-force query can
apply the same rule without importing the service that imports storage.

A delegation grants authority on a day only when it is confirmed, not revoked, and the day
is within its (inclusive) period (checked in the query), and where the acting manager sits
in the chart *today* still allows it (:func:`grants_authority`). A reorganisation after the
delegation was set up can take that away: it must never let someone act who could not be
given the delegation now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Placement(StrEnum):
    """Where the would-be acting manager sits in the chart relative to the team's manager."""

    BELOW = "below"  # in the team, or below someone in it: never
    IN_CHAIN = "in_chain"  # the manager's own line manager, or theirs, and so on: at once
    OUTSIDE = "outside"  # anywhere else: only once an HR admin confirms


def delegate_placement(
    manager_id: int, delegate_id: int, line_manager_of: Mapping[int, int | None]
) -> Placement:
    """Where ``delegate_id`` sits relative to ``manager_id`` in the chart ``{person: their
    line manager}``. The team is the manager's direct reports, so sitting below anyone in it
    is the same as having the manager somewhere above you."""
    if manager_id in _managers_above(delegate_id, line_manager_of):
        return Placement.BELOW
    if delegate_id in _managers_above(manager_id, line_manager_of):
        return Placement.IN_CHAIN
    return Placement.OUTSIDE


def _managers_above(person_id: int, line_manager_of: Mapping[int, int | None]) -> set[int]:
    """Everyone above this person, up to the top (a loop in bad chart data ends the walk)."""
    found: set[int] = set()
    current = line_manager_of.get(person_id)
    while current is not None and current not in found and current != person_id:
        found.add(current)
        current = line_manager_of.get(current)
    return found


def confirmed_by_hr(
    *, created_by_id: int | None, confirmed_by_id: int | None, confirmer_is_hr_admin: bool
) -> bool:
    """Whether an HR admin confirmed this (already confirmed) delegation.

    ``confirmed_by_id`` None is HR at the command line. A confirmer other than the creator
    confirmed it afterwards, which only an HR admin may do. Otherwise it was confirmed by
    being set up: by HR only if the person who set it up is an HR admin (a manager handing
    their team to someone in their own chain confirms nothing on HR's behalf)."""
    if confirmed_by_id is None or confirmed_by_id != created_by_id:
        return True
    return confirmer_is_hr_admin


def grants_authority(placement: Placement, *, hr_confirmed: bool) -> bool:
    """Whether a confirmed delegation in its period lets the delegate act, given where they
    sit in the chart today: never from below the team; from the manager's own chain at once;
    from anywhere else only with an HR admin's confirmation. So an in-chain delegation whose
    acting manager has since been moved out of the chain stops until HR confirms one."""
    if placement is Placement.BELOW:
        return False
    return placement is Placement.IN_CHAIN or hr_confirmed


@dataclass(frozen=True)
class DelegationTerms:
    """The facts about one delegation that decide whether it lets its acting manager act on
    a day: its period, whether it is confirmed or revoked, and where the acting manager sits
    in the chart as it is now (with whether an HR admin confirmed it)."""

    id: int
    manager_id: int
    delegate_id: int
    starts_on: date
    ends_on: date
    confirmed: bool
    revoked: bool
    placement: Placement
    hr_confirmed: bool


def in_force(terms: DelegationTerms, day: date) -> bool:
    """The one definition of a delegation in force on ``day``: confirmed, not revoked, ``day``
    within its (inclusive) period, and the acting manager placed so that
    :func:`grants_authority` allows it."""
    return (
        terms.confirmed
        and not terms.revoked
        and terms.starts_on <= day <= terms.ends_on
        and grants_authority(terms.placement, hr_confirmed=terms.hr_confirmed)
    )


def acting_manager(
    manager_id: int, delegations: Iterable[DelegationTerms], day: date
) -> int | None:
    """The acting manager for this line manager's team on ``day``: the delegate of the
    oldest delegation in force (by start, then id), if any."""
    found = sorted(
        (d for d in delegations if d.manager_id == manager_id and in_force(d, day)),
        key=lambda d: (d.starts_on, d.id),
    )
    return found[0].delegate_id if found else None
