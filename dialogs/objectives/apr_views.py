"""The Annual Performance Review's cards: the employee's preparation, the manager's record,
and the record the employee acknowledges or comments on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from dialogs import cards
from domain.apr_cycle import AprState, AprStatus, long_date
from domain.date_words import format_uk, plural
from domain.form_tokens import stamped
from domain.people import Person
from domain.records import Choice, ObjectiveView

APR_PREPARE = "apr_prepare"
APR_RECORD = "apr_record"
APR_ACK = "apr_ack"
APR_COMMENT = "apr_comment"

OUTCOMES = [
    ("Achieved", "achieved"),
    ("Partly achieved", "partly_achieved"),
    ("Not achieved", "not_achieved"),
    ("Continuing into next year", "continuing"),
]
THEMES = ("Drive", "Think", "Feel", "Connect", "Inspire")
NEXT_OBJECTIVE_ROWS = 2


def apr_status_text(status: AprStatus) -> str:
    """Where the reader stands with their APR, as one sentence."""
    cycle = f" for {status.window.cycle_label}" if status.window else ""
    reason = status.reason[:1].lower() + status.reason[1:]
    if status.state is AprState.COMPLETED:
        return f"Your APR{cycle} is done ({reason}). Preparing early for the next one helps."
    if status.state is AprState.DUE and status.window is not None:
        return f"Your APR{cycle} is due: the window closes {long_date(status.window.closes)}."
    if status.state is AprState.OVERDUE:
        return (
            f"Your APR{cycle} is overdue by {plural(status.days_overdue, 'day')}: "
            "agree a date with your manager."
        )
    if status.state is AprState.DUE_SOON:
        return f"Your APR{cycle} is coming up: {reason}."
    return status.reason + "."


def _long_answer(id: str, label: str, value: object) -> cards.Element:
    return cards.input_text(id, label, str(value), multiline=True, max_length=2000)


def apr_preparation_card(
    *,
    status_text: str,
    objectives: Sequence[ObjectiveView],
    saved: Mapping[str, Any] | None = None,
    problems: Sequence[str] = (),
) -> cards.Element:
    saved = saved or {}
    achievements = saved.get("achievements", {})
    body: list[cards.Element] = [
        cards.heading("Prepare for your APR"),
        cards.text(status_text, subtle=True),
        cards.text(
            "Your APR is yours to lead: look back at what you've achieved and forward to what "
            "you need. Your manager sees this before you meet.",
        ),
    ]
    if objectives:
        body.append(cards.subheading("Your objectives"))
    body += [
        _long_answer(
            f"achievement_{o.id}",
            f"{o.title}: what did you achieve?",
            # Saved before, or typed into this card (when it came back with problems).
            saved.get(f"achievement_{o.id}") or achievements.get(str(o.id), ""),
        )
        for o in objectives
    ]
    body += [
        _long_answer("obstacles", "What got in the way?", saved.get("obstacles", "")),
        _long_answer(
            "development_wishes",
            "What would you like to develop next?",
            saved.get("development_wishes", ""),
        ),
        _long_answer(
            "support_wanted",
            "What support do you want from your manager?",
            saved.get("support_wanted", ""),
        ),
    ]
    cards.place_problems(body, problems, at=3)
    share = stamped({"form": APR_PREPARE}, saved)
    return cards.card(body, [cards.submit("Share with my manager", share, primary=True)])


def _preparation_box(report: Person, preparation: Any) -> cards.Element:
    """What the employee wrote when they prepared, for the manager to read first."""
    prep_lines = []
    if preparation.obstacles:
        prep_lines.append(f"**Got in the way:** {cards.plain(preparation.obstacles)}")
    if preparation.development_wishes:
        prep_lines.append(f"**Wants to develop:** {cards.plain(preparation.development_wishes)}")
    if preparation.support_wanted:
        prep_lines.append(f"**Support wanted:** {cards.plain(preparation.support_wanted)}")
    return cards.container(
        [cards.subheading(f"{report.first_name}'s preparation")]
        + [cards.text(line) for line in prep_lines],
        style="emphasis",
    )


def _objective_review(
    report: Person, objective: ObjectiveView, preparation: Any | None, typed: Mapping[str, str]
) -> cards.Element:
    """One objective's outcome and comment, under what the employee said they achieved."""
    said = ""
    if preparation is not None:
        said = str(preparation.achievements.get(str(objective.id), ""))
    items: list[cards.Element] = [cards.text(f"**{cards.plain(objective.title)}**")]
    if said:
        items.append(cards.text(f"{report.first_name}: {cards.plain(said)}", subtle=True))
    items += [
        cards.choice_set(
            f"outcome_{objective.id}",
            "Outcome",
            OUTCOMES,
            typed.get(f"outcome_{objective.id}", ""),
            required=True,
        ),
        cards.input_text(
            f"review_{objective.id}",
            "Comment",
            typed.get(f"review_{objective.id}", ""),
            max_length=2000,
        ),
    ]
    return cards.container(items, separator=True)


def _leadership_inputs(typed: Mapping[str, str]) -> list[cards.Element]:
    """For a report who manages others: the leadership behaviours to develop."""
    theme_choice = cards.choice_set(
        "leadership_themes",
        "Leadership behaviours to develop",
        [(t, t) for t in THEMES],
        typed.get("leadership_themes", ""),
    )
    theme_choice["isMultiSelect"] = True
    theme_choice["style"] = "expanded"
    return [
        theme_choice,
        _long_answer(
            "development_needs", "Leadership development needs", typed.get("development_needs", "")
        ),
    ]


def _next_objective(
    i: int, typed: Mapping[str, str], priorities: Sequence[Choice], today: date
) -> list[cards.Element]:
    """Row ``i`` of next year's objectives, agreed at the APR."""
    measure = cards.input_text(
        f"next_{i}_measure", "Success looks like", typed.get(f"next_{i}_measure", "")
    )
    target = cards.input_date(
        f"next_{i}_target_date",
        "Target date",
        typed.get(f"next_{i}_target_date", ""),
        min=today.isoformat(),
    )
    return [
        cards.input_text(
            f"next_{i}_title", f"Objective {i}", typed.get(f"next_{i}_title", ""), max_length=300
        ),
        cards.columns(([measure], "stretch"), ([target], "auto")),
        cards.choice_set(
            f"next_{i}_priority_id",
            "Council priority",
            [(p.title, str(p.id)) for p in priorities],
            typed.get(f"next_{i}_priority_id", ""),
        ),
    ]


def apr_record_card(
    *,
    report: Person,
    objectives: Sequence[ObjectiveView],
    priorities: Sequence[Choice],
    preparation: Any | None,
    today: date,
    values: Mapping[str, object] | None = None,
    problems: Sequence[str] = (),
) -> cards.Element:
    typed = {k: v for k, v in (values or {}).items() if isinstance(v, str)}
    body: list[cards.Element] = [cards.heading(f"Record {report.first_name}'s APR")]
    if preparation is not None:
        body.append(_preparation_box(report, preparation))
    body.append(
        cards.input_date(
            "held_on",
            "Date held",
            typed.get("held_on") or today.isoformat(),
            min=report.start_date.isoformat(),
            max=today.isoformat(),
        )
    )
    if objectives:
        body.append(cards.subheading("This year's objectives"))
    body += [_objective_review(report, o, preparation, typed) for o in objectives]
    body.append(
        cards.input_text(
            "overall_comments",
            "Overall comments",
            typed.get("overall_comments", ""),
            multiline=True,
            max_length=4000,
        )
    )
    if report.is_manager:
        body += _leadership_inputs(typed)
    body.append(_long_answer("learning_needs", "Learning needs", typed.get("learning_needs", "")))
    body.append(cards.subheading("Next year's objectives (agreed now)"))
    for i in range(1, NEXT_OBJECTIVE_ROWS + 1):
        body += _next_objective(i, typed, priorities, today)
    cards.place_problems(body, problems)
    save = stamped({"form": APR_RECORD, "employee_id": report.employee_id}, values)
    return cards.card(
        body,
        [cards.submit("Save APR", save, primary=True), cards.cancel_button()],
    )


def _apr_details(
    apr: Any, titles: Mapping[int, str], new: Sequence[ObjectiveView]
) -> list[cards.Element]:
    outcome_label = {value: title for title, value in OUTCOMES}
    body: list[cards.Element] = [cards.facts([("Held", format_uk(apr.held_on))])]
    if apr.reviews:
        lines = [
            f"- {cards.plain(titles.get(o, 'Objective'))}: {outcome_label.get(out, out)}"
            + (f" ({cards.plain(c)})" if c else "")
            for o, out, c in apr.reviews
        ]
        body.append(cards.text("\n".join(lines)))
    if apr.overall_comments:
        body += [cards.subheading("Overall"), cards.text(cards.plain(apr.overall_comments))]
    if apr.leadership_themes:
        body.append(cards.facts([("Leadership themes", ", ".join(apr.leadership_themes))]))
    if apr.learning_needs:
        body.append(cards.facts([("Learning needs", cards.plain(apr.learning_needs))]))
    if new:
        body += [
            cards.subheading("Next year's objectives"),
            cards.text("\n".join(f"- {cards.plain(o.title)}" for o in new)),
        ]
    return body


def apr_summary_card(
    report: Person, apr: Any, titles: Mapping[int, str], new: Sequence[ObjectiveView]
) -> cards.Element:
    """For the manager who recorded it."""
    return cards.card([cards.heading(f"APR saved: {report.name}"), *_apr_details(apr, titles, new)])


def apr_employee_card(
    manager_name: str, apr: Any, titles: Mapping[int, str], new: Sequence[ObjectiveView]
) -> cards.Element:
    """For the employee (its notice, and their welcome while it waits for them): the record,
    and a request to acknowledge or comment."""
    intro = (
        f"{manager_name} recorded your Annual Performance Review. Please acknowledge it, "
        "and add a comment if you wish."
    )
    # One token for both buttons: the card is answered once (it then becomes read-only).
    answer = stamped({"apr_id": apr.id})
    return cards.card(
        [
            cards.heading("Your APR"),
            cards.text(intro),
            *_apr_details(apr, titles, new),
            cards.input_text(
                "comment",
                "Your comment (your manager will see it)",
                multiline=True,
                max_length=4000,
            ),
        ],
        [
            cards.submit("Acknowledge", {**answer, "form": APR_ACK}, primary=True),
            cards.submit("Send comment", {**answer, "form": APR_COMMENT}),
        ],
    )


def apr_comment_notice(employee: Person, apr: Any) -> cards.Element:
    """Tells the manager the employee commented on their APR."""
    return cards.card(
        [
            cards.text(f"**{employee.name}** commented on their APR:"),
            cards.text(cards.plain(apr.employee_comment or "")),
        ]
    )
