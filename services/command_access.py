"""Who may use a chat command: the one place the chat layer asks.

A command's audience admits people by their own roles (``domain.commands.Audience``). An
acting manager may also use managers' commands while a delegation to them is in force; which
team they may act for is checked again by each service (``services.authority``).
"""

from __future__ import annotations

from datetime import date

from domain.commands import Audience
from domain.people import Person
from services import authority
from storage.database import Database


async def may_use(database: Database, person: Person, audience: Audience, today: date) -> bool:
    if audience.admits(person):
        return True
    if not audience.open_to_acting_managers:
        return False
    async with database.sessions() as session:
        return await authority.is_acting_manager(session, person.id, today)
