"""The agenda's cards: the agenda as each of the pair sees it, planning the next one-to-one,
the manager's prep card and "did you meet?"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from dialogs import cards
from domain.agenda import MAX_POINT_CHARS, MAX_PREP_NOTE_CHARS, AgendaPoint, waiting_text
from domain.date_words import format_short
from domain.people import Person
from services.agenda import Agenda
from services.one_to_one_prep import Prep

ADD = "agenda_add"
PREP_NOTE = "agenda_prep_note"
PLAN = "agenda_plan"
OUTCOME = "agenda_outcome"
# Command payloads the digest's buttons carry.
PREP_COMMAND = "one_to_one_prep"
MET_COMMAND = "did_you_meet"


def _when(moment: datetime) -> str:
    return f"{moment:%A %-d %B} at {moment:%H:%M}"


def _point_lines(points: Sequence[AgendaPoint], today: date, last_held: date | None) -> str:
    return "\n".join(
        f"- {cards.plain(p.text)} ({'added by ' + p.added_by.value}, "
        f"{waiting_text(p, today, last_held)})"
        for p in points
    )


def _add_box(employee_ref: str | None, label: str) -> cards.Element:
    data: dict[str, object] = {"form": ADD}
    if employee_ref is not None:
        data["employee_id"] = employee_ref
    return {
        "type": "Action.ShowCard",
        "title": "Add a point",
        "card": cards.card(
            [cards.input_text("text", label, max_length=MAX_POINT_CHARS)],
            [cards.submit("Add", data, primary=True)],
        ),
    }


def _points_block(agenda: Agenda, today: date) -> list[cards.Element]:
    if not agenda.points:
        return [cards.text("Nothing on the agenda yet.", subtle=True)]
    return [cards.text(_point_lines(agenda.points, today, agenda.last_held))]


def my_agenda_card(agenda: Agenda, manager: Person, today: date) -> cards.Element:
    """The employee's view: the points and the next meeting; never the prep note."""
    body = [cards.heading(f"Your one-to-one agenda with {manager.first_name}")]
    if agenda.planned is not None:
        body.append(cards.text(f"Next one-to-one: {_when(agenda.planned.starts_at)}"))
    body += _points_block(agenda, today)
    return cards.card(body, [_add_box(None, "What do you want to talk about?")])


def add_point_card() -> cards.Element:
    return cards.card(
        [cards.text("What do you want to talk about at your next one-to-one?")],
        [_add_box(None, "Your point")],
    )


def manager_agenda_card(agenda: Agenda, today: date) -> cards.Element:
    """The manager's view: the points, their private prep note, and the next meeting."""
    report = agenda.employee
    ref = report.employee_id
    body = [cards.heading(f"One-to-one agenda with {report.name}")]
    planned = agenda.planned
    body.append(
        cards.text(
            f"Next one-to-one: {_when(planned.starts_at)}"
            if planned is not None
            else "No one-to-one planned yet."
        )
    )
    body += _points_block(agenda, today)
    body.append(cards.subheading("Your prep note (only you see this)"))
    body.append(
        cards.input_text(
            "note",
            "Prep note",
            agenda.prep_note or "",
            multiline=True,
            max_length=MAX_PREP_NOTE_CHARS,
        )
    )
    body.append(
        cards.action_set([cards.submit("Save note", {"form": PREP_NOTE, "employee_id": ref})])
    )
    actions = [
        _add_box(ref, f"A point for you and {report.first_name}"),
        plan_box(report, planned.starts_at if planned else None, today),
        cards.submit("Prep card", {"command": PREP_COMMAND, "employee_id": ref}),
    ]
    return cards.card(body, actions)


def plan_box(report: Person, current: datetime | None, today: date) -> cards.Element:
    return {
        "type": "Action.ShowCard",
        "title": "Plan the next one-to-one",
        "card": plan_card(report, current, today, questions=()),
    }


def plan_card(
    report: Person, proposed: datetime | None, today: date, *, questions: Sequence[str]
) -> cards.Element:
    """Date and time for the next one-to-one; with questions, "Plan it anyway"."""
    body: list[cards.Element] = []
    if questions:
        body.append(
            cards.container(
                [cards.warning(q) for q in questions] + [cards.text("Plan it for then anyway?")],
                style="attention",
            )
        )
    elif proposed is not None:
        body.append(cards.text(f"Proposed from the cadence: {_when(proposed)}"))
    day = proposed.date().isoformat() if proposed else ""
    at = f"{proposed:%H:%M}" if proposed else "10:00"
    body.append(cards.input_date("day", "Date", day, min=today.isoformat()))
    body.append({"type": "Input.Time", "id": "time", "label": "Time", "value": at})
    data = {"form": PLAN, "employee_id": report.employee_id, "confirmed": bool(questions)}
    title = "Plan it anyway" if questions else f"Plan one-to-one with {report.first_name}"
    return cards.card(body, [cards.submit(title, data, primary=True)])


def planned_text(report: Person, starts_at: datetime) -> str:
    return f"Planned: your next one-to-one with {report.first_name} is {_when(starts_at)}."


def prep_card(prep: Prep, today: date) -> cards.Element:
    report = prep.agenda.employee
    ref = report.employee_id
    body = [cards.heading(f"Prep: one-to-one with {report.name}")]
    if prep.agenda.planned is not None:
        body.append(cards.text(_when(prep.agenda.planned.starts_at), subtle=True))
    body.append(cards.subheading("Agenda"))
    body += _points_block(prep.agenda, today)
    if prep.agenda.prep_note:
        body += [cards.subheading("Your prep note"), cards.text(cards.plain(prep.agenda.prep_note))]
    body += _actions_and_objectives(prep)
    body += _standing(prep)
    return cards.card(
        body,
        [
            _add_box(ref, f"A point for you and {report.first_name}"),
            cards.submit("Log one-to-one", {"command": "log_one_to_one", "employee_id": ref}),
        ],
    )


def _actions_and_objectives(prep: Prep) -> list[cards.Element]:
    body = [cards.subheading("Open actions")]
    body.append(
        cards.text("\n".join(f"- {cards.plain(a.text)} ({a.owner})" for a in prep.actions))
        if prep.actions
        else cards.text("None open.", subtle=True)
    )
    body.append(cards.subheading("Objectives"))
    body.append(
        cards.text(
            "\n".join(
                f"- {cards.plain(o.title)}: {(o.rag or 'no RAG').upper()}, {o.percent_complete}%"
                for o in prep.objectives
            )
        )
        if prep.objectives
        else cards.text("No live objectives.", subtle=True)
    )
    return body


def _standing(prep: Prep) -> list[cards.Element]:
    pairs: list[tuple[str, str]] = []
    if prep.last_wellbeing is not None:
        held, note, concern = prep.last_wellbeing
        text = cards.plain(note) or "nothing noted"
        pairs.append(
            (
                "Last wellbeing check",
                f"{format_short(held)}: {text}" + (" (concern)" if concern else ""),
            )
        )
    row = prep.standing
    if row is not None:
        pairs.append(("APR", row.apr))
        if row.sickness is not None:
            pairs.append(("Sickness", row.sickness))
        if row.rtw is not None:
            pairs.append(("Return to work", row.rtw))
    return [cards.subheading("Wellbeing and reviews"), cards.facts(pairs)] if pairs else []


def did_you_meet_card(report: Person, planned: datetime | None, today: date) -> cards.Element:
    ref = report.employee_id
    when = f" on {_when(planned)}" if planned else ""
    moved = {
        "type": "Action.ShowCard",
        "title": "It was moved",
        "card": cards.card(
            [
                cards.input_date("day", "New date", min=today.isoformat()),
                {"type": "Input.Time", "id": "time", "label": "Time", "value": "10:00"},
            ],
            [cards.submit("Save", {"form": OUTCOME, "employee_id": ref, "outcome": "moved"})],
        ),
    }
    return cards.card(
        [cards.text(f"Did you meet {report.first_name}{when}?")],
        [
            cards.submit("Log it", {"command": "log_one_to_one", "employee_id": ref}),
            moved,
            cards.submit(
                "It didn't happen", {"form": OUTCOME, "employee_id": ref, "outcome": "missed"}
            ),
        ],
    )
