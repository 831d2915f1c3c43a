"""Questions about what good looks like: answer them, show a related topic, take 👍/👎 and
pass a question to HR. Thin: the answers service decides and records."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from dialogs import views
from dialogs.answers import views as answer_views
from dialogs.kit import send_card
from domain import form_values
from domain.people import Person
from services.registry import Services

MAX_QUESTION_CHARS = 500
# Short replies that are not questions: answered as chat, not searched or logged for HR.
THANKS = frozenset({"thanks", "thank you", "thanks!", "thank you!", "cheers", "ta", "thx"})
NOT_QUESTIONS = frozenset({"yes", "no", "ok", "okay", "y", "n", "sure", "great", "cool", "fine"})


async def answer_question(
    turn_context: TurnContext, services: Services, person: Person, question: str | None
) -> None:
    question = (question or "").strip()
    if not question:
        await send_card(turn_context, answer_views.ask_prompt_card())
        return
    said = question.lower().rstrip(".!")
    if said in THANKS:
        await turn_context.send_activity("You're welcome.")
        return
    if said in NOT_QUESTIONS:
        await turn_context.send_activity(views.NOT_UNDERSTOOD)
        return
    if len(question) > MAX_QUESTION_CHARS:
        await turn_context.send_activity(
            f"That's a long question ({len(question):,} characters). Could you ask it in "
            f"under {MAX_QUESTION_CHARS} characters?"
        )
        return
    answer = await services.answers.ask(question, person, channel="chat")
    await send_card(turn_context, answer_views.answer_card(answer))


async def show_section(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    section_id = form_values.text(value, "section_id")
    answer = await services.answers.show_section(section_id, person) if section_id else None
    if answer is None:
        await turn_context.send_activity(
            "That topic is no longer in the guidance; HR may have updated it. "
            "Ask your question again and I'll look."
        )
        return
    await send_card(turn_context, answer_views.answer_card(answer))


async def rate_answer(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    question_id = form_values.record_id(value.get("question_id"))
    helpful = value.get("helpful")
    if question_id is None or not isinstance(helpful, bool):
        await turn_context.send_activity("I couldn't read that rating. Nothing was changed.")
        return
    await services.answers.rate(question_id, person, helpful)
    if helpful:
        await turn_context.send_activity("Thanks, glad that helped.")
    else:
        await send_card(turn_context, answer_views.after_down_vote_card(question_id))


async def refer_to_hr(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    question_id = form_values.record_id(value.get("question_id"))
    if question_id is None:
        await turn_context.send_activity("I couldn't read that. Nothing was changed.")
        return
    await services.answers.refer_to_hr(question_id, person)
    await turn_context.send_activity(
        "Done: HR will see your question when they next review what people asked, and use it "
        "to improve the guidance. If it's urgent or about you personally, please contact your "
        "HR adviser directly."
    )
