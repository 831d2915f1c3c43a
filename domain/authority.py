"""Who may act as someone's line manager: the one home of that rule, with no database.

The line manager in the organisation chart always may. During a delegation in force (see
:func:`domain.delegation_rules.in_force`), the acting manager may too, for the delegated team
only. Nobody else does: not HR admins (they see records, they don't hold one-to-ones), not the
manager's manager (unless a delegation makes them acting manager), not the person themself.
Services load the facts (the people and the delegations) and ask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from domain.delegation_rules import DelegationTerms, in_force
from domain.people import Person

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


def may_act_for(
    actor: Person, subject: Person, delegations: Iterable[DelegationTerms], today: date
) -> Authority | None:
    """Whether ``actor`` may act as ``subject``'s line manager today, and how. Roles grant
    nothing here: only the chart and the delegations do."""
    return authority_of(actor.id, subject, delegations, today)


def authority_of(
    actor_id: int, subject: Person, delegations: Iterable[DelegationTerms], today: date
) -> Authority | None:
    """:func:`may_act_for` for an actor known only by id (all the rule needs of them)."""
    if subject.id == actor_id or not subject.is_active(today) or subject.manager_id is None:
        return None
    if subject.manager_id == actor_id:
        return LINE_MANAGER
    if any(
        d.manager_id == subject.manager_id and d.delegate_id == actor_id and in_force(d, today)
        for d in delegations
    ):
        return Authority("acting", on_behalf_of_id=subject.manager_id)
    return None


def teams_acted_for(
    actor_id: int, delegations: Iterable[DelegationTerms], today: date
) -> list[int]:
    """The line managers whose teams ``actor_id`` is acting manager for today, oldest
    delegation first, each once."""
    found = sorted(
        (d for d in delegations if d.delegate_id == actor_id and in_force(d, today)),
        key=lambda d: (d.starts_on, d.id),
    )
    return list(dict.fromkeys(d.manager_id for d in found))
