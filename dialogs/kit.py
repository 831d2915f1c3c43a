"""What every chat feature shares: sending a card, changing the card someone acted on, and
asking which report someone means.

Features never import each other (an import contract); what two of them need lives here or in
``dialogs.cards``, ``dialogs.views`` and ``dialogs.responses``.

The card lifecycle (``dialogs.forms`` keeps its bookkeeping): a handler says what the card a
person pressed *becomes* (:func:`card_becomes`: a read-only summary once saved, the same form
with its problems, "Cancelled"), and the card is replaced in place, as Microsoft's Approvals
app does. Charter's buttons are ``Action.Submit`` (the project's Teams convention), so the
replacement is an ``update_activity`` of the message the submit replies to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from botbuilder.core import MessageFactory, TurnContext

from dialogs import cards, forms
from domain import form_tokens
from domain.name_match import match_people
from domain.people import Person
from services.registry import Services

# The one-to-one conversation's "which person?" answer (see OneToOneDialog's stages).
PICK = "pick_report"


async def send_card(turn_context: TurnContext, card: cards.Element) -> None:
    """Send a new card; a form is stamped with when it was sent and remembered as open."""
    forms.issue(turn_context, card)
    response = await turn_context.send_activity(MessageFactory.attachment(cards.attachment(card)))
    if response is not None and response.id:
        await forms.note_sent(turn_context, response.id, card)


async def card_becomes(
    turn_context: TurnContext, card: cards.Element, *, otherwise: str | None = None
) -> None:
    """The card this submit came from becomes ``card``, in place. Where there is no card to
    replace (typed text, a client that sends no ``replyToId``) or Teams refuses the update,
    ``otherwise`` is said, or else ``card`` is sent as a new message, so nothing is lost."""
    target = forms.pressed_card_id(turn_context)
    if target is not None and await forms.replace(turn_context, target, card):
        return
    if otherwise is not None:
        await turn_context.send_activity(otherwise)
    else:
        await send_card(turn_context, card)


async def form_saved(
    turn_context: TurnContext,
    card: cards.Element,
    *,
    otherwise: str | None = None,
    record: tuple[str, int] | None = None,
) -> None:
    """The form just saved becomes ``card`` (a read-only summary); its token is remembered, so
    pressing Save on a copy of it again is answered "already saved". ``record`` (kind, id):
    what it saved, for a feature that registered how to draw it again (:func:`redraw_saved`)."""
    await forms.note_saved(turn_context, record)
    await card_becomes(turn_context, card, otherwise=otherwise)


# Draws a saved record's summary again, from the server, for the person who pressed (None if
# they may no longer see or change it); with its Edit button.
SavedSummary = Callable[[Services, Person, int], Awaitable[cards.Element | None]]
_SAVED_SUMMARIES: dict[str, SavedSummary] = {}


def redraw_saved(kind: str, summary: SavedSummary) -> None:
    """A feature says how to draw its saved ``kind`` of record again: a second press of Save on
    a form that saved one then shows that record as the server has it, not a bare message."""
    _SAVED_SUMMARIES[kind] = summary


# The reply where the record can't be drawn again: no word of an Edit button, which records
# other than one-to-ones (and one-to-ones past their edit window) don't have.
ALREADY_SAVED_REPLY = (
    "This form was already saved. Nothing was changed: this copy, and any edits made to it, "
    "were not saved."
)
ALREADY_SAVED_NOTE = (
    "**This was already saved.** Pressing Save again, with or without edits, changed nothing. "
    "To change it, use **Edit** below."
)


def expired_lines(issued: datetime | None) -> list[str]:
    when = f" on {issued:%-d %B}" if issued is not None else ""
    days = form_tokens.MAX_FORM_AGE.days
    return [
        f"This form was opened{when}, and forms close after {days} days because what they "
        "were filled in against may have changed since. Nothing was saved.",
        "Please start again: type **help** to see how.",
    ]


async def refused_as_stale(turn_context: TurnContext, person: Person, services: Services) -> bool:
    """Before a form is saved: one already saved, or left open too long, is answered on the
    card itself and goes no further. True if it was."""
    if await forms.was_saved(turn_context):
        # The card is never wiped: it shows the saved record again as the server has it (the
        # submitted values are ignored), with its Edit button and a line saying why; where
        # there is no such summary to draw, the card is left as it is and a reply says so.
        reply = ALREADY_SAVED_REPLY
        summary = await _saved_again(turn_context, person, services)
        if summary is None:
            await turn_context.send_activity(reply)
        else:
            await card_becomes(turn_context, summary, otherwise=reply)
        return True
    if forms.is_expired(turn_context):
        issued = form_tokens.issued_at(forms.submitted(turn_context))
        footer = done_by(person, "Expired when pressed", services)
        card = cards.closed_card("This form has expired", expired_lines(issued), footer)
        await card_becomes(turn_context, card)
        return True
    return False


async def _saved_again(
    turn_context: TurnContext, person: Person, services: Services
) -> cards.Element | None:
    """The summary of the record the pressed form saved, drawn again from the server, with the
    "already saved" line under its heading; None if there is none to draw."""
    found = await forms.saved_record(turn_context)
    summary = _SAVED_SUMMARIES.get(found[0]) if found is not None else None
    if found is None or summary is None:
        return None
    card = await summary(services, person, found[1])
    if card is None:
        return None
    body = list(card.get("body", []))
    body.insert(1 if body else 0, cards.text(ALREADY_SAVED_NOTE))
    footer = done_by(person, "Pressed again", services)
    return cards.with_footer({**card, "body": body}, footer, card.get("actions"))


async def cancel_form(turn_context: TurnContext, person: Person, services: Services) -> bool:
    """Cancel: the card pressed, or else the form open in this chat, becomes "Cancelled".
    False if there was no form to cancel (the conversation rules then decide)."""
    card = cards.closed_card(
        "Cancelled", ["Nothing was saved."], done_by(person, "Cancelled", services)
    )
    if forms.pressed_card_id(turn_context) is not None:
        await card_becomes(turn_context, card)
        return True
    return await forms.close_open(turn_context, card)


def done_by(person: Person, verb: str, services: Services) -> str:
    """ "Saved by Priya at 10:42", in the council's time zone (the app's settings)."""
    return f"{verb} by {person.first_name} at {services.clock.now():%H:%M}"


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
        actions.append(cards.cancel_button())
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
