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
            problems.append("The target date isn't a date I recognise.")
    draft = ObjectiveDraft(
        title=form.text(values, "title"),
        measure=form.text(values, "measure"),
        target_date=target,
        priority_id=form.record_id(values.get("priority_id")),
        plan_id=form.record_id(values.get("plan_id")),
    )
    if not draft.title:
        problems.append("Give the objective a title.")
    elif len(draft.title) > MAX_TITLE_CHARS:
        problems.append(f"Please keep the title under {MAX_TITLE_CHARS} characters.")
    if len(draft.measure) > MAX_TEXT_CHARS:
        problems.append(
            f"Please keep 'what success looks like' under {MAX_TEXT_CHARS:,} characters."
        )
    if draft.priority_id is None:
        problems.append("Choose the council priority it serves: that's the golden thread.")
    return draft, problems


def link_problems(draft: ObjectiveDraft, priority_ids: set[int], plan_ids: set[int]) -> list[str]:
    """The draft's priority must be one of ``priority_ids``; its plan, if any, one of
    ``plan_ids`` (what this person may link to today)."""
    problems = []
    if draft.priority_id not in priority_ids:
        problems.append("Choose one of the council priorities listed.")
    if draft.plan_id is not None and draft.plan_id not in plan_ids:
        problems.append("Choose one of the plans listed, or none.")
    return problems
