"""Charter's own routes: help, who am I, feedback about Charter, and cancel."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext

from dialogs import cards, help_menu, views
from dialogs.absence import views as absence_views
from dialogs.feedback import FeedbackDialog
from dialogs.kit import send_card
from dialogs.objectives import apr_views
from dialogs.routes import Request, Route, command, starts_dialog
from domain.commands import Capability
from domain.people import Person
from services.registry import Services

HELP = Capability(
    "help",
    "help",
    "What I can do for you",
    aliases=("?", "menu", "commands", "what can you do", "hi", "hello", "hey", "start"),
    menu_description="What I can do for you",
)


WHOAMI = Capability(
    "whoami",
    "who am I",
    "How Charter sees you: your role, manager and team",
    aliases=("whoami", "me", "my profile", "profile"),
    menu_description="How Charter sees you: your role, manager and team",
)


FEEDBACK = Capability(
    "feedback",
    "feedback",
    "Tell HR what works and what doesn't in Charter",
    aliases=("give feedback", "send feedback"),
    menu_description="Tell HR what works and what doesn't in Charter",
)


CANCEL = Capability(
    "cancel",
    "cancel",
    "Stop what we are doing",
    aliases=("stop", "quit", "exit", "never mind", "nevermind", "abort"),
    listed=False,
)


async def show_help(request: Request) -> None:
    """What this person does most, by role, and "More" for the rest (``dialogs.help_menu``)."""
    person = request.person
    commands = request.table.commands_for(person)
    may_see_scorecard = await request.services.scorecards.may_see(person)
    card = help_menu.help_card(person, commands, may_see_scorecard=may_see_scorecard)
    await request.turn_context.send_activity(MessageFactory.attachment(cards.attachment(card)))


async def who_am_i(request: Request) -> None:
    person = request.person
    reports = await request.services.directory.direct_reports(person)
    card = views.whoami_card(person, reports)
    await request.turn_context.send_activity(MessageFactory.attachment(cards.attachment(card)))


async def cancel(request: Request) -> None:
    """Ends the conversation in progress, whatever it was waiting for."""
    if request.dialogs.active_dialog is not None:
        await request.dialogs.cancel_all_dialogs()
        await request.turn_context.send_activity("OK, I've stopped that. Nothing more was saved.")
    else:
        await request.turn_context.send_activity("There's nothing to cancel.")


# Help lists these first (HEAD) and last (TAIL), around the features' own commands.
HEAD: tuple[Route, ...] = (command(HELP, show_help),)
TAIL: tuple[Route, ...] = (
    command(WHOAMI, who_am_i),
    command(FEEDBACK, starts_dialog(FeedbackDialog.ID, lambda request: None)),
    command(CANCEL, cancel, first=True),
)


# --- what waits for a member of staff, on their welcome ----------------------------------------


async def show_waiting_records(
    turn_context: TurnContext, services: Services, person: Person
) -> None:
    """After the welcome: each return-to-work record and APR waiting for them to acknowledge
    or comment on, as its own card (so answering one changes only that card)."""
    waiting = await services.waiting.for_employee(person)
    for rtw in waiting.rtws:
        await send_card(
            turn_context, absence_views.rtw_employee_card(rtw.manager_name, rtw.absence, rtw.rtw)
        )
    for apr in waiting.aprs:
        card = apr_views.apr_employee_card(
            apr.manager_name, apr.apr, apr.objective_titles, apr.new_objectives
        )
        await send_card(turn_context, card)
