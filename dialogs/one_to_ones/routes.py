"""The one-to-one routes: what a manager or employee says or presses, and who may."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.one_to_ones import handlers, views
from dialogs.one_to_ones.dialog import OneToOneDialog
from dialogs.routes import (
    Phrase,
    Request,
    Route,
    command,
    for_form,
    for_named,
    for_person,
    starts_dialog,
    submit,
)
from domain.commands import Audience, Capability
from domain.one_to_one_phrases import parse_history_request, parse_one_to_one_request

LOG_ONE_TO_ONE = Capability(
    "log_one_to_one",
    "log 1:1",
    "Log a one-to-one with someone in your team (add a name and a day: log 1:1 with Sam yesterday)",
    aliases=(
        "log one-to-one",
        "log a one-to-one",
        "log one to one",
        "log a 1:1",
        "log 121",
        "log 1-2-1",
        "log supervision",
        "1:1",
        "one-to-one",
        "new 1:1",
        "record 1:1",
    ),
    audience=Audience.MANAGER,
    section="One-to-ones",
    menu_description="Log a one-to-one with someone in your team",
)


ONE_TO_ONES = Capability(
    "one_to_ones",
    "one-to-ones",
    "Recent one-to-ones with someone in your team (one-to-ones with Sam)",
    aliases=("1:1s", "supervisions", "team one-to-ones", "one to ones", "121s"),
    audience=Audience.MANAGER,
    section="One-to-ones",
    menu_description="Recent one-to-ones with someone in your team",
)


MY_ONE_TO_ONES = Capability(
    "my_one_to_ones",
    "my one-to-ones",
    "Your own one-to-ones: the notes shared with you and your actions",
    aliases=("my 1:1s", "my one to ones", "my supervisions", "my 121s"),
    section="One-to-ones",
    menu_description="Your one-to-ones: shared notes and actions",
)


MY_ACTIONS = Capability(
    "my_actions",
    "my actions",
    "Actions agreed at one-to-ones that are yours to do",
    aliases=("actions", "my to-dos", "my todo", "my tasks"),
    section="One-to-ones",
    menu_description="Actions from one-to-ones that are yours to do",
)


def _log_phrase(text: str, today: date) -> dict[str, Any] | None:
    """ "log 1:1 with Sam yesterday" -> who and when."""
    request = parse_one_to_one_request(text, today)
    if request is None:
        return None
    held_on = request.held_on.isoformat() if request.held_on else None
    return {"name": request.name, "held_on": held_on}


def _history_phrase(text: str, today: date) -> dict[str, Any] | None:
    """ "one-to-ones with Sam" -> whose."""
    history = parse_history_request(text)
    return {"name": history.name} if history is not None else None


def _begin_options(request: Request) -> dict[str, Any]:
    return dict(request.options)


def _edit_options(request: Request) -> dict[str, Any]:
    return {"record_id": request.value.get("record_id")}


def _submitted_options(request: Request) -> dict[str, Any]:
    return {"submit": request.value}


ROUTES: tuple[Route, ...] = (
    command(
        LOG_ONE_TO_ONE,
        starts_dialog(OneToOneDialog.ID, _begin_options),
        phrase=Phrase(_log_phrase, rank=40),
    ),
    command(
        ONE_TO_ONES,
        for_named(handlers.show_history),
        phrase=Phrase(_history_phrase, rank=60),
    ),
    command(MY_ONE_TO_ONES, for_person(handlers.show_my_one_to_ones)),
    command(MY_ACTIONS, for_person(handlers.show_my_actions)),
    submit(views.ACK, for_form(handlers.respond_to_one_to_one)),
    submit(views.COMMENT, for_form(handlers.respond_to_one_to_one)),
    submit(views.ACTION_DONE, for_form(handlers.complete_action)),
    # Edit: ends any conversation in progress and opens the saved one-to-one on the form.
    submit(views.EDIT, starts_dialog(OneToOneDialog.ID, _edit_options, fresh=True), changes=False),
    # The form from a card whose conversation has ended (an older card, a restart): it
    # carries everything, so it begins the conversation at its last stage. While a
    # one-to-one is in progress, the conversation takes it first.
    submit(views.FORM, starts_dialog(OneToOneDialog.ID, _submitted_options), first=False),
)
