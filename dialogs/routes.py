"""Routes as data: what a person can say or press, mapped to the code that answers it.

A route is a selector and a handler, declared once beside its handler in the feature's
``routes.py`` (``dialogs/<feature>/routes.py``) and registered in one place (``dialogs.table``).
Two kinds of selector, as in the Microsoft 365 Agents SDK's ``AgentApplication`` (``message``
and ``adaptive_cards.action_submit``): a text command (its words, title and aliases, and who may
use it) or the verb a card's ``Action.Submit`` carries as ``form``. Help, the welcome card, the
Teams manifest's command menu and the recogniser all read the same table, so a command is
named once. Moving off the archived Bot Framework SDK changes only how the table is registered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogContext

from domain.commands import Audience, Capability, normalise_text
from domain.people import Person
from services.registry import Services


@dataclass(frozen=True)
class Request:
    """What a handler is given: the turn, the services, the identified person and what they
    asked for (a name, a button's employee id, a date, the words of a phrase, a card's values)."""

    turn_context: TurnContext
    services: Services
    person: Person
    dialogs: DialogContext
    table: RouteTable
    options: Mapping[str, Any] = field(default_factory=dict)
    value: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        found = self.options.get("name")
        return found if isinstance(found, str) else None

    @property
    def employee_ref(self) -> object:
        """The employee id a button carried; checked again by the service, never trusted."""
        return self.options.get("employee_id")


Handler = Callable[[Request], Awaitable[None]]
# Reads a free-form phrase ("Sam is off sick") into the command's options, or None.
PhraseReader = Callable[[str, date], dict[str, Any] | None]
FormHandler = Callable[[TurnContext, Services, Person, dict[str, Any]], Awaitable[None]]
PersonHandler = Callable[[TurnContext, Services, Person], Awaitable[None]]
NamedHandler = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class Phrase:
    """Free wording a command also understands. Readers run in ``rank`` order, after the exact
    words; rank ``NAMED_RANK`` is where "<command> for <name>" prefixes are tried."""

    read: PhraseReader
    rank: int


NAMED_RANK = 30


@dataclass(frozen=True)
class Route:
    """One selector -> handler. ``command`` for text commands and command buttons; ``verb``
    for card submits (the card's ``form`` value)."""

    handler: Handler
    command: Capability | None = None
    verb: str | None = None
    phrase: Phrase | None = None
    # Answered before any conversation in progress sees the message, which stays as it was
    # (card buttons answered in one turn, cancel). Otherwise the conversation rules decide.
    first: bool = False
    # A refusal here is followed by "Nothing was changed." (it was a change someone asked for).
    changes: bool = False

    @property
    def audience(self) -> Audience:
        # Card submits are open to whoever holds the card: the service checks the record.
        return self.command.audience if self.command else Audience.EVERYONE

    @property
    def name(self) -> str:
        return self.command.command if self.command else f"form:{self.verb}"


def command(
    capability: Capability,
    handler: Handler,
    *,
    phrase: Phrase | None = None,
    first: bool = False,
    changes: bool = False,
) -> Route:
    """A text command (its words, or a button carrying ``{"command": name}``)."""
    return Route(handler, command=capability, phrase=phrase, first=first, changes=changes)


def submit(verb: str, handler: Handler, *, changes: bool = True, first: bool = True) -> Route:
    """A card's Action.Submit with ``{"form": verb}``; by default answered in one turn."""
    return Route(handler, verb=verb, first=first, changes=changes)


# --- adapters from the handlers' own signatures ------------------------------------------------


def for_person(handler: PersonHandler) -> Handler:
    """A command that needs only who is asking."""

    async def run(request: Request) -> None:
        await handler(request.turn_context, request.services, request.person)

    return run


def for_named(handler: NamedHandler) -> Handler:
    """A command about someone: a typed name, or the employee id a button carried."""

    async def run(request: Request) -> None:
        await handler(
            request.turn_context,
            request.services,
            request.person,
            name=request.name,
            employee_ref=request.employee_ref,
        )

    return run


def for_form(handler: FormHandler) -> Handler:
    """A card submit: the card's values."""

    async def run(request: Request) -> None:
        await handler(request.turn_context, request.services, request.person, request.value)

    return run


def starts_dialog(
    dialog_id: str, options: Callable[[Request], object], *, fresh: bool = False
) -> Handler:
    """Begins a conversation (a state machine kept in dialog state); ``fresh`` ends any
    conversation in progress first."""

    async def run(request: Request) -> None:
        if fresh:
            await request.dialogs.cancel_all_dialogs()
        await request.dialogs.begin_dialog(dialog_id, options(request))

    return run


class RouteTable:
    """Every route, in the order help lists them; built once in ``dialogs.table``."""

    def __init__(self, routes: Iterable[Route], *, otherwise: Handler) -> None:
        self.routes: tuple[Route, ...] = tuple(routes)
        # Typed text that is no command: a question about what good looks like.
        self.otherwise = otherwise
        self._by_words: dict[str, Route] = {}
        self._by_command: dict[str, Route] = {}
        self._by_verb: dict[str, Route] = {}
        for route in self.routes:
            self._register(route)

    def _register(self, route: Route) -> None:
        if route.command is not None:
            if route.command.command in self._by_command:
                raise ValueError(f"command {route.command.command!r} is routed twice")
            self._by_command[route.command.command] = route
            for phrase in route.command.phrases:
                self._by_words.setdefault(phrase.lower(), route)
        if route.verb is not None:
            if route.verb in self._by_verb:
                raise ValueError(f"card verb {route.verb!r} is routed twice")
            self._by_verb[route.verb] = route

    @property
    def commands(self) -> list[Capability]:
        return [r.command for r in self.routes if r.command is not None]

    def commands_for(self, person: Person) -> list[Capability]:
        """The commands this person's roles open to them, in help order."""
        return [c for c in self.commands if c.available_to(person)]

    @property
    def listed(self) -> list[Capability]:
        """The commands in the Teams app's command menu (and the help card's buttons)."""
        return [c for c in self.commands if c.listed]

    @property
    def verbs(self) -> frozenset[str]:
        return frozenset(self._by_verb)

    def by_words(self, text: str | None) -> Route | None:
        return self._by_words.get(normalise_text(text))

    def by_command(self, name: str) -> Route | None:
        return self._by_command.get(name)

    def by_verb(self, verb: str) -> Route | None:
        return self._by_verb.get(verb)

    def named(self, text: str | None) -> tuple[Route, str] | None:
        """A command followed by a person's name, e.g. "objectives for rhys" -> (…, "rhys")."""
        cleaned = normalise_text(text)
        for route in self.routes:
            for prefix in route.command.named if route.command else ():
                if cleaned.startswith(prefix + " "):
                    name = cleaned[len(prefix) + 1 :].strip()
                    if name:
                        return route, name
        return None

    def phrases(self) -> Sequence[tuple[Route, Phrase]]:
        found = [(r, r.phrase) for r in self.routes if r.phrase is not None]
        return sorted(found, key=lambda pair: pair[1].rank)
