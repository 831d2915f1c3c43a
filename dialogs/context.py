"""What a dialog may know about the turn: the person Charter identified, never a claimed one."""

from __future__ import annotations

from botbuilder.core import TurnContext

from domain.people import Person

PERSON_KEY = "charter.person"


def remember_person(turn_context: TurnContext, person: Person) -> None:
    turn_context.turn_state[PERSON_KEY] = person


def identified_person(turn_context: TurnContext) -> Person | None:
    """The employee the bot identified for this turn, or None for someone unknown."""
    person = turn_context.turn_state.get(PERSON_KEY)
    return person if isinstance(person, Person) else None


def current_person(turn_context: TurnContext) -> Person:
    """The identified employee; for code that only runs once someone is known."""
    person = identified_person(turn_context)
    if person is None:
        raise LookupError("no identified person on this turn")
    return person
