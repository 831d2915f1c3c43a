"""What the employee sees of their one-to-ones: their copy of the notes, their list with
Acknowledge / Add a comment, their actions, and what is waiting for them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from dialogs import cards
from dialogs.one_to_ones.views import ACK, ACTION_DONE, COMMENT, action_line, for_employee
from dialogs.responses import ON_A_LIST
from domain.date_words import format_short, format_uk
from domain.form_tokens import stamped
from domain.records import ActionView
from services.one_to_ones import (
    MAX_NOTE_CHARS,
    SharedOneToOne,
)


def employee_card(shared: SharedOneToOne) -> cards.Element:
    """What the employee receives: shared notes and actions, never the private note."""
    who = shared.manager_name or "Your manager"
    body = [
        cards.heading("Your one-to-one"),
        cards.text(f"{who} logged your one-to-one of {format_uk(shared.held_on)}."),
    ]
    if shared.areas_covered:
        body.append(cards.facts([("Covered", ", ".join(shared.areas_covered))]))
    if shared.shared_notes:
        body += [cards.subheading("Notes for you"), cards.text(cards.plain(shared.shared_notes))]
    owners = for_employee(shared.manager_name)
    yours = [a for a in shared.actions if a.owner == "employee"]
    theirs = [a for a in shared.actions if a.owner == "manager"]
    if yours:
        body += [
            cards.subheading("Your actions"),
            cards.text("\n".join(action_line(a, owners) for a in yours)),
        ]
    if theirs:
        body += [
            cards.subheading(f"{who}'s actions"),
            cards.text("\n".join(action_line(a, owners) for a in theirs)),
        ]
    body.append(
        cards.input_text(
            "comment",
            "Anything to add? (your manager will see it)",
            multiline=True,
            max_length=MAX_NOTE_CHARS,
        )
    )
    # One token for both buttons: the card is answered once (it then becomes read-only).
    answer = stamped({"record_id": shared.id})
    return cards.card(
        body,
        [
            cards.submit("Acknowledge", {**answer, "form": ACK}, primary=True),
            cards.submit("Send comment", {**answer, "form": COMMENT}),
        ],
    )


def my_one_to_ones_card(
    records: Sequence[SharedOneToOne], *, answered: Mapping[int, str] | None = None
) -> cards.Element:
    """Their one-to-ones, each with its own buttons; ``answered``: the line that marks the one
    just acknowledged or commented on from this list ("Acknowledged by you at 10:42")."""
    body = [cards.heading("Your one-to-ones")]
    if not records:
        body.append(cards.text("No one-to-ones have been logged for you yet."))
    for record in records:
        items: list[cards.Element] = [
            cards.subheading(
                f"{format_uk(record.held_on)} with {record.manager_name or 'your manager'}"
            )
        ]
        if record.areas_covered:
            items.append(cards.text("Covered: " + ", ".join(record.areas_covered), subtle=True))
        if record.shared_notes:
            items.append(cards.text(cards.plain(record.shared_notes)))
        if record.actions:
            items.append(
                cards.text(
                    "\n".join(
                        action_line(a, for_employee(record.manager_name))
                        + (" ✓" if a.status == "done" else "")
                        for a in record.actions
                    )
                )
            )
        items.append(_response_part(record, (answered or {}).get(record.id)))
        body.append(cards.container(items, separator=True))
    return cards.card(body)


def _response_part(record: SharedOneToOne, answered: str | None = None) -> cards.Element:
    """What they said about it, or the buttons to say it: a one-to-one logged before they
    opened Charter can be acknowledged or commented on from here. The buttons say they are on
    a list, so answering one item leaves the others as they are."""
    if record.employee_comment:
        said = cards.text(f"You commented: {cards.plain(record.employee_comment)}", subtle=True)
        return cards.container([cards.text(f"**{answered}**"), said]) if answered else said
    comment = cards.card(
        [
            cards.input_text(
                "comment",
                "Anything to add? (your manager will see it)",
                multiline=True,
                max_length=MAX_NOTE_CHARS,
            )
        ],
        [cards.submit("Send comment", {"form": COMMENT, "record_id": record.id, ON_A_LIST: True})],
    )
    buttons: list[cards.Element] = []
    if not record.acknowledged:
        buttons.append(
            cards.submit("Acknowledge", {"form": ACK, "record_id": record.id, ON_A_LIST: True})
        )
    buttons.append({"type": "Action.ShowCard", "title": "Add a comment", "card": comment})
    parts: list[cards.Element] = [cards.action_set(buttons)]
    if answered:
        parts.insert(0, cards.text(f"**{answered}**"))
    elif record.acknowledged:
        parts.insert(0, cards.text("You've acknowledged this.", subtle=True))
    else:
        parts.insert(0, cards.text("**Waiting for you to acknowledge it.**"))
    return cards.container(parts)


def my_actions_card(actions: Sequence[ActionView], today: date) -> cards.Element:
    body = [cards.heading("Your open actions")]
    if not actions:
        body.append(cards.text("Nothing open. Well done!"))
    for action in actions:
        overdue = action.due_on is not None and action.due_on < today
        due = f"due {format_short(action.due_on)}" if action.due_on else "no due date"
        body.append(
            cards.columns(
                (
                    [
                        cards.text(cards.plain(action.text)),
                        cards.text(("Overdue: " if overdue else "") + due, subtle=not overdue),
                    ],
                    "stretch",
                ),
                (
                    [
                        cards.action_set(
                            [cards.submit("Done", {"form": ACTION_DONE, "action_id": action.id})]
                        )
                    ],
                    "auto",
                ),
            )
        )
    return cards.card(body)


def waiting_card(records: Sequence[SharedOneToOne]) -> cards.Element:
    """What is waiting for them: one-to-ones to acknowledge, and the button to open them."""
    lines = [
        f"- your one-to-one of {format_uk(r.held_on)} with {r.manager_name or 'your manager'}"
        for r in records
    ]
    count = "a one-to-one" if len(records) == 1 else f"{len(records)} one-to-ones"
    return cards.card(
        [
            cards.subheading("Waiting for you"),
            cards.text(f"Your manager logged {count} for you to acknowledge or comment on:"),
            cards.text("\n".join(lines)),
        ],
        [cards.submit("Open my one-to-ones", {"command": "my_one_to_ones"}, primary=True)],
    )
