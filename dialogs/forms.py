"""The card lifecycle's bookkeeping for one chat, kept in conversation state: which form card
is open (so a typed **cancel** closes it, with or without a conversation in progress) and which
form instances this chat saved (so a second press of a saved form, even with edits, is
answered "already saved" on the card itself). The service's own token check stays the
backstop for two presses at the same moment.

The router installs the ledger at the start of each message turn (:func:`install`); without it
(a proactive send) these functions do nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.core import StatePropertyAccessor, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import HttpOperationError

from dialogs import cards
from domain import form_tokens
from domain.clock import Clock

log = logging.getLogger("charter.bot")

LEDGER_KEY = "charter.forms"
OPEN = "open"
SAVED = "saved"
SAVED_RECORDS = "saved_records"  # form token -> [kind, record id]
# Saved form tokens remembered per chat: enough for any card still on screen.
KEEP_SAVED = 50


@dataclass(frozen=True)
class Ledger:
    state: StatePropertyAccessor
    clock: Clock


def install(turn_context: TurnContext, state: StatePropertyAccessor, clock: Clock) -> None:
    turn_context.turn_state[LEDGER_KEY] = Ledger(state, clock)


def _ledger(turn_context: TurnContext) -> Ledger | None:
    found = turn_context.turn_state.get(LEDGER_KEY)
    return found if isinstance(found, Ledger) else None


async def _book(turn_context: TurnContext) -> dict[str, Any] | None:
    ledger = _ledger(turn_context)
    if ledger is None:
        return None
    book = await ledger.state.get(turn_context, dict)
    return book if isinstance(book, dict) else None


def now(turn_context: TurnContext) -> Any:
    ledger = _ledger(turn_context)
    return ledger.clock.now() if ledger is not None else None


def submitted(turn_context: TurnContext) -> dict[str, Any]:
    value = turn_context.activity.value
    return value if isinstance(value, dict) else {}


def issue(turn_context: TurnContext, card: cards.Element) -> None:
    """Stamp every form token on the card with when it is sent (by the service clock)."""
    moment = now(turn_context)
    if moment is None:
        return
    for action in cards.submit_actions(card):
        if isinstance(action.get("data"), dict):
            form_tokens.issue(action["data"], moment)


def is_form(card: cards.Element) -> bool:
    """A card someone fills in or can cancel: it carries a form token or a Cancel button."""
    for action in cards.submit_actions(card):
        data = action.get("data")
        if isinstance(data, dict) and (
            form_tokens.token_of(data) is not None or data.get("command") == "cancel"
        ):
            return True
    return False


def pressed_card_id(turn_context: TurnContext) -> str | None:
    """The id of the message whose card was just pressed, when the client says so."""
    activity = turn_context.activity
    if not isinstance(activity.value, dict):
        return None
    return activity.reply_to_id or None


async def note_sent(turn_context: TurnContext, activity_id: str, card: cards.Element) -> None:
    book = await _book(turn_context)
    if book is not None and is_form(card):
        book[OPEN] = activity_id


async def replace(turn_context: TurnContext, activity_id: str, card: cards.Element) -> bool:
    """Update the message ``activity_id`` to show ``card``; False if the channel refused."""
    issue(turn_context, card)
    update = Activity(
        type=ActivityTypes.message, id=activity_id, attachments=[cards.attachment(card)]
    )
    try:
        await turn_context.update_activity(update)
    except HttpOperationError as error:
        log.warning("could not update card %s in place: %s", activity_id, error)
        return False
    book = await _book(turn_context)
    if book is not None:
        if is_form(card):
            book[OPEN] = activity_id
        elif book.get(OPEN) == activity_id:
            book.pop(OPEN, None)
    return True


async def close_open(turn_context: TurnContext, card: cards.Element) -> bool:
    """The open form (if any) becomes ``card``; whether there was one."""
    book = await _book(turn_context)
    open_id = book.pop(OPEN, None) if book is not None else None
    if not isinstance(open_id, str):
        return False
    await replace(turn_context, open_id, card)
    return True


async def note_saved(turn_context: TurnContext, record: tuple[str, int] | None = None) -> None:
    """Remember this form instance as saved, and (``record``: its kind and id) which record it
    saved, so a second press can show that record again as the server has it."""
    token = form_tokens.token_of(submitted(turn_context))
    book = await _book(turn_context)
    if token is None or book is None:
        return
    saved = [t for t in book.get(SAVED, []) if isinstance(t, str) and t != token]
    book[SAVED] = [*saved, token][-KEEP_SAVED:]
    records = {t: r for t, r in (book.get(SAVED_RECORDS) or {}).items() if t in book[SAVED]}
    if record is not None:
        records[token] = [record[0], record[1]]
    book[SAVED_RECORDS] = records


async def saved_record(turn_context: TurnContext) -> tuple[str, int] | None:
    """The kind and id of the record the form just pressed saved, if this chat noted one."""
    token = form_tokens.token_of(submitted(turn_context))
    book = await _book(turn_context)
    if token is None or book is None:
        return None
    found = (book.get(SAVED_RECORDS) or {}).get(token)
    if not (isinstance(found, list) and len(found) == 2):
        return None
    kind, record_id = found
    if not isinstance(kind, str) or not isinstance(record_id, int):
        return None
    return kind, record_id


async def was_saved(turn_context: TurnContext) -> bool:
    token = form_tokens.token_of(submitted(turn_context))
    book = await _book(turn_context)
    return token is not None and book is not None and token in book.get(SAVED, [])


def is_expired(turn_context: TurnContext) -> bool:
    moment = now(turn_context)
    return moment is not None and form_tokens.is_expired(submitted(turn_context), moment)


# --- what a confirm card proposes, kept on the server --------------------------------------

HELD = "held"
# Proposals remembered per chat, newest last: enough for any confirm card still on screen.
KEEP_HELD = 10


async def hold(turn_context: TurnContext, token: str, facts: dict[str, Any]) -> bool:
    """Remember what a confirm card (carrying form token ``token``) proposes, in this chat's
    state on the server, so its Confirm acts on what was shown and checked, never on ids the
    submit carries. False without a ledger (nowhere to keep it)."""
    book = await _book(turn_context)
    if book is None:
        return False
    held = [h for h in book.get(HELD, []) if isinstance(h, dict) and h.get("token") != token]
    book[HELD] = [*held, {"token": token, "facts": facts}][-KEEP_HELD:]
    return True


async def take(turn_context: TurnContext) -> dict[str, Any] | None:
    """What the confirm card just pressed proposed (by its form token), forgotten as it is
    taken so it is acted on once; None if this chat holds nothing for that token."""
    token = form_tokens.token_of(submitted(turn_context))
    book = await _book(turn_context)
    if token is None or book is None:
        return None
    held = [h for h in book.get(HELD, []) if isinstance(h, dict)]
    found = next((h for h in held if h.get("token") == token), None)
    book[HELD] = [h for h in held if h is not found]
    facts = found.get("facts") if found is not None else None
    return facts if isinstance(facts, dict) else None
