"""`feedback`: a person tells HR what works and what doesn't in Charter."""

from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import (
    ConfirmPrompt,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
)

from dialogs.context import current_person
from services.feedback import FeedbackRejected, FeedbackService, check_feedback

ASK = (
    "What would you like HR to know about Charter? Tell me what works, what doesn't, "
    "or what you'd like it to do. (Type **cancel** to stop.)"
)


class FeedbackDialog(ComponentDialog):  # type: ignore[misc]  # botbuilder is untyped
    ID = "FeedbackDialog"

    def __init__(self, feedback: FeedbackService) -> None:
        super().__init__(self.ID)
        self._feedback = feedback
        self.add_dialog(TextPrompt("feedback.text", self._validate_text))
        self.add_dialog(ConfirmPrompt("feedback.confirm", default_locale="en-us"))
        self.add_dialog(WaterfallDialog("feedback.steps", [self._ask, self._confirm, self._send]))
        self.initial_dialog_id = "feedback.steps"

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await step.prompt(
            "feedback.text",
            PromptOptions(
                prompt=MessageFactory.text(ASK),
                retry_prompt=MessageFactory.text("What would you like to tell HR?"),
            ),
        )

    @staticmethod
    async def _validate_text(prompt: PromptValidatorContext) -> bool:
        if not prompt.recognized.succeeded:
            return False
        try:
            check_feedback(prompt.recognized.value)
        except FeedbackRejected as reason:
            # The SDK sends no retry prompt once the turn has replied, so re-ask here.
            await prompt.context.send_activity(f"{reason} Please try again, or type **cancel**.")
            return False
        return True

    async def _confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["text"] = check_feedback(step.result)
        return await step.prompt(
            "feedback.confirm",
            PromptOptions(
                prompt=MessageFactory.text("Shall I send that to HR?"),
                retry_prompt=MessageFactory.text("Please answer yes or no: send it to HR?"),
            ),
        )

    async def _send(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.result:
            person = current_person(step.context)
            await self._feedback.send(person.id, step.values["text"])
            await step.context.send_activity("Thank you: I've passed that on to HR.")
        else:
            await step.context.send_activity("OK, I haven't sent anything.")
        return await step.end_dialog()
