"""Cards for objectives and APRs: the objective form, SMART check, lists, Agree/Discuss,
progress, APR preparation and recording."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from dialogs import cards
from domain.date_words import format_short
from domain.form_tokens import stamped
from domain.objective_lifecycle import LABELS, ObjectiveStatus
from domain.people import Person
from domain.records import Choice, ObjectiveView
from domain.smart_check import SmartFinding

OBJECTIVE = "objective"
AGREE = "objective_agree"
# The digest's "Agree objective": shows the objective (measure, date) before it's agreed.
REVIEW = "objective_review"
DISCUSS = "objective_discuss"
PROGRESS = "objective_progress"
SHOW_PROGRESS = "objective_progress_card"
EDIT = "objective_edit"

OBJECTIVE_FIELDS = ("title", "measure", "target_date", "priority_id", "plan_id")
RAG_CHOICES = [("Green: on track", "green"), ("Amber: at risk", "amber"), ("Red: off track", "red")]


def status_label(objective: ObjectiveView, *, viewer_is_owner: bool = True) -> str:
    """The status as the reader sees it: who a draft is waiting for, from their side."""
    label = LABELS[ObjectiveStatus(objective.status)]
    if objective.status == "draft":
        owner_proposed = objective.proposed_by == "owner"
        if viewer_is_owner:
            waiting = "your manager to agree" if owner_proposed else "you to accept"
        else:
            waiting = "you to agree" if owner_proposed else "them to accept"
        label += f" (waiting for {waiting})"
    return label


def _typed_objective(
    objective: ObjectiveView | None, values: Mapping[str, object] | None
) -> dict[str, str]:
    """What the form shows: what was typed, else the objective being edited."""
    typed = {k: v for k, v in (values or {}).items() if isinstance(v, str)}
    if objective is not None and not typed:
        typed = {
            "title": objective.title,
            "measure": objective.measure,
            "target_date": objective.target_date.isoformat() if objective.target_date else "",
            "priority_id": str(objective.priority_id or ""),
            "plan_id": str(objective.plan_id or ""),
        }
    return typed


def _objective_inputs(
    typed: Mapping[str, str], priorities: Sequence[Choice], plans: Sequence[Choice], today: date
) -> list[cards.Element]:
    return [
        cards.input_text(
            "title",
            "Objective",
            typed.get("title", ""),
            max_length=300,
            placeholder="e.g. Run six digital skills sessions for older residents",
        ),
        cards.input_text(
            "measure",
            "What success looks like",
            typed.get("measure", ""),
            multiline=True,
            max_length=2000,
            placeholder="How you'll know it's done: a number, a date, a deliverable",
        ),
        cards.input_date(
            "target_date", "Target date", typed.get("target_date", ""), min=today.isoformat()
        ),
        cards.choice_set(
            "priority_id",
            "Council priority it serves",
            [(p.title, str(p.id)) for p in priorities],
            typed.get("priority_id", ""),
            required=True,
        ),
        cards.choice_set(
            "plan_id",
            "Team or service plan it supports (optional)",
            [("None", "")] + [(p.title, str(p.id)) for p in plans],
            typed.get("plan_id", ""),
        ),
    ]


def _objective_heading(mode: str, owner: Person | None) -> str:
    return {
        "add": "Add an objective",
        "propose": f"Propose an objective for {owner.first_name if owner else 'them'}",
        "edit": "Change your objective",
    }[mode]


def objective_form(
    *,
    priorities: Sequence[Choice],
    plans: Sequence[Choice],
    today: date,
    mode: str = "add",
    owner: Person | None = None,
    objective: ObjectiveView | None = None,
    values: Mapping[str, object] | None = None,
    problems: Sequence[str] = (),
) -> cards.Element:
    """``mode``: "add" (for yourself), "propose" (manager for ``owner``), "edit" (``objective``)."""
    typed = _typed_objective(objective, values)
    body: list[cards.Element] = [cards.heading(_objective_heading(mode, owner))]
    if mode == "edit" and objective is not None and objective.status != "draft":
        body.append(
            cards.text("Changing the wording means your manager agrees it again.", subtle=True)
        )
    body += _objective_inputs(typed, priorities, plans, today)
    # Back with problems: each beside its field, what was typed kept, a summary on top.
    cards.place_problems(body, problems)
    data: dict[str, object] = {"form": OBJECTIVE, "mode": mode}
    if owner is not None and mode == "propose":
        data["employee_id"] = owner.employee_id
    if objective is not None:
        data["objective_id"] = objective.id
    return cards.card(
        body,
        [
            cards.submit("Save", stamped(data, values), primary=True),
            cards.cancel_button(),
        ],
    )


def smart_card(findings: Sequence[SmartFinding], values: Mapping[str, object]) -> cards.Element:
    """The gentle SMART check: what's missing, then save anyway or fix it."""
    kept = {
        k: v
        for k, v in values.items()
        if k in (*OBJECTIVE_FIELDS, "mode", "employee_id", "objective_id")
    }
    # Still the same form: pressing Save anyway on two copies of this card saves once.
    kept = stamped(kept, values)
    return cards.card(
        [
            cards.subheading("Before you save: a quick SMART check"),
            cards.text("\n".join(f"- {f.message}" for f in findings)),
            cards.text("You can save it as it is and sharpen it later.", subtle=True),
        ],
        [
            cards.submit("Fix it", {**kept, "form": OBJECTIVE, "fix": "true"}, primary=True),
            cards.submit("Save anyway", {**kept, "form": OBJECTIVE, "smart_ok": "true"}),
        ],
    )


def objective_facts(objective: ObjectiveView, *, viewer_is_owner: bool = True) -> cards.Element:
    pairs = [("Status", status_label(objective, viewer_is_owner=viewer_is_owner))]
    if objective.measure:
        pairs.append(("Success looks like", cards.plain(objective.measure)))
    pairs.append(
        ("Target date", format_short(objective.target_date) if objective.target_date else "—")
    )
    pairs.append(("Council priority", objective.priority_title or "—"))
    if objective.plan_title:
        pairs.append(("Supports", objective.plan_title))
    if objective.status in ("agreed", "in_progress"):
        rag = f", {objective.rag.upper()}" if objective.rag else ""
        pairs.append(("Progress", f"{objective.percent_complete}%{rag}"))
    return cards.facts(pairs)


def saved_card(objective: ObjectiveView, note: str, *, by_owner: bool = True) -> cards.Element:
    return cards.card(
        [
            cards.heading(f"Saved: {cards.plain(objective.title)}"),
            objective_facts(objective, viewer_is_owner=by_owner),
            cards.text(note, subtle=True),
        ]
    )


def agree_request_card(objective: ObjectiveView, who: Person, *, proposal: bool) -> cards.Element:
    """To the other party: Agree (or Accept) / Discuss."""
    verb = "proposed an objective for you" if proposal else "added an objective"
    return cards.card(
        [
            cards.text(f"**{who.name}** {verb}:"),
            cards.subheading(cards.plain(objective.title)),
            objective_facts(objective, viewer_is_owner=proposal),
            cards.input_text(
                "comment",
                "Anything to discuss? (sent with Discuss)",
                multiline=True,
                max_length=2000,
            ),
        ],
        [
            cards.submit(
                "Accept" if proposal else "Agree",
                {"form": AGREE, "objective_id": objective.id},
                primary=True,
            ),
            cards.submit("Discuss", stamped({"form": DISCUSS, "objective_id": objective.id})),
        ],
    )


def review_to_agree_card(
    objective: ObjectiveView, owner: Person, *, by_owner: bool
) -> cards.Element:
    """The confirm step before agreeing from a reminder: what is being agreed, then Agree."""
    whose = "your objective" if by_owner else f"{owner.first_name}'s objective"
    return cards.card(
        [
            cards.text(f"Agree {whose}?"),
            cards.subheading(cards.plain(objective.title)),
            objective_facts(objective, viewer_is_owner=by_owner),
            cards.input_text(
                "comment",
                "Anything to discuss? (sent with Discuss)",
                multiline=True,
                max_length=2000,
            ),
        ],
        [
            cards.submit("Agree", {"form": AGREE, "objective_id": objective.id}, primary=True),
            cards.submit("Discuss", stamped({"form": DISCUSS, "objective_id": objective.id})),
        ],
    )


def objectives_card(
    title: str,
    objectives: Sequence[ObjectiveView],
    *,
    viewer_is_owner: bool,
    owner: Person | None = None,
    empty: str = "No objectives yet.",
) -> cards.Element:
    body: list[cards.Element] = [cards.heading(title)]
    if not objectives:
        body.append(cards.text(empty))
    for objective in objectives:
        buttons = []
        if objective.status in ("agreed", "in_progress"):
            buttons.append(
                cards.submit(
                    "Update progress", {"form": SHOW_PROGRESS, "objective_id": objective.id}
                )
            )
        waiting_for_me = objective.status == "draft" and (
            (objective.proposed_by == "manager") == viewer_is_owner
        )
        if waiting_for_me:
            buttons.append(
                cards.submit(
                    "Accept" if viewer_is_owner else "Agree",
                    {"form": AGREE, "objective_id": objective.id},
                )
            )
        if viewer_is_owner and objective.status not in (
            "achieved",
            "partly_achieved",
            "not_achieved",
            "withdrawn",
        ):
            buttons.append(cards.submit("Change", {"form": EDIT, "objective_id": objective.id}))
        items: list[cards.Element] = [
            cards.subheading(cards.plain(objective.title)),
            objective_facts(objective, viewer_is_owner=viewer_is_owner),
        ]
        if buttons:
            items.append(cards.action_set(buttons))
        body.append(cards.container(items, separator=True))
    actions = [cards.command_button("Add an objective", "add_objective")] if viewer_is_owner else []
    if owner is not None and not viewer_is_owner:
        actions = [
            cards.submit(
                f"Propose an objective for {owner.first_name}",
                {"command": "propose_objective", "employee_id": owner.employee_id},
            )
        ]
    return cards.card(body, actions)


def progress_card(objective: ObjectiveView, problems: Sequence[str] = ()) -> cards.Element:
    body = [
        cards.heading("Update progress"),
        cards.subheading(cards.plain(objective.title)),
        cards.input_text(
            "percent", "How far through are you? (0 to 100 %)", str(objective.percent_complete)
        ),
        cards.choice_set("rag", "Status", RAG_CHOICES, objective.rag or "green", required=True),
        cards.input_text(
            "comment", "What's happened since last time?", multiline=True, max_length=2000
        ),
    ]
    cards.place_problems(body, problems, at=2)
    return cards.card(
        body,
        [
            cards.submit(
                "Save progress",
                stamped({"form": PROGRESS, "objective_id": objective.id}),
                primary=True,
            )
        ],
    )
