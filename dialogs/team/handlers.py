"""`my team`, `team for <name>` and delegation in chat: thin handlers over the domain services.

Every button's employee id is re-checked by the service (``TeamOverviewService.team_of``,
``DelegationService``); nothing a card says is trusted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from botbuilder.core import TurnContext

from dialogs import cards, forms
from dialogs.kit import card_becomes, done_by, form_saved, pick_report_card, send_card
from dialogs.team import views
from domain import form_tokens, form_values
from domain.date_words import format_short
from domain.delegation_phrases import parse_delegation_request
from domain.people import Person
from domain.records import DelegationView
from services.delegation import InvalidDelegation
from services.registry import Services

USAGE = (
    "To hand your team to an acting manager while you are away, say for example "
    "**delegate my team to Tom Griffiths until 10 January** (or *until Friday*, *for two "
    "weeks*, *from 1 December until 14 December*), or **Tom Griffiths is acting manager for "
    "me until 10 January**. HR can say **delegate Priya Shah's team to …**. I'll show you "
    "what they would see and ask you to confirm before anything is handed over."
)


async def my_team(turn_context: TurnContext, services: Services, person: Person) -> None:
    teams = await services.team.my_teams(person)
    if not teams:
        await turn_context.send_activity(
            "Nobody reports to you in the organisation chart, and you aren't acting manager "
            "for a team at the moment."
        )
        return
    await send_card(turn_context, views.team_card(teams, viewer_id=person.id))


async def team_for(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    *,
    name: str | None,
    employee_ref: object,
) -> None:
    """A team below the viewer in the chart (or any team, for HR)."""
    ref = employee_ref
    if not isinstance(ref, str):
        matches = await services.team.managers_below(person, name or "")
        if len(matches) != 1:
            if not matches:
                await turn_context.send_activity(
                    f"I couldn't find a manager called \u201c{name}\u201d below you in the "
                    "organisation chart."
                    if name
                    else "Whose team? Say for example **team for Priya**."
                )
                return
            await send_card(
                turn_context, pick_report_card("Whose team?", matches, command="team_for")
            )
            return
        ref = matches[0].employee_id
    team = await services.team.team_of(person, ref)
    await send_card(turn_context, views.team_card([team], viewer_id=person.id))


async def _person_named(
    turn_context: TurnContext, services: Services, name: str, what: str
) -> Person | None:
    matches = await services.directory.active_people_named(name)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        await turn_context.send_activity(
            f"I couldn't find anyone called \u201c{name}\u201d to be {what}. Nothing was changed."
        )
    else:
        names = ", ".join(m.name for m in matches[:5])
        await turn_context.send_activity(
            f"More than one person matches \u201c{name}\u201d ({names}); please give their full "
            "name. Nothing was changed."
        )
    return None


async def delegate(
    turn_context: TurnContext, services: Services, person: Person, text: str | None
) -> None:
    today = services.clock.today()
    phrase = parse_delegation_request(text, today)
    if phrase is None:
        await turn_context.send_activity(USAGE)
        return
    if phrase.ends_on is None:
        said = (
            f" I didn't understand \u201c{phrase.end_words}\u201d as a date."
            if phrase.end_words
            else ""
        )
        await turn_context.send_activity(
            f"Until when?{said} Say for example **delegate my team to {phrase.delegate_name} "
            "until 10 January**. Nothing was changed."
        )
        return
    manager: Person | None = person
    if phrase.owner_name is not None:
        manager = await _person_named(turn_context, services, phrase.owner_name, "the manager")
        if manager is None:
            return
    acting = await _person_named(turn_context, services, phrase.delegate_name, "acting manager")
    if acting is None or manager is None:
        return
    try:
        proposal = await services.delegations.propose(
            person, manager, acting, starts_on=phrase.starts_on, ends_on=phrase.ends_on
        )
    except InvalidDelegation as invalid:  # its own wording; a refusal is the router's
        await turn_context.send_activity(
            "I can't set that up: " + " ".join(invalid.problems) + " Nothing was changed."
        )
        return
    # Nothing is handed over yet: the card asks first, and its Confirm acts on what is held
    # here on the server under the card's token, never on ids the submit carries.
    data = form_tokens.stamped({"form": views.CONFIRM_DELEGATION})
    token = form_tokens.token_of(data)
    held = {
        "by": person.id,
        "manager": manager.id,
        "delegate": acting.id,
        "starts_on": proposal.starts_on.isoformat(),
        "ends_on": proposal.ends_on.isoformat(),
    }
    if token is None or not await forms.hold(turn_context, token, held):
        await turn_context.send_activity("I can't ask you to confirm here. Nothing was changed.")
        return
    await send_card(
        turn_context, views.delegation_confirm_card(proposal, data, viewer_id=person.id)
    )


async def _held_request(
    services: Services, person: Person, held: dict[str, Any] | None
) -> tuple[Person, Person, date, date] | None:
    """The people and dates a confirm card proposed to this person, if it is theirs."""
    if held is None or held.get("by") != person.id:
        return None
    manager_pk, delegate_pk = held.get("manager"), held.get("delegate")
    if not isinstance(manager_pk, int) or not isinstance(delegate_pk, int):
        return None
    manager = await services.directory.by_pk(manager_pk)
    acting = await services.directory.by_pk(delegate_pk)
    try:
        starts_on = date.fromisoformat(str(held.get("starts_on")))
        ends_on = date.fromisoformat(str(held.get("ends_on")))
    except ValueError:
        return None
    if manager is None or acting is None:
        return None
    return manager, acting, starts_on, ends_on


async def confirm_delegation(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    """Confirm on the card: everything is checked again (the delegator's authority, the
    people, the dates, a clash) before the team is handed over; the card becomes the outcome."""
    found = await _held_request(services, person, await forms.take(turn_context))
    if value.get("answer") == views.CANCEL:
        lines = ["Nothing was handed over."]
        footer = done_by(person, "Cancelled", services)
        await card_becomes(turn_context, cards.closed_card("Cancelled", lines, footer))
        return
    if found is None:
        await card_becomes(
            turn_context,
            cards.closed_card(
                "Nothing was changed",
                [
                    "I no longer have that request. Please ask again, for example "
                    "**delegate my team to Tom Griffiths until Friday**."
                ],
                done_by(person, "Pressed", services),
            ),
        )
        return
    manager, acting, starts_on, ends_on = found
    try:
        made = await services.delegations.create(
            person, manager, acting, starts_on=starts_on, ends_on=ends_on
        )
    except InvalidDelegation as invalid:
        lines = ["I can't set that up: " + " ".join(invalid.problems), "Nothing was changed."]
        footer = done_by(person, "Pressed", services)
        await card_becomes(turn_context, cards.closed_card("Not set up", lines, footer))
        return
    footer = done_by(person, "Confirmed", services)
    if made.awaiting_confirmation:
        # Grants nothing yet, so the would-be acting manager isn't told they have the team.
        await form_saved(turn_context, views.delegation_pending_card(made, footer))
        return
    # The acting manager's notice is queued before the reply, which can wait on a slow Teams.
    told = made.delegate_id == person.id or await services.notifier.send_card(
        made.delegate_id,
        views.delegation_started_card(made),
        f"You are acting manager for {made.manager_name}'s team",
    )
    await form_saved(turn_context, views.delegation_saved_card(made, footer))
    if not told:
        await turn_context.send_activity(
            f"I couldn't message {acting.first_name} in Teams yet (they haven't opened "
            "Charter), so please let them know."
        )


async def end_delegation(turn_context: TurnContext, services: Services, person: Person) -> None:
    found = await services.delegations.endable_by(person)
    if not found:
        await turn_context.send_activity("There's no delegation for you to end.")
        return
    await send_card(turn_context, views.end_delegation_card(found))


async def submit_end_delegation(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    wanted = form_values.record_id(value.get("delegation_id"))
    if wanted is None:
        await turn_context.send_activity("I couldn't find that delegation. Nothing was changed.")
        return
    try:
        ended = await services.delegations.end(person, wanted)
    except InvalidDelegation as invalid:  # e.g. already ended; a refusal is the router's
        await turn_context.send_activity(f"{invalid} Nothing was changed.")
        return
    await turn_context.send_activity(
        f"Ended: {ended.delegate_name} is no longer acting manager for "
        f"{ended.manager_name}'s team (it was due to run until {format_short(ended.ends_on)})."
    )


def _pending_line(d: DelegationView, person: Person) -> str:
    team = "your" if d.manager_id == person.id else f"{d.manager_name}'s"
    return (
        f"- **{d.delegate_name}** for {team} team, {format_short(d.starts_on)} to "
        f"{format_short(d.ends_on)}: waiting for an HR admin to confirm"
    )


async def who_is_acting(turn_context: TurnContext, services: Services, person: Person) -> None:
    of_team = await services.delegations.of_team(person)
    acting_as = await services.delegations.acting_as(person)
    confirmed = [d for d in of_team if not d.awaiting_confirmation]
    lines = views.delegation_lines(confirmed, mine=True)
    lines += views.delegation_lines(
        [d for d in acting_as if not d.awaiting_confirmation], mine=False
    )
    # Pending ones grant nothing yet: say so rather than list them as in force.
    pending = [d for d in [*of_team, *acting_as] if d.awaiting_confirmation]
    lines += [_pending_line(d, person) for d in dict.fromkeys(pending)]
    if not lines:
        await turn_context.send_activity(
            "Nobody is acting for your team, and you aren't acting for anyone's. " + USAGE
        )
        return
    await turn_context.send_activity("\n".join(lines))
