"""The one recogniser: turns what arrived (typed words, a command button, a card submit)
into a route from the table and its options. It decides nothing about conversations in
progress; ``dialogs.router`` does."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from dialogs.routes import NAMED_RANK, Route, RouteTable


class Arrival(Enum):
    """What kind of message came in; the router's conversation rules are keyed on it."""

    FORM = "form"  # a card submit carrying {"form": verb}
    BUTTON = "button"  # a card button carrying {"command": name}
    VALUE = "value"  # some other card value (an old or malformed card)
    COMMAND_TEXT = "command text"  # typed words the recogniser understood
    TEXT = "text"  # typed words that are no command


@dataclass(frozen=True)
class Recognised:
    arrival: Arrival
    route: Route | None
    options: dict[str, Any] = field(default_factory=dict)
    verb: str | None = None


def _string(value: Any, key: str) -> str | None:
    if isinstance(value, dict):
        found = value.get(key)
        if isinstance(found, str):
            return found
    return None


class Recogniser:
    def __init__(self, table: RouteTable) -> None:
        self._table = table

    def recognise(self, text: str | None, value: Any, today: date) -> Recognised:
        verb = _string(value, "form")
        if verb is not None:
            return Recognised(Arrival.FORM, self._table.by_verb(verb), verb=verb)
        button = _string(value, "command")
        if button is not None:
            route = self._table.by_command(button)
            return Recognised(Arrival.BUTTON, route, {"employee_id": value.get("employee_id")})
        if value is not None:
            return Recognised(Arrival.VALUE, None)
        found = self.from_text(text, today)
        if found is None:
            return Recognised(Arrival.TEXT, None)
        return Recognised(Arrival.COMMAND_TEXT, *found)

    def from_text(self, text: str | None, today: date) -> tuple[Route, dict[str, Any]] | None:
        """Exact words first; then free phrases and "<command> for <name>", in rank order."""
        exact = self._table.by_words(text)
        if exact is not None:
            return exact, {}
        named_tried = False
        for route, phrase in self._table.phrases():
            if phrase.rank > NAMED_RANK and not named_tried:
                named_tried = True
                named = self._table.named(text)
                if named is not None:
                    return named[0], {"name": named[1]}
            options = phrase.read(text or "", today)
            if options is not None:
                return route, options
        named = None if named_tried else self._table.named(text)
        return (named[0], {"name": named[1]}) if named is not None else None
