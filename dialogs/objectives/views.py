"""Cards for objectives and APRs: the objective form, SMART check, lists, Agree/Discuss,
progress, APR preparation and recording."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from dialogs import cards
from domain.apr_cycle import AprState, AprStatus, long_date
from domain.date_words import format_short, format_uk
from domain.form_tokens import stamped
from domain.objective_lifecycle import LABELS, ObjectiveStatus
from domain.people import Person
from domain.records import Choice, ObjectiveView
from domain.smart_check import SmartFinding

OBJECTIVE = "objective"
AGREE = "objective_agree"
DISCUSS = "objective_discuss"
PROGRESS = "objective_progress"
SHOW_PROGRESS = "objective_progress_card"
EDIT = "objective_edit"
APR_PREPARE = "apr_prepare"
APR_RECORD = "apr_record"
APR_ACK = "apr_ack"
APR_COMMENT = "apr_comment"

OBJECTIVE_FIELDS = ("title", "measure", "target_date", "priority_id", "plan_id")
RAG_CHOICES = [("Green: on track", "green"), ("Amber: at risk", "amber"), ("Red: off track", "red")]
OUTCOMES = [
    ("Achieved", "achieved"),
    ("Partly achieved", "partly_achieved"),
    ("Not achieved", "not_achieved"),
    ("Continuing into next year", "continuing"),
]
THEMES = ("Drive", "Think", "Feel", "Connect", "Inspire")
NEXT_OBJECTIVE_ROWS = 2


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
    typed = {k: v for k, v in (values or {}).items() if isinstance(v, str)}
    if objective is not None and not typed:
        typed = {
            "title": objective.title,
            "measure": objective.measure,
            "target_date": objective.target_date.isoformat() if objective.target_date else "",
            "priority_id": str(objective.priority_id or ""),
            "plan_id": str(objective.plan_id or ""),
        }
    heading = {
        "add": "Add an objective",
        "propose": f"Propose an objective for {owner.first_name if owner else 'them'}",
        "edit": "Change your objective",
    }[mode]
    body: list[cards.Element] = [cards.heading(heading), *_problems(problems)]
    if mode == "edit" and objective is not None and objective.status != "draft":
        body.append(
            cards.text("Changing the wording means your manager agrees it again.", subtle=True)
        )
    body += [
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
    data: dict[str, object] = {"form": OBJECTIVE, "mode": mode}
    if owner is not None and mode == "propose":
        data["employee_id"] = owner.employee_id
    if objective is not None:
        data["objective_id"] = objective.id
    return cards.card(
        body,
        [
            cards.submit("Save", stamped(data, values), primary=True),
            cards.command_button("Cancel", "cancel"),
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
    return cards.card(
        [
            cards.heading("Update progress"),
            cards.subheading(cards.plain(objective.title)),
            *_problems(problems),
            cards.input_text(
                "percent", "How far through are you? (0 to 100 %)", str(objective.percent_complete)
            ),
            cards.choice_set("rag", "Status", RAG_CHOICES, objective.rag or "green", required=True),
            cards.input_text(
                "comment", "What's happened since last time?", multiline=True, max_length=2000
            ),
        ],
        [
            cards.submit(
                "Save progress",
                stamped({"form": PROGRESS, "objective_id": objective.id}),
                primary=True,
            )
        ],
    )


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
            f"Your APR{cycle} is overdue by {status.days_overdue} days: agree a date with "
            "your manager."
        )
    if status.state is AprState.DUE_SOON:
        return f"Your APR{cycle} is coming up: {reason}."
    return status.reason + "."


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
        *_problems(problems),
    ]
    if objectives:
        body.append(cards.subheading("Your objectives"))
    for objective in objectives:
        body.append(
            cards.input_text(
                f"achievement_{objective.id}",
                f"{objective.title}: what did you achieve?",
                str(achievements.get(str(objective.id), "")),
                multiline=True,
                max_length=2000,
            )
        )
    body += [
        cards.input_text(
            "obstacles",
            "What got in the way?",
            str(saved.get("obstacles", "")),
            multiline=True,
            max_length=2000,
        ),
        cards.input_text(
            "development_wishes",
            "What would you like to develop next?",
            str(saved.get("development_wishes", "")),
            multiline=True,
            max_length=2000,
        ),
        cards.input_text(
            "support_wanted",
            "What support do you want from your manager?",
            str(saved.get("support_wanted", "")),
            multiline=True,
            max_length=2000,
        ),
    ]
    return cards.card(
        body,
        [
            cards.submit(
                "Share with my manager", stamped({"form": APR_PREPARE}, saved), primary=True
            )
        ],
    )


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
    body: list[cards.Element] = [
        cards.heading(f"Record {report.first_name}'s APR"),
        *_problems(problems),
    ]
    if preparation is not None:
        prep_lines = []
        if preparation.obstacles:
            prep_lines.append(f"**Got in the way:** {cards.plain(preparation.obstacles)}")
        if preparation.development_wishes:
            prep_lines.append(
                f"**Wants to develop:** {cards.plain(preparation.development_wishes)}"
            )
        if preparation.support_wanted:
            prep_lines.append(f"**Support wanted:** {cards.plain(preparation.support_wanted)}")
        body.append(
            cards.container(
                [cards.subheading(f"{report.first_name}'s preparation")]
                + [cards.text(line) for line in prep_lines],
                style="emphasis",
            )
        )
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
    for objective in objectives:
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
        body.append(cards.container(items, separator=True))
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
        theme_choice = cards.choice_set(
            "leadership_themes",
            "Leadership behaviours to develop",
            [(t, t) for t in THEMES],
            typed.get("leadership_themes", ""),
        )
        theme_choice["isMultiSelect"] = True
        theme_choice["style"] = "expanded"
        body += [
            theme_choice,
            cards.input_text(
                "development_needs",
                "Leadership development needs",
                typed.get("development_needs", ""),
                multiline=True,
                max_length=2000,
            ),
        ]
    body.append(
        cards.input_text(
            "learning_needs",
            "Learning needs",
            typed.get("learning_needs", ""),
            multiline=True,
            max_length=2000,
        )
    )
    body.append(cards.subheading("Next year's objectives (agreed now)"))
    for i in range(1, NEXT_OBJECTIVE_ROWS + 1):
        body += [
            cards.input_text(
                f"next_{i}_title",
                f"Objective {i}",
                typed.get(f"next_{i}_title", ""),
                max_length=300,
            ),
            cards.columns(
                (
                    [
                        cards.input_text(
                            f"next_{i}_measure",
                            "Success looks like",
                            typed.get(f"next_{i}_measure", ""),
                        )
                    ],
                    "stretch",
                ),
                (
                    [
                        cards.input_date(
                            f"next_{i}_target_date",
                            "Target date",
                            typed.get(f"next_{i}_target_date", ""),
                            min=today.isoformat(),
                        )
                    ],
                    "auto",
                ),
            ),
            cards.choice_set(
                f"next_{i}_priority_id",
                "Council priority",
                [(p.title, str(p.id)) for p in priorities],
                typed.get(f"next_{i}_priority_id", ""),
            ),
        ]
    return cards.card(
        body,
        [
            cards.submit(
                "Save APR",
                stamped({"form": APR_RECORD, "employee_id": report.employee_id}, values),
                primary=True,
            ),
            cards.command_button("Cancel", "cancel"),
        ],
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
    manager: Person, apr: Any, titles: Mapping[int, str], new: Sequence[ObjectiveView]
) -> cards.Element:
    """For the employee: the record, and a request to acknowledge or comment."""
    intro = (
        f"{manager.name} recorded your Annual Performance Review. Please acknowledge it, "
        "and add a comment if you wish."
    )
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
            cards.submit("Acknowledge", {"form": APR_ACK, "apr_id": apr.id}, primary=True),
            cards.submit("Send comment", {"form": APR_COMMENT, "apr_id": apr.id}),
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
