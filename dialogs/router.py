"""Every message from a known person comes here: continue the conversation in progress, or
start what their words or button ask for.

The recogniser turns the message into a route from the table (``dialogs.table``); the rules
below, written as a table like python-telegram-bot's ConversationHandler fallbacks, decide
whether a conversation in progress sees it first; and one error boundary answers the two
polite kinds of "no" (``domain.errors``). Anything else is a bug: it goes on to the adapter's
turn-error handler (``bot.app``), which logs it with a reference and apologises with it.

What arrived            | dialog waits for typed text | dialog waits for a card
----------------------- | --------------------------- | -----------------------
cancel (text or button) | ends it ("OK, I've stopped") | ends it
card answered in one turn (``Route.first``) | untouched  | untouched
another card form       | continues it                | continues it
typed command           | continues it (it's the text) | interrupts: ends it, runs the command
other typed text        | continues it                | continues it (it asks for the card)
command button          | interrupts                  | interrupts
any other card value    | interrupts                  | interrupts

A conversation that does not take what it was given (its turn comes back Empty) lets the
message be routed as if no conversation were in progress.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.dialogs import DialogContext, DialogSet, DialogTurnStatus

from dialogs import forms, kit, views
from dialogs.context import current_person
from dialogs.feedback import FeedbackDialog
from dialogs.recogniser import Arrival, Recognised, Recogniser
from dialogs.routes import Handler, Request, Route, RouteTable
from dialogs.table import DIALOGS, ROUTES
from domain.commands import Capability, without_mentions
from domain.errors import Invalid, Refused
from services.command_access import may_use
from services.registry import Services


class Rule(Enum):
    CONTINUE = "continue"
    INTERRUPT = "interrupt"


# Conversations whose next step is typed text; the others wait for a card.
TEXT_DIALOGS = frozenset({FeedbackDialog.ID})

# (what arrived, does the conversation wait for typed text?) -> what happens to it.
CONVERSATION_RULES: dict[tuple[Arrival, bool], Rule] = {
    (Arrival.FORM, True): Rule.CONTINUE,
    (Arrival.FORM, False): Rule.CONTINUE,
    (Arrival.COMMAND_TEXT, True): Rule.CONTINUE,
    (Arrival.COMMAND_TEXT, False): Rule.INTERRUPT,
    (Arrival.TEXT, True): Rule.CONTINUE,
    (Arrival.TEXT, False): Rule.CONTINUE,
    (Arrival.BUTTON, True): Rule.INTERRUPT,
    (Arrival.BUTTON, False): Rule.INTERRUPT,
    (Arrival.VALUE, True): Rule.INTERRUPT,
    (Arrival.VALUE, False): Rule.INTERRUPT,
}

FINISHED_CARD = "That card is from a conversation that has finished. Type **help** to start again."
DEAD_BUTTON = "That button doesn't do anything any more. Type **help** to start again."
NOTHING_CHANGED = "Nothing was changed."
CANCEL = "cancel"
CANCELLED = "OK, I've cancelled that form. Nothing was saved."

# Every card verb the router answers (the tests check each against the records it touches).
STATELESS_FORMS = ROUTES.verbs


class Router:
    def __init__(
        self,
        services: Services,
        conversation_state: ConversationState,
        table: RouteTable = ROUTES,
    ) -> None:
        self._services = services
        self._table = table
        self._recogniser = Recogniser(table)
        self._dialogs = DialogSet(conversation_state.create_property("DialogState"))
        self._forms = conversation_state.create_property("Forms")
        for make in DIALOGS:
            self._dialogs.add(make(services))

    async def on_message(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        forms.install(turn_context, self._forms, self._services.clock)
        found = self._recogniser.recognise(
            activity.text, activity.value, self._services.clock.today()
        )
        dialogs = await self._dialogs.create_context(turn_context)
        if await self._card_lifecycle(turn_context, dialogs, found):
            return
        if found.route is not None and found.route.first:
            await self._run(turn_context, dialogs, found.route, found)
            return
        if await self._conversation_took(dialogs, found):
            return
        if found.route is not None:
            await self._run(turn_context, dialogs, found.route, found)
        elif found.arrival is Arrival.FORM:
            await turn_context.send_activity(FINISHED_CARD)
        elif found.arrival in (Arrival.BUTTON, Arrival.VALUE):
            await turn_context.send_activity(DEAD_BUTTON)
        elif without_mentions(activity.text):
            await self._guarded(turn_context, None, self._table.otherwise, dialogs, found)
        else:
            await turn_context.send_activity(views.NOT_UNDERSTOOD)

    async def _card_lifecycle(
        self, turn_context: TurnContext, dialogs: DialogContext, found: Recognised
    ) -> bool:
        """Cancel closes the form it came from (or the form open in this chat) without looking
        at its inputs; a form already saved or left open too long goes no further. True if
        that answered the message."""
        route, person = found.route, current_person(turn_context)
        if route is not None and route.command is not None and route.command.command == CANCEL:
            if not await kit.cancel_form(turn_context, person, self._services):
                return False
            await dialogs.cancel_all_dialogs()
            if forms.pressed_card_id(turn_context) is None:
                await turn_context.send_activity(CANCELLED)
            return True
        if found.arrival is Arrival.FORM and route is not None and route.changes:
            return await kit.refused_as_stale(turn_context, person, self._services)
        return False

    async def _conversation_took(self, dialogs: DialogContext, found: Recognised) -> bool:
        """Whether the conversation in progress took this message (see the module's table)."""
        active = dialogs.active_dialog
        if active is None:
            return False
        rule = CONVERSATION_RULES[(found.arrival, active.id in TEXT_DIALOGS)]
        if rule is Rule.INTERRUPT:
            await dialogs.cancel_all_dialogs()
            return False
        result = await dialogs.continue_dialog()
        return bool(result.status != DialogTurnStatus.Empty)

    async def _run(
        self, turn_context: TurnContext, dialogs: DialogContext, route: Route, found: Recognised
    ) -> None:
        # Only commands have an audience; a card submit is open to whoever holds the card,
        # and the service checks the record it names.
        wanted = route.command
        if wanted is not None and not await self._may_use(turn_context, wanted):
            await turn_context.send_activity(views.refusal(wanted))
            return
        await self._guarded(turn_context, route, route.handler, dialogs, found)

    async def _may_use(self, turn_context: TurnContext, wanted: Capability) -> bool:
        today = self._services.clock.today()
        person = current_person(turn_context)
        return await may_use(self._services.database, person, wanted.audience, today)

    async def _guarded(
        self,
        turn_context: TurnContext,
        route: Route | None,
        handler: Handler,
        dialogs: DialogContext,
        found: Recognised,
    ) -> None:
        """The error boundary: a refusal or an invalid submit is answered politely, once."""
        value: Any = turn_context.activity.value
        request = Request(
            turn_context=turn_context,
            services=self._services,
            person=current_person(turn_context),
            dialogs=dialogs,
            table=self._table,
            options=found.options,
            value=value if isinstance(value, dict) else {},
        )
        try:
            await handler(request)
        except Refused as refusal:
            changed = route is not None and route.changes
            await turn_context.send_activity(
                f"{refusal} {NOTHING_CHANGED}" if changed else str(refusal)
            )
        except Invalid as invalid:
            await turn_context.send_activity(str(invalid))
