"""Cards for absence and return-to-work: record, close, the guided RTW card, summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from dialogs import cards
from domain.absences import CONFIRMED_DATES
from domain.date_words import format_short, format_uk, plural
from domain.form_tokens import stamped
from domain.people import Person
from domain.records import AbsenceView, RtwView
from domain.rtw import RtwDue, RtwState
from services.absence import OUTCOMES, SUPPORT, AbsenceSummary, RtwContext

ABSENCE_START = "absence_start"
ABSENCE_END = "absence_end"
RTW = "rtw"
SHOW_RTW = "rtw_card"
RTW_ACK = "rtw_ack"
RTW_COMMENT = "rtw_comment"
CHANGE_DATES = "change_dates"  # "Change dates" on the question: the form comes back


def _problems(problems: Sequence[str]) -> list[cards.Element]:
    if not problems:
        return []
    return [
        cards.container(
            [cards.warning("Please fix these and save again:")]
            + [cards.warning(f"- {p}") for p in problems],
            style="attention",
        )
    ]


def _period(absence: AbsenceView) -> str:
    end = format_short(absence.end_date) if absence.end_date else "ongoing"
    days = (
        f", {plural(absence.working_days_lost, 'working day')}" if absence.working_days_lost else ""
    )
    return f"{format_short(absence.start_date)} to {end}{days}"


def due_text(due: RtwDue) -> str:
    if due.state is RtwState.OVERDUE:
        return (
            f"The return-to-work conversation was due by {format_uk(due.deadline)}: "
            f"{plural(due.days_overdue, 'working day')} late."
        )
    if due.state in (RtwState.HELD_ON_TIME, RtwState.HELD_LATE) and due.held_on:
        late = "" if due.state is RtwState.HELD_ON_TIME else " (after the deadline)"
        return f"Return-to-work conversation held {format_uk(due.held_on)}{late}."
    return (
        f"Hold the return-to-work conversation on {format_uk(due.due_on)}, their first day "
        f"back, or by {format_uk(due.deadline)} at the latest."
    )


def absence_start_card(
    report: Person,
    reasons: Sequence[str],
    today: date,
    *,
    values: Mapping[str, object] | None = None,
    problems: Sequence[str] = (),
) -> cards.Element:
    typed = {k: v for k, v in (values or {}).items() if isinstance(v, str)}
    return cards.card(
        [
            cards.heading(f"{report.first_name} is off sick"),
            *_problems(problems),
            cards.input_date(
                "start_date",
                "First day of absence",
                typed.get("start_date") or today.isoformat(),
                max=today.isoformat(),
            ),
            cards.input_date(
                "expected_return", "Expected back (if known)", typed.get("expected_return", "")
            ),
            cards.choice_set(
                "reason_category",
                "Reason (if they've said)",
                [("Not known yet", "")] + [(r, r) for r in reasons],
                typed.get("reason_category", ""),
            ),
            cards.text(
                "Health information is confidential: only they, their line manager (or an "
                "acting manager while one is in place), and HR can see it.",
                subtle=True,
            ),
        ],
        [
            cards.submit(
                "Save", {"form": ABSENCE_START, "employee_id": report.employee_id}, primary=True
            ),
            cards.cancel_button(),
        ],
    )


def absence_end_card(
    report: Person,
    absence: AbsenceView,
    today: date,
    problems: Sequence[str] = (),
    *,
    values: Mapping[str, object] | None = None,
) -> cards.Element:
    default_end = max(absence.start_date, today.fromordinal(today.toordinal() - 1))
    typed = values.get("end_date") if values else None
    return cards.card(
        [
            cards.heading(f"{report.first_name} is back"),
            cards.text(f"Off sick since {format_uk(absence.start_date)}."),
            *_problems(problems),
            cards.input_date(
                "end_date",
                "Last day of absence",
                typed if isinstance(typed, str) and typed else default_end.isoformat(),
                min=absence.start_date.isoformat(),
                max=today.isoformat(),
            ),
        ],
        [
            cards.submit("Save", {"form": ABSENCE_END, "absence_id": absence.id}, primary=True),
            cards.cancel_button(),
        ],
    )


def absence_ended_card(report: Person, absence: AbsenceView, due: RtwDue | None) -> cards.Element:
    if due is None:  # it lost no working days: nobody came back to work from it
        return cards.card(
            [
                cards.heading(f"{report.first_name}'s absence is recorded"),
                cards.facts([("Absence", _period(absence))]),
                cards.text(
                    f"It lost no working days for {report.first_name}, so no return-to-work "
                    "conversation is needed for it."
                ),
            ]
        )
    return cards.card(
        [
            cards.heading(f"{report.first_name} is back at work"),
            cards.facts([("Absence", _period(absence))]),
            cards.text(due_text(due)),
        ],
        [
            cards.submit(
                "Log return to work", {"form": SHOW_RTW, "absence_id": absence.id}, primary=True
            )
        ],
    )


def _rtw_opening(
    context: RtwContext, reasons: Sequence[str], today: date, typed: Mapping[str, str]
) -> list[cards.Element]:
    """When it was held, why they were off, what was said, and whether it was reported."""
    absence = context.absence
    return [
        cards.input_date(
            "held_on",
            "Date of the conversation",
            typed.get("held_on") or today.isoformat(),
            min=(absence.end_date or absence.start_date).isoformat(),
            max=today.isoformat(),
        ),
        cards.choice_set(
            "reason_category",
            "Reason for the absence",
            [(r, r) for r in reasons],
            typed.get("reason_category") or (absence.reason_category or ""),
            required=True,
        ),
        cards.input_text(
            "notes",
            "Notes from the conversation",
            typed.get("notes", ""),
            multiline=True,
            max_length=4000,
        ),
        cards.input_toggle(
            "reported_correctly",
            "The absence was reported as the procedure requires",
            typed.get("reported_correctly", "true") == "true",
        ),
    ]


# The yes/no questions every return-to-work conversation asks, after the fit note.
RTW_TOGGLES = (
    ("work_related", "Work related"),
    ("accident_at_work", "An accident at work"),
    ("underlying_condition", "An underlying condition or disability"),
    ("adjustments_needed", "Reasonable adjustments are needed"),
)


def _rtw_checks(context: RtwContext, typed: Mapping[str, str]) -> list[cards.Element]:
    body: list[cards.Element] = []
    if context.fit_note_expected:
        body.append(
            cards.input_toggle(
                "fit_note_received",
                "Fit note received (absence over 7 calendar days)",
                typed.get("fit_note_received") == "true",
            )
        )
    body += [cards.input_toggle(k, label, typed.get(k) == "true") for k, label in RTW_TOGGLES]
    return body


def _rtw_closing(report: Person, typed: Mapping[str, str]) -> list[cards.Element]:
    """The support offered, the outcome and the employee's own comments."""
    support = cards.choice_set(
        "support_offered",
        "Support offered",
        [(t, k) for k, t in SUPPORT.items()],
        typed.get("support_offered", ""),
    )
    support["isMultiSelect"] = True
    support["style"] = "expanded"
    return [
        support,
        cards.choice_set(
            "outcome",
            "Outcome",
            [(t, k) for k, t in OUTCOMES.items()],
            typed.get("outcome", ""),
            required=True,
        ),
        cards.input_text(
            "employee_comments",
            f"{report.first_name}'s comments",
            typed.get("employee_comments", ""),
            multiline=True,
            max_length=4000,
        ),
    ]


def rtw_card(
    context: RtwContext,
    reasons: Sequence[str],
    today: date,
    *,
    values: Mapping[str, object] | None = None,
    problems: Sequence[str] = (),
) -> cards.Element:
    """The guided return-to-work conversation, with where the employee stands on triggers."""
    typed = {k: v for k, v in (values or {}).items() if isinstance(v, str)}
    report, absence = context.report, context.absence
    body: list[cards.Element] = [
        cards.heading(f"Return to work: {report.name}"),
        cards.facts([("Absence", _period(absence)), ("Due", due_text(context.due))]),
        cards.container(
            [cards.text(context.triggers.describe())],
            style="warning" if context.triggers.reached else "emphasis",
        ),
        *_problems(problems),
        *_rtw_opening(context, reasons, today, typed),
        *_rtw_checks(context, typed),
        *_rtw_closing(report, typed),
    ]
    save = {"form": RTW, "absence_id": absence.id}
    return cards.card(
        body,
        [
            cards.submit("Save return to work", save, primary=True),
            cards.cancel_button(),
        ],
    )


def rtw_saved_card(context: RtwContext, rtw: RtwView) -> cards.Element:
    facts = [
        ("Held", format_uk(rtw.held_on)),
        ("Absence", _period(context.absence)),
        ("Reason", rtw.reason_category or "—"),
        ("Outcome", OUTCOMES[rtw.outcome]),
    ]
    if rtw.support_offered:
        facts.append(("Support offered", ", ".join(SUPPORT[s] for s in rtw.support_offered)))
    return cards.card(
        [
            cards.heading(f"Saved: return to work for {context.report.name}"),
            cards.facts(facts),
            cards.text(rtw.trigger_summary, subtle=True),
        ]
    )


def rtw_employee_card(manager_name: str, absence: AbsenceView, rtw: RtwView) -> cards.Element:
    """For the employee (when it is saved, and on their welcome while it waits for them)."""
    facts = [
        ("Absence", _period(absence)),
        ("Reason", rtw.reason_category or "—"),
        ("Outcome", OUTCOMES[rtw.outcome]),
    ]
    if rtw.support_offered:
        facts.append(("Support offered", ", ".join(SUPPORT[s] for s in rtw.support_offered)))
    # One token for both buttons: the card is answered once (it then becomes read-only).
    answer = stamped({"rtw_id": rtw.id})
    return cards.card(
        [
            cards.heading("Your return to work"),
            cards.text(
                f"{manager_name} recorded your return-to-work conversation of "
                f"{format_uk(rtw.held_on)}. Please acknowledge the record, and add a comment if "
                "anything is missing."
            ),
            cards.facts(facts),
            cards.input_text(
                "comment",
                "Your comment (your manager will see it)",
                multiline=True,
                max_length=4000,
            ),
        ],
        [
            cards.submit("Acknowledge", {**answer, "form": RTW_ACK}, primary=True),
            cards.submit("Send comment", {**answer, "form": RTW_COMMENT}),
        ],
    )


def absence_summary_card(summary: AbsenceSummary, *, own: bool) -> cards.Element:
    person = summary.person
    body: list[cards.Element] = [
        cards.heading("Your absence" if own else f"Absence: {person.name}"),
        cards.text(summary.triggers.describe()),
    ]
    if summary.absences:
        body.append(
            cards.text(
                "\n".join(
                    f"- {_period(a)}" + (f" ({a.reason_category})" if a.reason_category else "")
                    for a in summary.absences
                )
            )
        )
    else:
        body.append(cards.text("No absence in the last 12 months."))
    actions = []
    if not own:
        for absence, due in summary.waiting:
            body.append(cards.text(due_text(due)))
            actions.append(
                cards.submit(
                    f"Log return to work ({format_short(absence.start_date)})",
                    {"form": SHOW_RTW, "absence_id": absence.id},
                )
            )
    return cards.card(body, actions or None)


def rtw_comment_notice(employee: Person, rtw: RtwView) -> cards.Element:
    """Tells the manager the employee commented on their return-to-work record."""
    return cards.card(
        [
            cards.text(f"**{employee.name}** commented on their return-to-work record:"),
            cards.text(cards.plain(rtw.employee_comment or "")),
        ]
    )


def dates_question_card(
    title: str,
    question: str,
    values: Mapping[str, object],
    *,
    record: str = "Record anyway",
    change: str = "Change dates",
) -> cards.Element:
    """Asked before saving dates that hold no working day: the form's values go back with
    the answer ("Record anyway" saves them as they are, checked again on the server;
    "Change dates" brings the form back as it was filled in)."""
    kept = {k: v for k, v in values.items() if k not in (CONFIRMED_DATES, CHANGE_DATES)}
    return cards.card(
        [cards.heading(title), cards.text(question)],
        [
            cards.submit(record, {**kept, CONFIRMED_DATES: "true"}, primary=True),
            cards.submit(change, {**kept, CHANGE_DATES: "true"}),
        ],
    )


def wants_to_change_dates(values: Mapping[str, object]) -> bool:
    return values.get(CHANGE_DATES) == "true"
