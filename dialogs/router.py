"""Every message from a known person comes here: continue the conversation in progress, or
start what their words or button ask for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import ConversationState, MessageFactory, TurnContext
from botbuilder.dialogs import DialogContext, DialogSet, DialogTurnStatus

from dialogs import cards, views
from dialogs.absence import handlers as absence
from dialogs.absence import views as absence_views
from dialogs.answers import handlers as answers
from dialogs.answers import views as answer_views
from dialogs.answers.feedback import FeedbackDialog
from dialogs.context import current_person
from dialogs.nudges import handlers as nudges
from dialogs.nudges import views as nudge_views
from dialogs.objectives import handlers as objectives
from dialogs.objectives import views as objective_views
from dialogs.one_to_ones import handlers as one_to_one
from dialogs.one_to_ones import views as forms
from dialogs.one_to_ones.dialog import OneToOneDialog
from dialogs.team import handlers as team
from dialogs.team import hr_report_handlers as hr_reports
from dialogs.team import views as team_views
from domain.absence_phrases import parse_absence_phrase
from domain.commands import (
    Audience,
    Capability,
    capability,
    forced_question,
    match_command,
    match_named_command,
    without_mentions,
)
from domain.delegation_phrases import parse_delegation_request
from domain.one_to_one_phrases import parse_history_request, parse_one_to_one_request
from domain.people import Person
from services.registry import Services

# Dialogs whose next step is typed text; others wait for a card, so commands interrupt them.
TEXT_DIALOGS = {FeedbackDialog.ID}
Handler = Callable[[TurnContext, Services, Person, dict[str, Any]], Awaitable[None]]

# Card submits answered in one turn, whatever conversation is in progress.
STATELESS_FORMS: dict[str, Handler] = {
    forms.ACK: one_to_one.respond_to_one_to_one,
    forms.COMMENT: one_to_one.respond_to_one_to_one,
    forms.ACTION_DONE: one_to_one.complete_action,
    objective_views.OBJECTIVE: objectives.submit_objective,
    objective_views.AGREE: objectives.agree,
    objective_views.DISCUSS: objectives.discuss,
    objective_views.SHOW_PROGRESS: objectives.show_progress,
    objective_views.PROGRESS: objectives.save_progress,
    objective_views.EDIT: objectives.edit,
    objective_views.APR_PREPARE: objectives.submit_preparation,
    objective_views.APR_RECORD: objectives.submit_apr,
    objective_views.APR_ACK: objectives.respond_to_apr,
    objective_views.APR_COMMENT: objectives.respond_to_apr,
    absence_views.ABSENCE_START: absence.submit_start,
    absence_views.ABSENCE_END: absence.submit_end,
    absence_views.SHOW_RTW: absence.show_rtw,
    absence_views.RTW: absence.submit_rtw,
    absence_views.RTW_ACK: absence.respond_to_rtw,
    absence_views.RTW_COMMENT: absence.respond_to_rtw,
    nudge_views.SNOOZE: nudges.snooze,
    nudge_views.DONE_ELSEWHERE: nudges.done_elsewhere,
    team_views.END_DELEGATION: team.submit_end_delegation,
    answer_views.SECTION: answers.show_section,
    answer_views.RATING: answers.rate_answer,
    answer_views.REFER: answers.refer_to_hr,
}


TEAM_COMMANDS = frozenset(
    {
        "my_team",
        "team_for",
        "delegate",
        "end_delegation",
        "who_is_acting",
        "compliance",
        "scorecard",
    }
)


@dataclass(frozen=True)
class Intent:
    capability: Capability
    options: dict[str, Any] = field(default_factory=dict)


def submitted_command(value: Any) -> str | None:
    """The command an Action.Submit button carries, if any."""
    if isinstance(value, dict) and isinstance(value.get("command"), str):
        return value["command"]
    return None


def submitted_form(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("form"), str):
        return value["form"]
    return None


class Router:
    def __init__(self, services: Services, conversation_state: ConversationState) -> None:
        self._services = services
        self._dialogs = DialogSet(conversation_state.create_property("DialogState"))
        self._dialogs.add(FeedbackDialog(services.feedback))
        self._dialogs.add(OneToOneDialog(services))

    def _intent_from_text(self, text: str | None) -> Intent | None:
        found = match_command(text)
        if found is not None:
            return Intent(found)
        if parse_delegation_request(text, self._services.clock.today()) is not None:
            return Intent(capability("delegate"), {"text": text})  # type: ignore[arg-type]
        question = forced_question(text)
        if question is not None:
            return Intent(capability("ask"), {"name": question})  # type: ignore[arg-type]
        named = match_named_command(text)
        if named is not None:
            return Intent(named[0], {"name": named[1]})
        today = self._services.clock.today()
        request = parse_one_to_one_request(text or "", today)
        if request is not None:
            held_on = request.held_on.isoformat() if request.held_on else None
            return Intent(capability("log_one_to_one"), {"name": request.name, "held_on": held_on})  # type: ignore[arg-type]
        phrase = parse_absence_phrase(text)
        if phrase is not None:
            command = "record_absence" if phrase.kind == "off_sick" else "back_at_work"
            return Intent(capability(command), {"name": phrase.name})  # type: ignore[arg-type]
        history = parse_history_request(text or "")
        if history is not None:
            return Intent(capability("one_to_ones"), {"name": history.name})  # type: ignore[arg-type]
        return None

    async def on_message(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value
        dialog_context = await self._dialogs.create_context(turn_context)
        button = submitted_command(value)
        form = submitted_form(value)
        if button is not None:
            found = capability(button)
            intent = Intent(found, {"employee_id": value.get("employee_id")}) if found else None
        elif value is None:
            intent = self._intent_from_text(activity.text)
        else:
            intent = None

        if intent is not None and intent.capability.command == "cancel":
            if dialog_context.active_dialog is not None:
                await dialog_context.cancel_all_dialogs()
                await turn_context.send_activity("OK, I've stopped that. Nothing more was saved.")
            else:
                await turn_context.send_activity("There's nothing to cancel.")
            return

        if form in STATELESS_FORMS:
            person = current_person(turn_context)
            await STATELESS_FORMS[form](turn_context, self._services, person, value)
            return
        if form == forms.EDIT:
            await dialog_context.cancel_all_dialogs()
            await dialog_context.begin_dialog(
                OneToOneDialog.ID, {"record_id": value.get("record_id")}
            )
            return

        active = dialog_context.active_dialog
        if active is not None:
            typed_for_dialog = value is None and (active.id in TEXT_DIALOGS or intent is None)
            if form is not None or typed_for_dialog:
                result = await dialog_context.continue_dialog()
                if result.status != DialogTurnStatus.Empty:
                    return
            else:
                await dialog_context.cancel_all_dialogs()

        if form == forms.FORM:
            await dialog_context.begin_dialog(OneToOneDialog.ID, {"submit": value})
            return
        if form is not None:
            await turn_context.send_activity(
                "That card is from a conversation that has finished. Type **help** to start again."
            )
            return
        if intent is None:
            if value is not None:
                await turn_context.send_activity(
                    "That button doesn't do anything any more. Type **help** to start again."
                )
            elif without_mentions(activity.text):
                # Not a command: a question about what good looks like.
                await answers.answer_question(
                    turn_context,
                    self._services,
                    current_person(turn_context),
                    without_mentions(activity.text),
                )
            else:
                await turn_context.send_activity(views.NOT_UNDERSTOOD)
            return
        await self._run(turn_context, intent, dialog_context)

    async def _run(
        self, turn_context: TurnContext, intent: Intent, dialog_context: DialogContext
    ) -> None:
        person = current_person(turn_context)
        wanted = intent.capability
        if not wanted.available_to(person) and not await self._acting_may(wanted, person):
            await turn_context.send_activity(team_views.refusal(wanted))
            return
        command = wanted.command
        named = {
            "name": intent.options.get("name"),
            "employee_ref": intent.options.get("employee_id"),
        }
        if command == "help":
            await turn_context.send_activity(
                MessageFactory.attachment(cards.attachment(views.help_card(person)))
            )
        elif command == "whoami":
            reports = await self._services.directory.direct_reports(person)
            await turn_context.send_activity(
                MessageFactory.attachment(cards.attachment(views.whoami_card(person, reports)))
            )
        elif command == "ask":
            await answers.answer_question(
                turn_context, self._services, person, intent.options.get("name")
            )
        elif command == "feedback":
            await dialog_context.begin_dialog(FeedbackDialog.ID)
        elif command == "log_one_to_one":
            await dialog_context.begin_dialog(OneToOneDialog.ID, intent.options)
        elif command == "one_to_ones":
            await one_to_one.show_history(
                turn_context,
                self._services,
                person,
                name=intent.options.get("name"),
                employee_ref=intent.options.get("employee_id"),
            )
        elif command == "my_one_to_ones":
            await one_to_one.show_my_one_to_ones(turn_context, self._services, person)
        elif command == "my_actions":
            await one_to_one.show_my_actions(turn_context, self._services, person)
        elif command == "add_objective":
            await objectives.show_objective_form(turn_context, self._services, person)
        elif command == "my_objectives":
            await objectives.my_objectives(turn_context, self._services, person)
        elif command == "update_objective":
            await objectives.update_objective(turn_context, self._services, person)
        elif command == "objectives_for":
            await objectives.objectives_for(turn_context, self._services, person, **named)
        elif command == "propose_objective":
            await objectives.propose_objective(turn_context, self._services, person, **named)
        elif command == "prepare_apr":
            await objectives.prepare_apr(turn_context, self._services, person)
        elif command == "record_apr":
            await objectives.record_apr(turn_context, self._services, person, **named)
        elif command == "record_absence":
            await absence.off_sick(turn_context, self._services, person, **named)
        elif command == "back_at_work":
            await absence.back(turn_context, self._services, person, **named)
        elif command == "log_rtw":
            await absence.log_rtw(turn_context, self._services, person, **named)
        elif command == "absences_for":
            await absence.absences_for(turn_context, self._services, person, **named)
        elif command == "my_absence":
            await absence.my_absence(turn_context, self._services, person)
        elif command in TEAM_COMMANDS:
            await self._run_team(turn_context, command, person, intent, named)

    async def _acting_may(self, wanted: Capability, person: Person) -> bool:
        """An acting manager may use managers' commands during their delegation."""
        if wanted.audience not in (Audience.MANAGER, Audience.MANAGER_OR_HR):
            return False
        return await self._services.delegations.is_acting_manager(person)

    async def _run_team(
        self,
        turn_context: TurnContext,
        command: str,
        person: Person,
        intent: Intent,
        named: dict[str, Any],
    ) -> None:
        services = self._services
        if command == "my_team":
            await team.my_team(turn_context, services, person)
        elif command == "team_for":
            await team.team_for(turn_context, services, person, **named)
        elif command == "delegate":
            await team.delegate(turn_context, services, person, intent.options.get("text"))
        elif command == "end_delegation":
            await team.end_delegation(turn_context, services, person)
        elif command == "who_is_acting":
            await team.who_is_acting(turn_context, services, person)
        elif command == "compliance":
            await hr_reports.compliance(turn_context, services, person)
        elif command == "scorecard":
            await hr_reports.scorecard(turn_context, services, person, **named)
