"""Who may act as someone's line manager, with the facts loaded from storage.

The rule itself is :func:`domain.authority.may_act_for` (pure, tested without a database):
the line manager, or the acting manager of a delegation in force, and nobody else. Every
service that logs or records "as the line manager" asks here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domain import authority as rule
from domain.authority import LINE_MANAGER, Authority, AuthorityKind, may_act_for
from domain.delegation_rules import DelegationTerms, acting_manager
from domain.people import Person
from storage import delegations, employees
from storage.database import Database

__all__ = [
    "LINE_MANAGER",
    "Authority",
    "AuthorityKind",
    "acting_for",
    "current_manager_pk",
    "in_charge_of",
    "in_charge_of_pk",
    "is_acting_manager",
    "may_act_for",
    "people_in_charge",
    "require_in_charge",
]


async def acting_for(
    session: AsyncSession, actor_id: int, subject: Person, today: date
) -> Authority | None:
    """Whether ``actor_id`` may act as ``subject``'s line manager today, and how
    (:func:`domain.authority.may_act_for` on the delegations of the subject's team)."""
    found: list[DelegationTerms] = []
    if subject.manager_id is not None and subject.manager_id != actor_id:
        # Only a delegation can make someone other than the line manager act: no query else.
        found = await delegations.terms_on(
            session, today, manager_pk=subject.manager_id, delegate_pk=actor_id
        )
    return rule.authority_of(actor_id, subject, found, today)


async def current_manager_pk(session: AsyncSession, person: Person, today: date) -> int | None:
    """Who manages ``person`` today, to be told what they say about their records: the acting
    manager while their line manager's team is delegated, otherwise their line manager as the
    chart has it now (not whoever held an old record before a reorganisation)."""
    if person.manager_id is None:
        return None
    found = await delegations.terms_on(session, today, manager_pk=person.manager_id)
    acting = acting_manager(person.manager_id, found, today)
    return acting if acting is not None else person.manager_id


async def _teams_acted_for(session: AsyncSession, actor_id: int, today: date) -> list[int]:
    found = await delegations.terms_on(session, today, delegate_pk=actor_id)
    return rule.teams_acted_for(actor_id, found, today)


async def people_in_charge(
    session: AsyncSession, actor_id: int, today: date
) -> list[tuple[Person, Authority]]:
    """Everyone the actor may act as line manager for today: their own active direct reports,
    then each delegated team's, by name within each team."""
    found: list[tuple[Person, Authority]] = [
        (p, LINE_MANAGER) for p in await employees.active_direct_reports(session, actor_id, today)
    ]
    seen = {p.id for p, _ in found}
    for manager_id in await _teams_acted_for(session, actor_id, today):
        acting = Authority("acting", on_behalf_of_id=manager_id)
        for person in await employees.active_direct_reports(session, manager_id, today):
            if person.id not in seen and person.id != actor_id:
                found.append((person, acting))
                seen.add(person.id)
    return found


async def in_charge_of(
    session: AsyncSession, actor_id: int, employee_ref: object, today: date
) -> tuple[Person, Authority] | None:
    """The person with this HR employee id (as a card submits it), if the actor may act as
    their line manager today; None for anything else, including ids that don't exist."""
    if not isinstance(employee_ref, str) or not employee_ref.strip():
        return None
    subject = await employees.get_person_by_employee_id(session, employee_ref.strip(), as_of=today)
    if subject is None:
        return None
    authority = await acting_for(session, actor_id, subject, today)
    return (subject, authority) if authority is not None else None


async def in_charge_of_pk(
    session: AsyncSession, actor_id: int, employee_pk: int, today: date
) -> tuple[Person, Authority] | None:
    subject = await employees.get_person(session, employee_pk, as_of=today)
    if subject is None:
        return None
    authority = await acting_for(session, actor_id, subject, today)
    return (subject, authority) if authority is not None else None


async def is_acting_manager(session: AsyncSession, actor_id: int, today: date) -> bool:
    """Acting manager for at least one team today (so manager commands are open to them)."""
    return bool(await _teams_acted_for(session, actor_id, today))


async def require_in_charge(
    database: Database, actor: Person, employee_ref: object, today: date, refusal: Exception
) -> tuple[Person, Authority]:
    """As :func:`in_charge_of`, in a session of its own; raises ``refusal`` (the caller's
    polite "only their line manager can …") when the actor may not act for them."""
    async with database.sessions() as session:
        found = await in_charge_of(session, actor.id, employee_ref, today)
    if found is None:
        raise refusal
    return found
