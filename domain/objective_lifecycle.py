"""The objective lifecycle: who may move an objective from one status to another.

Plain rules, no Bot Framework and no database.

An objective starts as a draft, proposed by the employee (owner) or their line manager, and is
agreed by the other side. Whoever changes its wording afterwards makes it their proposal again:
the party who did *not* make the last change is the one who agrees, so nobody can agree their
own words on the other's behalf. Either may start an agreed objective (a first progress update
does it too). Outcomes are agreed at review, so only the manager closes an agreed objective,
and only the manager withdraws one. Closed objectives are final. An owner changing the title,
measure or target date of an agreed objective sends it back to draft to be agreed again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_COMMENT_CHARS = 2000


class ObjectiveStatus(StrEnum):
    DRAFT = "draft"
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"
    WITHDRAWN = "withdrawn"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Actor(StrEnum):
    OWNER = "owner"  # the employee
    MANAGER = "manager"  # their current line manager


CLOSED = frozenset(
    {
        ObjectiveStatus.ACHIEVED,
        ObjectiveStatus.PARTLY_ACHIEVED,
        ObjectiveStatus.NOT_ACHIEVED,
        ObjectiveStatus.WITHDRAWN,
    }
)
OUTCOMES = CLOSED - {ObjectiveStatus.WITHDRAWN}
LIVE = frozenset({ObjectiveStatus.AGREED, ObjectiveStatus.IN_PROGRESS})

LABELS: dict[ObjectiveStatus, str] = {
    ObjectiveStatus.DRAFT: "Draft",
    ObjectiveStatus.AGREED: "Agreed",
    ObjectiveStatus.IN_PROGRESS: "In progress",
    ObjectiveStatus.ACHIEVED: "Achieved",
    ObjectiveStatus.PARTLY_ACHIEVED: "Partly achieved",
    ObjectiveStatus.NOT_ACHIEVED: "Not achieved",
    ObjectiveStatus.WITHDRAWN: "Withdrawn",
}

_BOTH = frozenset(Actor)
_MANAGER_ONLY = frozenset({Actor.MANAGER})


def _other(actor: Actor) -> Actor:
    return Actor.MANAGER if actor is Actor.OWNER else Actor.OWNER


def allowed_actors(
    current: ObjectiveStatus, target: ObjectiveStatus, *, proposed_by: Actor = Actor.OWNER
) -> frozenset[Actor]:
    """Who may move an objective from ``current`` to ``target`` (empty if nobody may)."""
    current, target, proposed_by = (
        ObjectiveStatus(current),
        ObjectiveStatus(target),
        Actor(proposed_by),
    )
    if current is ObjectiveStatus.DRAFT:
        if target is ObjectiveStatus.AGREED:
            return frozenset({_other(proposed_by)})
        if target is ObjectiveStatus.WITHDRAWN:
            return _BOTH
    if current is ObjectiveStatus.AGREED and target is ObjectiveStatus.IN_PROGRESS:
        return _BOTH
    if current in LIVE and target in CLOSED:
        return _MANAGER_ONLY
    return frozenset()


def can_transition(
    current: ObjectiveStatus,
    target: ObjectiveStatus,
    actor: Actor,
    *,
    proposed_by: Actor = Actor.OWNER,
) -> bool:
    return Actor(actor) in allowed_actors(current, target, proposed_by=proposed_by)


def transition_error(
    current: ObjectiveStatus,
    target: ObjectiveStatus,
    actor: Actor,
    *,
    proposed_by: Actor = Actor.OWNER,
) -> str | None:
    """None if ``actor`` may make the move, else a polite explanation addressed to them."""
    if can_transition(current, target, actor, proposed_by=proposed_by):
        return None
    current, target, actor = ObjectiveStatus(current), ObjectiveStatus(target), Actor(actor)
    if current in CLOSED:
        return f"This objective is already closed as {LABELS[current]}."
    if current is target:
        state = "a draft" if current is ObjectiveStatus.DRAFT else LABELS[current].lower()
        return f"This objective is already {state}."
    if target is ObjectiveStatus.DRAFT:
        return (
            "An agreed objective only goes back to draft when its title, measure or target "
            "date is changed."
        )
    if current is ObjectiveStatus.DRAFT:
        return _draft_error(target, actor)
    if current is ObjectiveStatus.IN_PROGRESS and target is ObjectiveStatus.AGREED:
        return "This objective is already agreed and in progress."
    if target is ObjectiveStatus.WITHDRAWN:
        return (
            "Only your line manager can withdraw an agreed objective. "
            "Have a word with them if it no longer makes sense."
        )
    return (
        "Outcomes are agreed with your line manager at review, so only they can close "
        f"this objective as {LABELS[target]}."
    )


def _draft_error(target: ObjectiveStatus, actor: Actor) -> str:
    if target is ObjectiveStatus.AGREED:
        if actor is Actor.OWNER:
            return "Only your line manager can agree an objective you proposed."
        return "Your team member needs to accept an objective you proposed."
    return f"This objective needs to be agreed before it can be marked {LABELS[target]}."


def after_owner_edit(current: ObjectiveStatus) -> ObjectiveStatus:
    """Status after the owner changes the title, measure or target date.

    A draft stays a draft; an agreed or started objective goes back to draft to be agreed
    again. Closed objectives cannot be edited.
    """
    current = ObjectiveStatus(current)
    if current in CLOSED:
        raise ValueError(f"This objective is already closed as {LABELS[current]}.")
    return ObjectiveStatus.DRAFT


@dataclass(frozen=True)
class AfterEdit:
    status: ObjectiveStatus
    proposed_by: Actor  # the party who made the last change; the other one agrees


def after_edit(current: ObjectiveStatus, editor: Actor) -> AfterEdit:
    """Status and proposer after ``editor`` changes the title, measure or target date.

    The change is a new proposal by whoever made it, so the *other* party agrees it: an
    employee who rewrites a manager-proposed (or agreed) objective cannot then agree it on
    the manager's behalf. Closed objectives cannot be edited (``ValueError``).
    """
    return AfterEdit(after_owner_edit(current), Actor(editor))


def status_after_progress(current: ObjectiveStatus) -> ObjectiveStatus:
    """Status after a progress update: the first one on an agreed objective starts it."""
    current = ObjectiveStatus(current)
    if current in LIVE:
        return ObjectiveStatus.IN_PROGRESS
    if current in CLOSED:
        raise ValueError(f"This objective is already closed as {LABELS[current]}.")
    raise ValueError("This objective needs to be agreed before you can record progress.")


@dataclass(frozen=True)
class ProgressUpdate:
    percent: int
    rag: Rag
    comment: str

    def __post_init__(self) -> None:
        if isinstance(self.percent, bool) or not isinstance(self.percent, int):
            raise TypeError(f"percent must be an int, got {type(self.percent).__name__}")
        if not 0 <= self.percent <= 100:
            raise ValueError(f"percent must be 0 to 100, got {self.percent}")
        object.__setattr__(self, "rag", Rag(self.rag))
        if len(self.comment) > MAX_COMMENT_CHARS:
            raise ValueError(f"comment must be at most {MAX_COMMENT_CHARS} characters")


_PERCENT = re.compile(r"^\s*(\d{1,3})\s*%?\s*$", re.ASCII)


def _parse_percent(value: object) -> tuple[int | None, str | None]:
    problem = "Progress should be a whole number from 0 to 100."
    if isinstance(value, bool):
        return None, problem
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and (match := _PERCENT.match(value)):
        number = int(match.group(1))
    else:
        return None, problem
    if not 0 <= number <= 100:
        return None, problem
    return number, None


def _parse_rag(value: object) -> tuple[Rag | None, str | None]:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {rag.value for rag in Rag}:
            return Rag(text), None
    return None, "Please choose a RAG rating: green, amber or red."


def _parse_comment(value: object) -> tuple[str | None, str | None]:
    if value is None:
        return "", None
    if not isinstance(value, str):
        return None, "The comment should be plain text."
    text = value.strip()
    if len(text) > MAX_COMMENT_CHARS:
        return None, (
            f"Please keep the comment to {MAX_COMMENT_CHARS:,} characters or fewer "
            f"(it is {len(text):,})."
        )
    return text, None


def check_progress(
    percent: object, rag: object, comment: object
) -> tuple[ProgressUpdate | None, list[str]]:
    """Parse a progress card's values; the update, or None and the problems to show."""
    number, percent_error = _parse_percent(percent)
    rating, rag_error = _parse_rag(rag)
    text, comment_error = _parse_comment(comment)
    errors = [e for e in (percent_error, rag_error, comment_error) if e is not None]
    if errors or number is None or rating is None or text is None:
        return None, errors
    return ProgressUpdate(percent=number, rag=rating, comment=text), []
