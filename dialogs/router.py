"""Every message from a known person comes here: continue the conversation in progress, or
start what their words or button ask for."""

from __future__ import annotations

from typing import Any

from botbuilder.core import ConversationState, MessageFactory, TurnContext
from botbuilder.dialogs import DialogSet, DialogTurnStatus

from dialogs import cards, views
from dialogs.context import current_person
from dialogs.feedback_dialog import FeedbackDialog
from domain.commands import Capability, capability, match_command
from domain.services import Services


def submitted_command(value: Any) -> str | None:
    """The command an Action.Submit button carries, if any."""
    if isinstance(value, dict) and isinstance(value.get("command"), str):
        return value["command"]
    return None


class Router:
    def __init__(self, services: Services, conversation_state: ConversationState) -> None:
        self._services = services
        self._dialogs = DialogSet(conversation_state.create_property("DialogState"))
        self._dialogs.add(FeedbackDialog(services.feedback))

    async def on_message(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        dialog_context = await self._dialogs.create_context(turn_context)
        button = submitted_command(activity.value)
        wanted = capability(button) if button else match_command(activity.text)

        if wanted is not None and wanted.command == "cancel":
            if dialog_context.active_dialog is not None:
                await dialog_context.cancel_all_dialogs()
                await turn_context.send_activity("OK, I've stopped that.")
            else:
                await turn_context.send_activity("There's nothing to cancel.")
            return

        # Typed text belongs to the conversation in progress; a button starts afresh.
        if dialog_context.active_dialog is not None:
            if button is None:
                result = await dialog_context.continue_dialog()
                if result.status != DialogTurnStatus.Empty:
                    return
            else:
                await dialog_context.cancel_all_dialogs()

        if wanted is None:
            if button is not None or activity.value is not None:
                await turn_context.send_activity(
                    "That button doesn't do anything any more. Type **help** to start again."
                )
            else:
                await turn_context.send_activity(views.NOT_UNDERSTOOD)
            return
        await self._run(turn_context, wanted, dialog_context)

    async def _run(
        self, turn_context: TurnContext, wanted: Capability, dialog_context: Any
    ) -> None:
        person = current_person(turn_context)
        if not wanted.available_to(person):
            await turn_context.send_activity(
                f"Sorry, **{wanted.title}** isn't available to you. Type **help** to see "
                "what you can do."
            )
            return
        if wanted.command == "help":
            await turn_context.send_activity(
                MessageFactory.attachment(cards.attachment(views.help_card(person)))
            )
        elif wanted.command == "whoami":
            reports = await self._services.directory.direct_reports(person)
            await turn_context.send_activity(
                MessageFactory.attachment(cards.attachment(views.whoami_card(person, reports)))
            )
        elif wanted.command == "feedback":
            await dialog_context.begin_dialog(FeedbackDialog.ID)
