"""The employee's answer to a record about them (one-to-one, APR, return to work):
Acknowledge, or Send comment, which their manager is told about."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext

from dialogs import cards, kit
from domain.errors import Invalid
from domain.people import Person
from services.registry import Services

Respond = Callable[[Person, object, str | None], Awaitable[tuple[Any, int | None]]]
Notice = Callable[[Person, Any], cards.Element]
# The list the button was on, drawn again from the server for this person, with the record
# just answered marked by the given line ("Acknowledged by you at 10:42").
Relist = Callable[[Person, Any, str], Awaitable[cards.Element]]

# Set in a button's data when it sits on a list of records (not a card about one record):
# the list is then drawn again with that item answered, and the other items keep their buttons.
ON_A_LIST = "on_list"


async def employee_response(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    value: dict[str, Any],
    *,
    comment_form: str,
    id_key: str,
    respond: Respond,
    notice: Notice,
    what: str,
    relist: Relist | None = None,
) -> None:
    """Acknowledge or comment. The card pressed changes in place: a card about this one record
    is closed ("Acknowledged"); a list (``ON_A_LIST`` in the button's data, and ``relist``
    given) is drawn again from the server, the item answered marked, the others as they were."""
    commenting = value.get("form") == comment_form
    comment = value.get("comment") if commenting else None
    if commenting and not isinstance(comment, str):
        comment = ""
    try:
        record, manager_pk = await respond(person, value.get(id_key), comment)
    except Invalid as invalid:
        # The one "no" with its own answer: where on the card to type. A refusal goes to
        # the router's error boundary.
        await turn_context.send_activity(
            f"{invalid} Type it in the box on the card, then press Send comment."
        )
        return
    on_list = relist is not None and value.get(ON_A_LIST) is True
    if not commenting:
        said = f"Thanks, I've noted that you've seen {what}."
        if relist is not None and on_list:
            mark = f"Acknowledged by you at {services.clock.now():%H:%M}"
            card = await relist(person, record, mark)
            await kit.card_becomes(turn_context, card, otherwise=said)
            return
        footer = kit.done_by(person, "Acknowledged", services)
        await kit.form_saved(
            turn_context, cards.closed_card("Acknowledged", [said], footer), otherwise=said
        )
        return
    # The manager's notice is queued before the card changes: the reply can wait on a slow
    # Teams, and a crash then must not lose the notice.
    if manager_pk is not None:
        await services.notifier.send_card(
            manager_pk, notice(person, record), f"{person.first_name} commented"
        )
    said = "Thanks, your comment is saved and your manager will see it."
    if relist is not None and on_list:
        mark = f"Comment sent by you at {services.clock.now():%H:%M}"
        await kit.card_becomes(turn_context, await relist(person, record, mark), otherwise=said)
        return
    lines = [said, cards.plain(comment or "")]
    footer = kit.done_by(person, "Commented", services)
    await kit.form_saved(
        turn_context, cards.closed_card("Comment sent", lines, footer), otherwise=said
    )


async def request_acknowledgement(
    turn_context: TurnContext,
    services: Services,
    employee: Person,
    card: cards.Element,
    summary: str,
    *,
    what: str,
    confirm: Callable[[], Awaitable[None]],
) -> None:
    """Queue the record for the employee to acknowledge, then ``confirm`` to the sender (in
    that order: the reply can wait on a slow Teams, and a crash then must not lose the
    notice); tell the sender if the employee can't be reached."""
    reached = await services.notifier.send_card(employee.id, card, summary)
    await confirm()
    if not reached:
        await turn_context.send_activity(
            f"{employee.first_name} hasn't started a chat with Charter yet, so I couldn't ask "
            f"them to acknowledge {what}."
        )
