"""Who may act as someone's line manager: the one home of that rule.

The line manager in the organisation chart always may. During a delegation, the acting
manager may too, for the delegated team only, from its first day to its last (inclusive).
Nobody else does: not HR admins (they see records, they don't hold one-to-ones), not the
manager's manager. Every service that logs or records "as the line manager" asks here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Person
from storage import delegations, employees
from storage.database import Database

AuthorityKind = Literal["line_manager", "acting"]


@dataclass(frozen=True)
class Authority:
    kind: AuthorityKind
    # The org-chart line manager an acting manager acts for; None for the line manager.
    on_behalf_of_id: int | None = None

    @property
    def acting(self) -> bool:
        return self.kind == "acting"


LINE_MANAGER = Authority("line_manager")


async def acting_for(
    session: AsyncSession, actor_id: int, subject: Person, today: date
) -> Authority | None:
    """Whether ``actor_id`` may act as ``subject``'s line manager today, and how."""
    if subject.id == actor_id or not subject.is_active(today) or subject.manager_id is None:
        return None
    if subject.manager_id == actor_id:
        return LINE_MANAGER
    # In force as storage defines it for every path: confirmed, in its period, and the
    # acting manager still placed in the chart where such a delegation is allowed.
    if await delegations.is_delegate_for(session, actor_id, subject.manager_id, today):
        return Authority("acting", on_behalf_of_id=subject.manager_id)
    return None


async def current_manager_pk(session: AsyncSession, person: Person, today: date) -> int | None:
    """Who manages ``person`` today, to be told what they say about their records: the acting
    manager while their line manager's team is delegated, otherwise their line manager as the
    chart has it now (not whoever held an old record before a reorganisation)."""
    if person.manager_id is None:
        return None
    acting = await delegations.acting_manager_of(session, person.manager_id, today)
    return acting if acting is not None else person.manager_id


async def people_in_charge(
    session: AsyncSession, actor_id: int, today: date
) -> list[tuple[Person, Authority]]:
    """Everyone the actor may act as line manager for today: their own active direct reports,
    then each delegated team's, by name within each team."""
    found: list[tuple[Person, Authority]] = [
        (p, LINE_MANAGER) for p in await employees.active_direct_reports(session, actor_id, today)
    ]
    seen = {p.id for p, _ in found}
    for manager_id in await delegations.teams_acted_for(session, actor_id, today):
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
    return bool(await delegations.teams_acted_for(session, actor_id, today))


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
