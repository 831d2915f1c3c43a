"""The "what good looks like" answer card: the best passage with its source, "more on this"
topics and 👍/👎; or, when Charter is not sure, the nearest topics and an offer to ask HR."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs import cards
from domain.answer_passages import Answer, Passage

SECTION = "answer_section"
RATING = "answer_rating"
REFER = "answer_refer"

SAMPLE_NOTE = (
    "Sample content shipped with Charter: your council will replace it with its own charter."
)
NOT_SURE = (
    "I'm not sure the council's guidance answers that, and I'd rather not guess. "
    "These are the nearest topics I have:"
)
ELSEWHERE = (
    "I answer questions about the council's people-performance framework, and this looks like "
    "a question for **{service}**, so I won't guess an answer from the framework."
)
ELSEWHERE_NEAREST = "In case it is about the framework after all, these are the nearest topics:"
EXAMPLES = (
    "How often should I hold one-to-ones?",
    "What happens at my APR?",
    "What should a return-to-work conversation cover?",
    "What are the council's values?",
)


def passage_blocks(passage: Passage) -> list[cards.Element]:
    """The passage as text blocks: one per paragraph or list, so Teams keeps lists as lists."""
    blocks = [part.strip() for part in passage.text.split("\n\n") if part.strip()]
    return [cards.text(block) for block in blocks]


def topic_buttons(passages: Sequence[Passage]) -> list[cards.Element]:
    return [
        cards.submit(_button_title(p), {"form": SECTION, "section_id": p.section_id})
        for p in passages
    ]


def _button_title(passage: Passage) -> str:
    title = passage.title if len(passage.title) <= 40 else passage.title[:39] + "…"
    return title


def _source_line(passage: Passage) -> str:
    return f"Source: {passage.source} · {passage.topic_title}"


def rating_buttons(question_id: int | None) -> list[cards.Element]:
    if question_id is None:
        return []
    return [
        cards.submit("👍 Helpful", {"form": RATING, "question_id": question_id, "helpful": True}),
        cards.submit(
            "👎 Not helpful", {"form": RATING, "question_id": question_id, "helpful": False}
        ),
    ]


def answer_card(answer: Answer) -> cards.Element:
    """The card for an answer Charter is confident about, or the "not sure" card."""
    if not answer.answered or answer.best is None:
        return not_sure_card(answer)
    best = answer.best
    body: list[cards.Element] = [cards.heading(best.title), *passage_blocks(best)]
    if best.sample:
        body.append(cards.warning(SAMPLE_NOTE))
    body.append(cards.text(_source_line(best), subtle=True, size="Small"))
    if answer.second is not None:
        # The other half of a two-part question, with its own source.
        second = answer.second
        body += [cards.subheading(second.title), *passage_blocks(second)]
        body.append(cards.text(_source_line(second), subtle=True, size="Small"))
    if answer.related:
        body.append(cards.subheading("More on this"))
        body.append(cards.action_set(topic_buttons(answer.related)))
    return cards.card(body, rating_buttons(answer.question_id))


def not_sure_card(answer: Answer) -> cards.Element:
    if answer.elsewhere:
        # A question HR's list says belongs to another service: say which, rather than guess.
        body: list[cards.Element] = [
            cards.heading("That sounds like one for another service"),
            cards.text(ELSEWHERE.format(service=answer.elsewhere)),
        ]
        if answer.related:
            body.append(cards.text(ELSEWHERE_NEAREST))
    else:
        body = [cards.heading("I'm not sure about that one")]
        if answer.related:
            body.append(cards.text(NOT_SURE))
    if answer.related:
        body.append(cards.action_set(topic_buttons(answer.related)))
    elif not answer.elsewhere:
        body.append(cards.text("I couldn't find anything close in the council's guidance."))
    body.append(cards.text("If you meant a command, type **help** to see what I can do."))
    actions: list[cards.Element] = []
    if answer.question_id is not None:
        body.append(cards.text(_ask_hr_line(answer), subtle=True))
        actions.append(cards.submit("Ask HR", {"form": REFER, "question_id": answer.question_id}))
    return cards.card(body, actions)


def _ask_hr_line(answer: Answer) -> str:
    if answer.elsewhere:
        return (
            "If it is about the framework after all, I can pass your question to HR so they "
            "can answer it in the guidance."
        )
    lead = "If none of these helps, I" if answer.related else "I"
    return f"{lead} can pass your question to HR so they can add an answer to the guidance."


def ask_prompt_card() -> cards.Element:
    """What to do when someone types just "ask"."""
    body = [
        cards.heading("Ask me what good looks like"),
        cards.text(
            "Type a question about managing people or your own performance at work, and I'll "
            "answer from the council's framework and the Manager's Charter, with the source. "
            "For example:"
        ),
        cards.text("\n".join(f"- {example}" for example in EXAMPLES)),
        cards.text(
            "Please don't put personal details in a question: HR reads the questions I "
            "couldn't answer (without names) to improve the guidance.",
            subtle=True,
        ),
    ]
    return cards.card(body)


def after_down_vote_card(question_id: int) -> cards.Element:
    return cards.card(
        [
            cards.text(
                "Thanks for telling me. I've noted it for HR, who use these to improve the "
                "guidance. Would you like me to pass your question to HR as well?"
            )
        ],
        [cards.submit("Ask HR", {"form": REFER, "question_id": question_id})],
    )
