"""The "what good looks like" routes: ask, a related topic, rating an answer, asking HR."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.answers import handlers, views
from dialogs.routes import Phrase, Request, Route, command, for_form, submit
from domain.commands import Capability, forced_question, without_mentions

ASK = Capability(
    "ask",
    "ask",
    "Ask what good looks like, in your own words (ask how often should I hold "
    "one-to-ones?). Any message that isn't a command is taken as a question.",
    aliases=("what good looks like", "ask a question"),
    listed=False,
    section="What good looks like",
)


def _ask_phrase(text: str, today: date) -> dict[str, Any] | None:
    """ "ask <question>" -> the question, as typed."""
    question = forced_question(text)
    return {"name": question} if question is not None else None


async def _ask(request: Request) -> None:
    await handlers.answer_question(
        request.turn_context, request.services, request.person, request.name
    )


async def answer_any_text(request: Request) -> None:
    """Typed text that is no command: taken as a question about what good looks like."""
    await handlers.answer_question(
        request.turn_context,
        request.services,
        request.person,
        without_mentions(request.turn_context.activity.text),
    )


ROUTES: tuple[Route, ...] = (
    command(ASK, _ask, phrase=Phrase(_ask_phrase, rank=20)),
    submit(views.SECTION, for_form(handlers.show_section), changes=False),
    submit(views.RATING, for_form(handlers.rate_answer)),
    submit(views.REFER, for_form(handlers.refer_to_hr)),
)
