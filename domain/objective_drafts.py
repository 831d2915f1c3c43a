"""What an objective card says, read and checked before anything is saved.

Plain rules, no Bot Framework and no database: the service checks the links against the
council's current priorities and plans, and saves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain import form_values as form

MAX_TITLE_CHARS = 300
MAX_TEXT_CHARS = 2000


class FieldProblem(str):
    """A problem's message that knows which input it is about, so a form can show it beside
    that input. It is a ``str`` (the message), so lists of problems stay lists of text."""

    field: str | None

    def __new__(cls, message: str, field: str | None = None) -> FieldProblem:
        made = super().__new__(cls, message)
        made.field = field
        return made


@dataclass(frozen=True)
class ObjectiveDraft:
    title: str
    measure: str
    target_date: date | None
    priority_id: int | None
    plan_id: int | None


def objective_from_form(values: Mapping[str, object]) -> tuple[ObjectiveDraft, list[str]]:
    """The draft a card describes, and the problems to show (empty when it can be saved)."""
    problems: list[str] = []
    raw_date = form.text(values, "target_date")
    target: date | None = None
    if raw_date:
        try:
            target = date.fromisoformat(raw_date[:10])
        except ValueError:
            problems.append(
                FieldProblem("The target date isn't a date I recognise.", "target_date")
            )
    draft = ObjectiveDraft(
        title=form.text(values, "title"),
        measure=form.text(values, "measure"),
        target_date=target,
        priority_id=form.record_id(values.get("priority_id")),
        plan_id=form.record_id(values.get("plan_id")),
    )
    if not draft.title:
        problems.append(FieldProblem("Give the objective a title.", "title"))
    elif len(draft.title) > MAX_TITLE_CHARS:
        problems.append(
            FieldProblem(f"Please keep the title under {MAX_TITLE_CHARS} characters.", "title")
        )
    if len(draft.measure) > MAX_TEXT_CHARS:
        problems.append(
            FieldProblem(
                f"Please keep 'what success looks like' under {MAX_TEXT_CHARS:,} characters.",
                "measure",
            )
        )
    if draft.priority_id is None:
        problems.append(
            FieldProblem(
                "Choose the council priority it serves: that's the golden thread.", "priority_id"
            )
        )
    return draft, problems


def link_problems(draft: ObjectiveDraft, priority_ids: set[int], plan_ids: set[int]) -> list[str]:
    """The draft's priority must be one of ``priority_ids``; its plan, if any, one of
    ``plan_ids`` (what this person may link to today)."""
    problems: list[str] = []
    if draft.priority_id not in priority_ids:
        problems.append(FieldProblem("Choose one of the council priorities listed.", "priority_id"))
    if draft.plan_id is not None and draft.plan_id not in plan_ids:
        problems.append(FieldProblem("Choose one of the plans listed, or none.", "plan_id"))
    return problems
