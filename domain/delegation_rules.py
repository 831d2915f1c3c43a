"""Delegation's rules, without a database: who may set one up or end it, what a valid request
is, and when a delegation lets its acting manager act.

Storage's one in-force query and :mod:`domain.authority` apply the same rule, and the service
(``services.delegation``) applies the request rules under the team's lock.

A delegation grants authority on a day only when it is confirmed, not revoked, and the day
is within its (inclusive) period, and where the acting manager sits in the chart *today*
still allows it (:func:`grants_authority`). A reorganisation after the delegation was set up
can take that away: it must never let someone act who could not be given the delegation now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.errors import Invalid, Refused
from domain.people import Person
from domain.records import DelegationView


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


# --- setting one up and ending it -------------------------------------------------------------

MAX_DELEGATION_DAYS = 183  # about six months
CHANNELS = ("chat", "cli")


class DelegationRefused(Refused):
    """The person may not set up or end this delegation (message safe to show)."""


class InvalidDelegation(Invalid):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DelegationRequest:
    manager: Person  # whose team
    delegate: Person  # who acts
    starts_on: date
    ends_on: date


def needs_hr_confirmation(actor: Person | None, placement: Placement) -> bool:
    """HR (in chat, or ``actor`` None at the command line) confirms by setting it up."""
    hr = actor is None or actor.is_hr_admin
    return placement is Placement.OUTSIDE and not hr


def may_delegate(actor: Person, manager: Person) -> bool:
    """HR admins for anyone's team; a manager for their own."""
    return actor.is_hr_admin or actor.id == manager.id


def may_end(actor: Person, delegation: DelegationView) -> bool:
    return actor.is_hr_admin or actor.id in (
        delegation.manager_id,
        delegation.delegate_id,
        delegation.created_by_id,
    )


def delegation_problems(
    request: DelegationRequest,
    *,
    team_ids: set[int],
    today: date,
    placement: Placement = Placement.OUTSIDE,
) -> list[str]:
    """Everything wrong with the request, each as a sentence the person understands."""
    problems: list[str] = []
    manager, delegate = request.manager, request.delegate
    if not team_ids:
        problems.append(f"{manager.name} has nobody reporting to them, so there's no team.")
    if delegate.id == manager.id:
        problems.append("The acting manager has to be someone other than the team's manager.")
    elif delegate.id in team_ids:
        problems.append(
            f"{delegate.name} is in {manager.first_name}'s team; an acting manager can't be "
            "one of the people they would manage."
        )
    elif placement is Placement.BELOW:
        problems.append(
            f"{delegate.name} reports (through others) to {manager.first_name}; an acting "
            "manager can't be someone who sits below the team they would manage."
        )
    if not delegate.is_active(today):
        problems.append(f"{delegate.name} has left the council.")
    if request.starts_on < today:
        problems.append("The delegation can't start in the past.")
    elif request.starts_on > today + timedelta(days=MAX_DELEGATION_DAYS):
        problems.append(f"It can start at most {MAX_DELEGATION_DAYS} days from today.")
    if request.ends_on < request.starts_on:
        problems.append("The end date can't be before the start date.")
    elif request.ends_on > request.starts_on + timedelta(days=MAX_DELEGATION_DAYS):
        problems.append(
            f"A delegation can last at most {MAX_DELEGATION_DAYS} days (about six months); "
            "set up a new one when it ends if it is still needed."
        )
    leaves_first = delegate.left_on is not None and delegate.left_on <= request.ends_on
    if leaves_first and delegate.is_active(today):
        problems.append(
            f"{delegate.name} leaves on {delegate.left_on:%-d %B %Y}, before the "
            "delegation would end."
        )
    return problems


def clash_problem(manager: Person, other: DelegationView) -> str:
    """Why a new delegation of ``manager``'s team is refused while ``other`` is live."""
    return (
        f"{other.delegate_name} is already acting for {manager.first_name}'s team "
        f"from {other.starts_on:%-d %B} to {other.ends_on:%-d %B %Y}; end that "
        "delegation first."
    )
