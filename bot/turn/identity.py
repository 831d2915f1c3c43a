"""Which employee is talking: by aadObjectId, else by the email Teams holds for them.

The only trusted inputs are the authenticated activity's ``from`` and the Teams roster the
bot fetches itself; nothing a user types or submits can change who they are. An email match
links the Teams account to the employee for good, so it is used only for the council's own
tenant (TenantGuardMiddleware decides; without its say-so nobody is matched by email):
anyone can give an account in their own tenant any address.
"""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bot.turn.middleware import LINK_BY_EMAIL_KEY
from domain.people import Person
from services.directory import Directory, IdentityMismatch

log = logging.getLogger("charter.identity")


async def _roster_email(turn_context: TurnContext) -> tuple[str | None, str | None]:
    """(email or UPN, aadObjectId) from the Teams roster; (None, None) if unavailable."""
    sender = turn_context.activity.from_property
    if sender is None or not sender.id:
        return None, None
    try:
        member = await TeamsInfo.get_member(turn_context, sender.id)
    except Exception as error:  # roster lookups fail outside Teams; that's not fatal
        log.debug("roster lookup failed: %s", type(error).__name__)
        return None, None
    email = member.email or member.user_principal_name
    return email, member.aad_object_id


async def identify(turn_context: TurnContext, directory: Directory) -> Person | None:
    sender = turn_context.activity.from_property
    aad_object_id = sender.aad_object_id if sender is not None else None
    if aad_object_id:
        person = await directory.by_aad_object_id(aad_object_id)
        if person is not None:
            return person
    if not turn_context.turn_state.get(LINK_BY_EMAIL_KEY, False):
        log.info("no employee linked to this Teams account; email matching is not allowed here")
        return None
    email, roster_aad = await _roster_email(turn_context)
    if not email:
        return None
    person = await directory.by_email(email)
    if person is None:
        return None
    link_to = aad_object_id or roster_aad
    if link_to:
        try:
            await directory.link_teams_identity(person, link_to)
        except IdentityMismatch:
            log.warning(
                "employee %s is linked to another Teams account; not identified",
                person.employee_id,
            )
            return None
    return person
