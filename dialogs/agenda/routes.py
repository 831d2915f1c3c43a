"""The agenda's routes: what either of the pair says or presses, and who may."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.agenda import handlers, views
from dialogs.routes import NAMED_RANK, Phrase, Route, command, for_person, submit
from domain.agenda_phrases import added_point, next_request
from domain.commands import Audience, Capability

ADD_TO_AGENDA = Capability(
    "add_to_agenda",
    "add to my 1:1 agenda",
    "Add a talking point for your next one-to-one (add to my 1:1 agenda: training)",
    aliases=("add to my agenda", "add to my one-to-one agenda", "add an agenda point"),
    listed=False,
    section="One-to-ones",
)
MY_AGENDA = Capability(
    "my_agenda",
    "my 1:1 agenda",
    "Your one-to-one agenda and when you next meet your manager",
    aliases=("my agenda", "my one-to-one agenda", "my 121 agenda"),
    listed=False,
    section="One-to-ones",
)
AGENDA_FOR = Capability(
    "agenda_for",
    "agenda for",
    "The one-to-one agenda with someone in your team, and your prep note (agenda for Rhys)",
    aliases=("1:1 agenda", "one-to-one agendas"),
    audience=Audience.MANAGER,
    listed=False,
    named=("agenda for", "1:1 agenda for", "one-to-one agenda for"),
    section="One-to-ones",
)
NEXT_ONE_TO_ONE = Capability(
    "next_one_to_one",
    "next 1:1",
    "Plan the next one-to-one with someone in your team (next 1:1 with Rhys Tuesday 10am)",
    aliases=("plan a 1:1", "plan a one-to-one", "next one-to-one"),
    audience=Audience.MANAGER,
    listed=False,
    section="One-to-ones",
)
PREP = Capability(
    views.PREP_COMMAND,
    "1:1 prep",
    "Your prep card for a one-to-one: agenda, actions, objectives, wellbeing (1:1 prep for Rhys)",
    aliases=("prep card", "one-to-one prep"),
    audience=Audience.MANAGER,
    listed=False,
    named=("1:1 prep for", "prep for", "prep card for"),
    section="One-to-ones",
)
DID_YOU_MEET = Capability(
    views.MET_COMMAND,
    "did we meet",
    "Say whether a planned one-to-one happened, was moved or didn't happen",
    audience=Audience.MANAGER,
    listed=False,
    section="One-to-ones",
)


def _add_phrase(text: str, today: date) -> dict[str, Any] | None:
    point = added_point(text)
    return {"text": point} if point is not None else None


def _next_phrase(text: str, today: date) -> dict[str, Any] | None:
    found = next_request(text, today)
    if found is None:
        return None
    return {
        "name": found.name,
        "day": found.day.isoformat() if found.day else None,
        "at": found.at.isoformat(timespec="minutes") if found.at else None,
    }


ROUTES: tuple[Route, ...] = (
    command(ADD_TO_AGENDA, handlers.add_point, phrase=Phrase(_add_phrase, rank=20), changes=True),
    command(MY_AGENDA, for_person(handlers.my_agenda)),
    command(AGENDA_FOR, handlers.agenda_for),
    command(
        NEXT_ONE_TO_ONE, handlers.next_one_to_one, phrase=Phrase(_next_phrase, rank=NAMED_RANK - 5)
    ),
    command(PREP, handlers.prep),
    command(DID_YOU_MEET, handlers.did_you_meet),
    submit(views.ADD, handlers.add_point),
    submit(views.PREP_NOTE, handlers.prep_note),
    submit(views.PLAN, handlers.plan_form),
    submit(views.OUTCOME, handlers.outcome),
)
