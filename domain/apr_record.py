"""What an APR card says, read and checked before anything is saved.

Plain rules, no Bot Framework and no database. The line manager records the review: the date
it was held, an outcome for each live objective, overall comments, leadership themes (for
managers only), development and learning needs, and up to ``NEXT_ROWS`` objectives for the
coming year. The employee prepares beforehand: what they achieved against each objective and
what they would like to talk about.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain import form_values as form
from domain.objective_drafts import MAX_TEXT_CHARS, MAX_TITLE_CHARS, FieldProblem, ObjectiveDraft
from domain.objective_lifecycle import LIVE
from domain.people import Person
from domain.records import ObjectiveView

MAX_TEXT = 4000
MAX_ANSWER_CHARS = 2000
CONTINUING = "continuing"
OUTCOMES = ("achieved", "partly_achieved", "not_achieved", CONTINUING)
THEMES = ("Drive", "Think", "Feel", "Connect", "Inspire")
# Objectives an APR reviews: agreed or in progress (drafts and closed ones are not).
REVIEWABLE = tuple(sorted(status.value for status in LIVE))
NEXT_ROWS = 2
TEXT_FIELDS = ("overall_comments", "development_needs", "learning_needs")
PREPARATION_FIELDS = ("obstacles", "development_wishes", "support_wanted")


@dataclass(frozen=True)
class AprDraft:
    held_on: date | None
    reviews: dict[int, tuple[str, str]]  # objective id -> (outcome, comment)
    overall_comments: str
    leadership_themes: tuple[str, ...]
    development_needs: str
    learning_needs: str
    next_objectives: tuple[ObjectiveDraft, ...]

    def closing(self) -> Iterator[tuple[int, str, str]]:
        """(objective id, outcome, comment) for each objective the APR closes: every
        reviewed one except those carrying on."""
        for objective_id, (outcome, comment) in self.reviews.items():
            if outcome != CONTINUING:
                yield objective_id, outcome, comment


def reviewable(objectives: Sequence[ObjectiveView]) -> list[ObjectiveView]:
    """The objectives an APR reviews, in the order given."""
    return [o for o in objectives if o.status in REVIEWABLE]


def held_on_problem(held_on: date | None, report: Person, today: date) -> str | None:
    if held_on is None:
        return FieldProblem("Please give the date the APR was held.", "held_on")
    if held_on > today:
        return FieldProblem("The date can't be in the future.", "held_on")
    if held_on < report.start_date:
        return FieldProblem(
            f"{report.first_name} started on {report.start_date:%-d %B %Y}.", "held_on"
        )
    return None


def _reviews(
    values: Mapping[str, object], objectives: Sequence[ObjectiveView], problems: list[str]
) -> dict[int, tuple[str, str]]:
    reviews: dict[int, tuple[str, str]] = {}
    for objective in objectives:
        outcome = form.text(values, f"outcome_{objective.id}")
        if outcome not in OUTCOMES:
            problems.append(
                FieldProblem(
                    f"Choose an outcome for \u201c{objective.title}\u201d.",
                    f"outcome_{objective.id}",
                )
            )
            continue
        comment = form.text(values, f"review_{objective.id}")[:MAX_ANSWER_CHARS]
        reviews[objective.id] = (outcome, comment)
    return reviews


def _themes(values: Mapping[str, object], report: Person) -> tuple[str, ...]:
    """The leadership themes ticked; only managers are reviewed against them."""
    if not report.is_manager:
        return ()
    raw = form.text(values, "leadership_themes")
    return tuple(t for t in (p.strip() for p in raw.split(",")) if t in THEMES)


def _next_objectives(
    values: Mapping[str, object], problems: list[str]
) -> tuple[ObjectiveDraft, ...]:
    """Next year's objectives, agreed at the APR: rows with a title and a priority."""
    found = []
    for i in range(1, NEXT_ROWS + 1):
        title = form.text(values, f"next_{i}_title")
        if not title:
            continue
        priority = form.record_id(form.text(values, f"next_{i}_priority_id"))
        if priority is None:
            problems.append(
                FieldProblem(
                    f"Choose the council priority for next year's objective {i}.",
                    f"next_{i}_priority_id",
                )
            )
            continue
        found.append(
            ObjectiveDraft(
                title=title[:MAX_TITLE_CHARS],
                measure=form.text(values, f"next_{i}_measure")[:MAX_TEXT_CHARS],
                target_date=form.iso_date(values, f"next_{i}_target_date"),
                priority_id=priority,
                plan_id=None,
            )
        )
    return tuple(found)


def apr_from_form(
    values: Mapping[str, object],
    reviewable: Sequence[ObjectiveView],
    *,
    report: Person,
    today: date,
) -> tuple[AprDraft, list[str]]:
    """The APR a card describes, and the problems to show (empty when it can be saved)."""
    problems: list[str] = []
    held_on = form.iso_date(values, "held_on")
    if (problem := held_on_problem(held_on, report, today)) is not None:
        problems.append(problem)
    reviews = _reviews(values, reviewable, problems)
    texts = {key: form.text(values, key) for key in TEXT_FIELDS}
    for key, value in texts.items():
        if len(value) > MAX_TEXT:
            problems.append(
                FieldProblem(
                    f"Please keep {key.replace('_', ' ')} under {MAX_TEXT:,} characters.", key
                )
            )
    if not texts["overall_comments"] and not reviews:
        problems.append(
            FieldProblem(
                "Add overall comments, so the APR says how the year went.", "overall_comments"
            )
        )
    next_objectives = _next_objectives(values, problems)
    draft = AprDraft(
        held_on=held_on,
        reviews=reviews,
        overall_comments=texts["overall_comments"],
        leadership_themes=_themes(values, report),
        development_needs=texts["development_needs"],
        learning_needs=texts["learning_needs"],
        next_objectives=next_objectives,
    )
    return draft, problems


def priority_problems(draft: AprDraft, priority_ids: set[int]) -> list[str]:
    """One problem per next-year objective whose priority is not one of ``priority_ids``."""
    return [
        "Choose one of the council priorities listed."
        for objective in draft.next_objectives
        if objective.priority_id not in priority_ids
    ]


@dataclass(frozen=True)
class PreparationDraft:
    achievements: dict[str, str]  # objective id (as text) -> what the employee achieved
    obstacles: str
    development_wishes: str
    support_wanted: str


def preparation_from_form(
    values: Mapping[str, object], objectives: Sequence[ObjectiveView]
) -> tuple[PreparationDraft, list[str]]:
    """The employee's preparation for their APR, and the problems to show."""
    achievements = {
        str(o.id): form.text(values, f"achievement_{o.id}")[:MAX_ANSWER_CHARS]
        for o in objectives
        if form.text(values, f"achievement_{o.id}")
    }
    fields = {key: form.text(values, key) for key in PREPARATION_FIELDS}
    draft = PreparationDraft(achievements, **fields)
    if not achievements and not any(fields.values()):
        return draft, ["Write something before sharing it with your manager."]
    too_long = [key for key, v in fields.items() if len(v) > MAX_ANSWER_CHARS]
    if too_long:
        message = f"Please keep each answer under {MAX_ANSWER_CHARS:,} characters."
        return draft, [FieldProblem(message, key) for key in too_long]
    return draft, []
