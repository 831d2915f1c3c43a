"""The reminder digest's own buttons: Snooze (7 days), Done elsewhere, an objective to agree
(shown in the digest, then Agree or Ask for changes), and the day-before invitation's "Add to
my agenda" (the point goes to the presser's own agenda with whoever manages them today). A
reminder that isn't theirs, or a missing reason, is answered by the router's error boundary.

A press changes the digest card in place: what each item shows is read back from the server
(the recipient's marks in the outbox, the objective as recorded), so a stale or edited card
can't claim anything; a second press on an item already dealt with changes nothing and says so.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from dialogs import cards, kit
from dialogs.nudges import views
from domain import form_values
from domain.date_words import format_short
from domain.errors import Invalid, Refused
from domain.nudge_rules import NudgeKind
from domain.people import Person
from domain.records import ObjectiveView
from services.agenda import AgendaService
from services.nudges import AlreadyMarked, DigestItem, DigestState, ItemMark
from services.registry import Services

EMPTY_POINT = "Please type what you'd like to talk about, then press Add to my agenda."


def _agenda(services: Services) -> AgendaService:
    return AgendaService(
        services.database,
        services.clock,
        services.audit,
        cadence_days=services.one_to_ones.policy.default_cadence_days,
    )


async def add_to_agenda(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    """The invitation's box: the point goes to the presser's own agenda (never to an id the
    card sends), and the item shows it was added, with the box again for another point.
    Empty text, or a point that can't be added, is said on the item and changes nothing."""
    state = await _digest(services, person, value)
    if state is None:  # every invitation card names its digest: this press is no copy of one
        raise Refused("That reminder isn't one of yours.")
    if state.item(value.get("item_key")).kind != NudgeKind.AGENDA_INVITE:
        raise Refused("That reminder isn't an invitation to add to your agenda.")
    text = form_values.text(value, views.AGENDA_TEXT)
    notice = None
    if not text:
        notice = EMPTY_POINT
    else:
        try:
            await _agenda(services).add_point(person, text)
        except (Invalid, Refused) as problem:
            notice = str(problem)
    said = f"Added to your one-to-one agenda: {cards.plain(text)}" if notice is None else ""
    await _show(turn_context, services, person, state, value, otherwise=said, notice=notice)


async def snooze(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    item_key = value.get("item_key")
    state = await _digest(services, person, value)
    if state is not None and await _answered_already(turn_context, services, person, state, value):
        return
    try:
        until = await services.nudges.snooze(person.id, item_key)
    except AlreadyMarked as already:
        await _already(turn_context, services, person, state, value, str(already))
        return
    said = f"Snoozed: I won't mention it again before {until:%A %-d %B}."
    await _show(turn_context, services, person, state, value, otherwise=said)


async def done_elsewhere(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    state = await _digest(services, person, value)
    if state is not None and await _answered_already(turn_context, services, person, state, value):
        return
    try:
        await services.nudges.done_elsewhere(person.id, value.get("item_key"), value.get("reason"))
    except AlreadyMarked as already:
        await _already(turn_context, services, person, state, value, str(already))
        return
    said = "Thanks, noted as done elsewhere. I won't remind you about it."
    await _show(turn_context, services, person, state, value, otherwise=said)


async def review(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    """ "Agree objective": the item opens in the digest with the objective's title, measure
    and target date, and Agree / Ask for changes."""
    state, objective_id = await _objective_item(services, person, value)
    if await _answered_already(turn_context, services, person, state, value):
        return
    objective = (await services.objectives.access(person, objective_id)).objective
    await _show(
        turn_context,
        services,
        person,
        state,
        value,
        review=_facts(objective),
        otherwise=f"{cards.plain(objective.title)}: use Agree on the reminder.",
    )


async def agree(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    state, objective_id = await _objective_item(services, person, value)
    if await _answered_already(turn_context, services, person, state, value):
        return
    access = await services.objectives.agree(person, objective_id)
    other = access.owner.manager_id if access.actor.value == "owner" else access.owner.id
    await kit.tell(
        services,
        other,
        views.objective_notice(person, access.objective, "agreed the objective"),
        f"{person.first_name} agreed an objective",
    )
    said = f"Agreed: {cards.plain(access.objective.title)}"
    await _show(turn_context, services, person, state, value, otherwise=said)


async def ask_for_changes(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    state, objective_id = await _objective_item(services, person, value)
    if await _answered_already(turn_context, services, person, state, value):
        return
    comment = form_values.text(value, "comment")
    if not comment:
        raise Invalid("Please say what should change, then press Send.")
    access = await services.objectives.discuss(person, objective_id, comment)
    owner_asked = access.actor.value == "owner"
    other = access.owner.manager_id if owner_asked else access.owner.id
    await kit.tell(
        services,
        other,
        views.objective_notice(
            person,
            access.objective,
            "would like changes to the objective",
            comment=comment,
            owner_can_change=not owner_asked,
        ),
        f"{person.first_name} would like changes to an objective",
    )
    said = "I've passed that on; talk it through at your next one-to-one."
    await _show(turn_context, services, person, state, value, otherwise=said)


async def _digest(services: Services, person: Person, value: dict[str, Any]) -> DigestState | None:
    """The digest the pressed card is, if it says (older cards don't): the recipient's own,
    with the pressed item on it."""
    if "digest_id" not in value:
        return None
    state = await services.nudges.digest(person.id, value.get("digest_id"))
    state.item(value.get("item_key"))
    return state


async def _objective_item(
    services: Services, person: Person, value: dict[str, Any]
) -> tuple[DigestState, int]:
    """The digest and the objective its item is about (from the outbox, not the card)."""
    state = await _digest(services, person, value)
    if state is None:
        raise Refused("That reminder isn't one of yours.")
    nudge = state.item(value.get("item_key"))
    objective_id = _objective_id(nudge)
    if objective_id is None:
        raise Refused("That reminder isn't about an objective to agree.")
    return state, objective_id


def _objective_id(nudge: DigestItem) -> int | None:
    if nudge.kind != NudgeKind.OBJECTIVE_TO_AGREE:
        return None
    return form_values.record_id(nudge.item_key.removeprefix(views.OBJECTIVE_PREFIX))


async def _answered_already(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    state: DigestState,
    value: dict[str, Any],
) -> bool:
    """An item already dealt with (seen on the server): the card is shown as it is now, the
    press is answered, and nothing changes."""
    outcome = await _outcome(services, person, state, state.item(value.get("item_key")))
    if outcome is None:
        return False
    said = f"That one is already dealt with ({outcome}). Nothing was changed."
    await _already(turn_context, services, person, state, value, said)
    return True


async def _already(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    state: DigestState | None,
    value: dict[str, Any],
    said: str,
) -> None:
    if state is not None:
        fresh = await services.nudges.digest(person.id, state.digest_id)
        await _show(turn_context, services, person, fresh, value, otherwise="")
    await turn_context.send_activity(said)


async def _show(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    state: DigestState | None,
    value: dict[str, Any],
    *,
    otherwise: str,
    review: list[tuple[str, str]] | None = None,
    notice: str | None = None,
) -> None:
    """The digest card pressed becomes the digest as it is now (read again after the change);
    with no card to change (an older card, typed text), ``otherwise`` is said."""
    if state is None:
        await turn_context.send_activity(otherwise)
        return
    fresh = await services.nudges.digest(person.id, state.digest_id)
    outcomes = {}
    for nudge in fresh.nudges:
        said = await _outcome(services, person, fresh, nudge)
        if said is not None:
            outcomes[nudge.item_key] = said
    card = views.digest_part(
        fresh.nudges,
        fresh.subject_refs,
        str(value.get("item_key")),
        outcomes=outcomes,
        review=review,
        added=await _added(services, person, fresh),
        notice=notice,
    )
    await kit.card_becomes(turn_context, card, otherwise=otherwise or notice or None)


async def _added(services: Services, person: Person, state: DigestState) -> dict[str, list[str]]:
    """The points the reader added to their own agenda since each invitation was sent, still
    open (read from the agenda, not the card)."""
    invites = [n for n in state.nudges if n.kind == NudgeKind.AGENDA_INVITE]
    if not invites:
        return {}
    points = (await _agenda(services).my_agenda(person)).points
    return {
        n.item_key: [
            p.text for p in points if p.added_by_id == person.id and p.added_at >= n.created_at
        ]
        for n in invites
    }


async def _outcome(
    services: Services, person: Person, state: DigestState, nudge: DigestItem
) -> str | None:
    """What was done about the item, as recorded; None while it still needs doing."""
    mark = state.marks.get(nudge.item_key)
    if mark is not None and mark.finished(services.clock.today()):
        return _mark_text(person, mark)
    objective_id = _objective_id(nudge)
    if objective_id is None:
        return None
    try:
        objective = (await services.objectives.access(person, objective_id)).objective
        updates = await services.objectives.history(person, objective_id)
    except Refused:
        return "No longer yours to agree"
    tz = services.clock.tz
    if objective.status != "draft":
        agreed = [u for u in updates if u.status_to == "agreed"]
        if not agreed:
            return f"No longer waiting to be agreed ({objective.status.replace('_', ' ')})"
        last = agreed[-1]
        who = f" by {person.first_name}" if last.author_id == person.id else ""
        return f"Agreed{who} at {last.created_at.astimezone(tz):%H:%M on %-d %b}"
    asked = [
        u
        for u in updates
        if u.kind == "discuss" and u.author_id == person.id and u.created_at >= nudge.created_at
    ]
    if asked:
        at = asked[-1].created_at.astimezone(tz)
        return f"Changes asked for by {person.first_name} at {at:%H:%M on %-d %b}"
    return None


def _mark_text(person: Person, mark: ItemMark) -> str:
    if mark.reason is not None:
        return (
            f"Marked done elsewhere by {person.first_name} at {mark.at:%H:%M on %-d %b}: "
            f"{mark.reason}"
        )
    until = mark.until or mark.at.date()
    return f"Snoozed by {person.first_name} until {until:%A %-d %B}"


def _facts(objective: ObjectiveView) -> list[tuple[str, str]]:
    pairs = [("Objective", cards.plain(objective.title))]
    pairs.append(("Success looks like", cards.plain(objective.measure) or "Not said"))
    target = objective.target_date
    pairs.append(("Target date", format_short(target) if target else "Not set"))
    pairs.append(("Council priority", objective.priority_title or "Not linked"))
    if objective.plan_title:
        pairs.append(("Supports", objective.plan_title))
    return pairs
