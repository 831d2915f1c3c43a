"""What every chat feature shares: sending a card, and asking which report someone means.

Features never import each other (an import contract); what two of them need lives here or in
``dialogs.cards``, ``dialogs.views`` and ``dialogs.responses``.
"""

from __future__ import annotations

from collections.abc import Sequence

from botbuilder.core import MessageFactory, TurnContext

from dialogs import cards
from domain.name_match import match_people
from domain.people import Person
from services.registry import Services

# The one-to-one conversation's "which person?" answer (see OneToOneDialog's stages).
PICK = "pick_report"


async def send_card(turn_context: TurnContext, card: cards.Element) -> None:
    await turn_context.send_activity(MessageFactory.attachment(cards.attachment(card)))


async def tell(services: Services, pk: int | None, card: cards.Element, summary: str) -> bool:
    """Send someone else a card; False when there is nobody, or they can't be reached."""
    return pk is not None and await services.notifier.send_card(pk, card, summary)


def pick_report_card(
    question: str, people: Sequence[Person], *, command: str | None = None
) -> cards.Element:
    """A button per person: answers the dialog's question, or runs ``command`` for them."""

    def data(person: Person) -> dict[str, object]:
        if command:
            return {"command": command, "employee_id": person.employee_id}
        return {"form": PICK, "employee_id": person.employee_id}

    actions = [cards.submit(p.name, data(p)) for p in people]
    if not command:
        actions.append(cards.command_button("Cancel", "cancel"))
    return cards.card([cards.text(question)], actions)


async def pick_report(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    name: str | None,
    employee_ref: object,
    command: str,
    question: str,
) -> Person | None:
    """The one report a name or button means; otherwise ask with a button per person."""
    reports = await services.one_to_ones.team_in_charge(manager)
    if isinstance(employee_ref, str):
        chosen = [r for r in reports if r.employee_id == employee_ref]
        if not chosen:
            await turn_context.send_activity("You can only do that for your own direct reports.")
            return None
    else:
        chosen = match_people(name, reports) if name else []
    if len(chosen) == 1:
        return chosen[0]
    if not reports:
        await turn_context.send_activity("Nobody reports to you in the organisation chart.")
        return None
    if name and not chosen:
        await turn_context.send_activity(f'I couldn\'t find "{name}" among your reports.')
    await send_card(turn_context, pick_report_card(question, chosen or reports, command=command))
    return None
