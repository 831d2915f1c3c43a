"""The cards of the one-to-one conversation: pick, carry over, form, summaries, history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from dialogs import cards
from dialogs.one_to_ones.agenda_section import ToTick, agenda_section
from domain.date_words import format_short, format_uk, non_working_question
from domain.form_tokens import stamped
from domain.people import Person
from domain.records import ActionView, OneToOneView
from services.one_to_ones import (
    ACTION_ROWS,
    AREA_TITLES,
    AREAS,
    MAX_NOTE_CHARS,
    Logged,
    Problem,
)

FORM = "one_to_one"
CARRY = "carry_over"
ACK = "one_to_one_ack"
COMMENT = "one_to_one_comment"
ACTION_DONE = "action_done"
EDIT = "one_to_one_edit"
CONFIRM_DAY = "one_to_one_confirm_day"
DAY_CONFIRMED = "non_working_day_ok"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def action_line(action: ActionView, owners: Mapping[str, str]) -> str:
    """One action as a list line; ``owners`` names each owner from the reader's side."""
    due = f", due {format_short(action.due_on)}" if action.due_on else ""
    carried = (
        f" (carried forward {_times(action.carried_forward)})" if action.carried_forward else ""
    )
    return f"- {cards.plain(action.text)} ({owners.get(action.owner, action.owner)}{due}){carried}"


def for_manager(report: Person) -> dict[str, str]:
    return {"manager": "you", "employee": report.first_name}


def for_employee(manager_name: str | None) -> dict[str, str]:
    return {"employee": "you", "manager": (manager_name or "your manager").split()[0]}


def comment_notice_card(employee: Person, record: OneToOneView) -> cards.Element:
    """Tells the manager the employee commented on a one-to-one."""
    return cards.card(
        [
            cards.text(
                f"**{employee.name}** commented on your one-to-one of {format_uk(record.held_on)}:"
            ),
            cards.text(cards.plain(record.employee_comment or "")),
        ],
        [
            cards.submit(
                "See their one-to-ones",
                {"command": "one_to_ones", "employee_id": employee.employee_id},
            )
        ],
    )


def carry_over_card(report: Person, actions: Sequence[ActionView]) -> cards.Element:
    body = [
        cards.heading(f"Open actions with {report.first_name}"),
        cards.text(
            "Before you log the new one-to-one: tick what's done. Anything not ticked is "
            "carried forward. Nothing changes until you save the one-to-one.",
            subtle=True,
        ),
    ]
    for action in actions:
        body.append(
            cards.input_toggle(f"done_{action.id}", action_line(action, for_manager(report))[2:])
        )
    return cards.card(
        body,
        [
            cards.submit("Continue", {"form": CARRY}, primary=True),
            cards.cancel_button(),
        ],
    )


def _who_and_when(
    reports: Sequence[Person],
    report: Person | None,
    held_on: date,
    today: date,
    typed: Mapping[str, str],
    *,
    editing: bool,
) -> list[cards.Element]:
    """Who with (fixed when editing) and the date held."""
    if editing and report is not None:
        who = cards.text(f"With **{report.name}**")
    else:
        who = cards.choice_set(
            "employee_id",
            "Who with",
            [(p.name, p.employee_id) for p in reports],
            typed.get("employee_id") or (report.employee_id if report else ""),
            required=True,
        )
    when = cards.input_date(
        "held_on",
        "Date held",
        typed.get("held_on") or held_on.isoformat(),
        min=report.start_date.isoformat() if report else None,
        max=today.isoformat(),
        required=True,
    )
    return [cards.columns(([who], "1"), ([when], "1"))]


def _note(id: str, label: str, typed: Mapping[str, str]) -> cards.Element:
    return cards.input_text(id, label, typed.get(id, ""), multiline=True, max_length=MAX_NOTE_CHARS)


def private_note_label(report: Person | None) -> str:
    """Honest about who sees it: a subject access request discloses private notes."""
    who = report.first_name if report else "them"
    return f"Private note (not shared with {who}; included if they ask for their records)"


def _pair(left: cards.Element, right: cards.Element) -> cards.Element:
    row = cards.columns(([left], "1"), ([right], "1"))
    row["spacing"] = "Small"
    return row


def _notes(typed: Mapping[str, str], report: Person | None) -> list[cards.Element]:
    """The four areas (the manager's), the wellbeing flag, shared and private notes."""
    body = [
        cards.text(
            "Notes for the four areas are kept for you (and HR). Write in at least one; "
            "the shared notes below are what the employee sees.",
            subtle=True,
            size="Small",
        )
    ]
    areas = [
        _note(area.key, f"{area.title}: {area.hint[0].lower()}{area.hint[1:]}", typed)
        for area in AREAS
    ]
    # Two to a row: half as tall, and still wide enough to type in on a phone.
    body += [_pair(a, b) for a, b in zip(areas[::2], areas[1::2], strict=True)]
    return [
        *body,
        cards.input_toggle(
            "wellbeing_concern",
            "A wellbeing concern was raised",
            typed.get("wellbeing_concern") == "true",
        ),
        cards.columns(
            ([_note("shared_notes", "Shared notes (the employee sees these)", typed)], "1"),
            ([_note("private_note", private_note_label(report), typed)], "1"),
        ),
    ]


def _action_row(
    i: int, typed: Mapping[str, str], owners: list[tuple[str, str]], today: date
) -> cards.Element:
    """Action ``i`` of the agreed actions: what (the full width, so it is usable on a phone),
    then whose and by when side by side."""
    what = cards.input_text(f"action_{i}_text", f"Action {i}", typed.get(f"action_{i}_text", ""))
    whose = cards.choice_set(
        f"action_{i}_owner", "Owner", owners, typed.get(f"action_{i}_owner") or "employee"
    )
    due = cards.input_date(
        f"action_{i}_due", "Due", typed.get(f"action_{i}_due", ""), min=today.isoformat()
    )
    row = cards.container([what, cards.columns(([whose], "1"), ([due], "1"))])
    row["spacing"] = "Small"
    return row


def _problems(body: list[cards.Element], problems: Sequence[Problem]) -> cards.Element:
    """Each problem beside its field ("write in at least one area" beside the first area),
    and the summary for the top of the form."""
    errors: dict[str, str] = {}
    for problem in problems:
        field = AREAS[0].key if problem.field == "areas" else problem.field
        errors.setdefault(field, problem.message)
    unplaced = cards.with_field_errors(body, errors)
    return cards.problems_summary(len(problems), unplaced)


def one_to_one_form(
    *,
    reports: Sequence[Person],
    report: Person | None,
    held_on: date,
    today: date,
    values: Mapping[str, object] | None = None,
    problems: Sequence[Problem] = (),
    carried: Sequence[ActionView] = (),
    done: Sequence[ActionView] = (),
    actions_done: Sequence[int] | None = None,
    actions_for: str | None = None,
    record_id: int | None = None,
    agenda: ToTick | None = None,
) -> cards.Element:
    """The one-card form; ``values`` re-fills what was typed when it comes back with problems."""
    typed = {k: v for k, v in (values or {}).items() if isinstance(v, str)}
    editing = record_id is not None
    title = "Edit one-to-one" if editing else "Log a one-to-one"
    body: list[cards.Element] = [cards.heading(f"{title} with {report.name}" if report else title)]
    body += _who_and_when(reports, report, held_on, today, typed, editing=editing)
    body += agenda_section(agenda, today, typed)
    if carried and report is not None:  # actions are carried only once the report is known
        body.append(cards.subheading("Carried forward"))
        body.append(cards.text("\n".join(action_line(a, for_manager(report)) for a in carried)))
    if done and report is not None:  # ticked at the carry-over step: written with the save
        body.append(cards.subheading("Marked done when you save"))
        body.append(cards.text("\n".join(action_line(a, for_manager(report)) for a in done)))
    body += [*_notes(typed, report), cards.subheading("Agreed actions")]
    owners = [(report.first_name if report else "Them", "employee"), ("Me", "manager")]
    body += [_action_row(i, typed, owners, today) for i in range(1, ACTION_ROWS + 1)]
    if problems:
        body.insert(1, _problems(body, problems))
    data: dict[str, object] = {"form": FORM}
    if record_id is not None:
        data["record_id"] = record_id
    if actions_done is not None:
        # Whose open actions the ticks are: a form saved for someone else ignores them.
        data["actions_done"] = list(actions_done)
        data["actions_for"] = actions_for
    save = "Save changes" if editing else "Save one-to-one"
    return cards.card(
        body,
        [
            cards.submit(save, stamped(data, values), primary=True),
            cards.cancel_button(),
        ],
    )


def manager_summary_card(
    logged: Logged, signposts: Sequence[str], *, edited: bool = False
) -> cards.Element:
    record, report = logged.record, logged.report
    verb = "Updated" if edited else "Saved"
    body = [
        cards.heading(f"{verb}: one-to-one with {report.name}"),
        cards.facts(
            [
                ("Held", format_uk(record.held_on)),
                ("Areas covered", ", ".join(AREA_TITLES[k] for k in record.areas_covered)),
                ("Wellbeing concern", "Yes" if record.wellbeing_concern else "No"),
            ]
        ),
    ]
    for key in record.areas_covered:
        body.append(cards.subheading(AREA_TITLES[key]))
        body.append(cards.text(cards.plain(record.notes[key])))
    if record.shared_notes:
        body += [cards.subheading("Shared with them"), cards.text(cards.plain(record.shared_notes))]
    if record.private_note:
        body += [
            cards.subheading("Your private note"),
            cards.text(cards.plain(record.private_note), subtle=True),
        ]
    new_actions = [a for a in record.actions if a.status == "open"]
    if new_actions:
        body += [
            cards.subheading("Agreed actions"),
            cards.text("\n".join(action_line(a, for_manager(report)) for a in new_actions)),
        ]
    if logged.carried_actions:
        body += [
            cards.subheading("Still open from earlier"),
            cards.text(
                "\n".join(action_line(a, for_manager(report)) for a in logged.carried_actions)
            ),
        ]
    if record.wellbeing_concern:
        body += [signpost_block(report, signposts)]
    return cards.card(body)


def signpost_block(report: Person, signposts: Sequence[str]) -> cards.Element:
    return cards.container(
        [
            cards.subheading("Support you can point them to"),
            cards.text(
                f"You noted a wellbeing concern for {report.first_name}. The council offers:"
            ),
            cards.text("\n".join(f"- {s}" for s in signposts)),
        ],
        style="emphasis",
    )


def history_card(
    report: Person, records: Sequence[OneToOneView], editable_ids: set[int]
) -> cards.Element:
    body = [cards.heading(f"One-to-ones with {report.name}")]
    if not records:
        body.append(cards.text(f"No one-to-ones with {report.first_name} are logged yet."))
    for record in records:
        areas = ", ".join(AREA_TITLES[k] for k in record.areas_covered) or "—"
        items: list[cards.Element] = [
            cards.subheading(format_uk(record.held_on)),
            cards.facts(
                [
                    ("Areas", areas),
                    ("Wellbeing concern", "Yes" if record.wellbeing_concern else "No"),
                ]
            ),
        ]
        if record.shared_notes:
            items.append(cards.text(cards.plain(record.shared_notes)))
        if record.actions:
            items.append(
                cards.text(
                    "\n".join(
                        action_line(a, for_manager(report)) + (" ✓" if a.status == "done" else "")
                        for a in record.actions
                    )
                )
            )
        if record.employee_comment:
            items.append(
                cards.text(
                    f"{report.first_name} commented: {cards.plain(record.employee_comment)}",
                    subtle=True,
                )
            )
        elif record.acknowledged_at:
            items.append(cards.text(f"Acknowledged by {report.first_name}.", subtle=True))
        if record.id in editable_ids:
            items.append(
                cards.action_set([cards.submit("Edit", {"form": EDIT, "record_id": record.id})])
            )
        body.append(cards.container(items, separator=True))
    return cards.card(
        body,
        [
            cards.submit(
                f"Log a one-to-one with {report.first_name}",
                {"command": "log_one_to_one", "employee_id": report.employee_id},
            )
        ],
    )


def confirm_day_card(held_on: date, reason: str) -> cards.Element:
    """ "That's a Saturday: save anyway?" before a one-to-one is dated on a non-working day."""
    return cards.card(
        [cards.text(non_working_question(held_on, reason))],
        [
            cards.submit("Save anyway", {"form": CONFIRM_DAY, "choice": "save"}, primary=True),
            cards.submit("Change the date", {"form": CONFIRM_DAY, "choice": "change"}),
        ],
    )
