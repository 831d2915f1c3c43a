from __future__ import annotations

import itertools

import pytest

from domain.objective_lifecycle import (
    CLOSED,
    LABELS,
    MAX_COMMENT_CHARS,
    Actor,
    ObjectiveStatus,
    ProgressUpdate,
    Rag,
    after_edit,
    after_owner_edit,
    can_transition,
    check_progress,
    status_after_progress,
    transition_error,
)

S = ObjectiveStatus
OWNER, MANAGER = Actor.OWNER, Actor.MANAGER

# Every allowed move as (current, target, actor, proposed_by); everything else is refused.
ALLOWED = {
    (S.DRAFT, S.AGREED, MANAGER, OWNER),
    (S.DRAFT, S.AGREED, OWNER, MANAGER),
    *{(S.DRAFT, S.WITHDRAWN, actor, by) for actor in Actor for by in Actor},
    *{(S.AGREED, S.IN_PROGRESS, actor, by) for actor in Actor for by in Actor},
    *{
        (current, target, MANAGER, by)
        for current in (S.AGREED, S.IN_PROGRESS)
        for target in (S.ACHIEVED, S.PARTLY_ACHIEVED, S.NOT_ACHIEVED, S.WITHDRAWN)
        for by in Actor
    },
}

ALL_MOVES = list(itertools.product(S, S, Actor, Actor))


def test_the_table_covers_every_combination() -> None:
    assert len(ALL_MOVES) == 7 * 7 * 2 * 2
    assert len(ALLOWED) == 2 + 4 + 4 + 16


@pytest.mark.parametrize(("current", "target", "actor", "proposed_by"), ALL_MOVES)
def test_transition_rules(
    current: ObjectiveStatus, target: ObjectiveStatus, actor: Actor, proposed_by: Actor
) -> None:
    allowed = (current, target, actor, proposed_by) in ALLOWED
    assert can_transition(current, target, actor, proposed_by=proposed_by) is allowed
    error = transition_error(current, target, actor, proposed_by=proposed_by)
    if allowed:
        assert error is None
    else:
        assert isinstance(error, str)
        assert error.endswith(".")


def test_proposed_by_defaults_to_the_owner() -> None:
    assert can_transition(S.DRAFT, S.AGREED, MANAGER)
    assert not can_transition(S.DRAFT, S.AGREED, OWNER)


def test_statuses_may_be_given_as_text() -> None:
    assert can_transition("draft", "agreed", "manager")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("current", "target", "actor", "proposed_by", "message"),
    [
        (
            S.DRAFT,
            S.AGREED,
            OWNER,
            OWNER,
            "Only your line manager can agree an objective you proposed.",
        ),
        (
            S.DRAFT,
            S.AGREED,
            MANAGER,
            MANAGER,
            "Your team member needs to accept an objective you proposed.",
        ),
        (
            S.ACHIEVED,
            S.IN_PROGRESS,
            MANAGER,
            OWNER,
            "This objective is already closed as Achieved.",
        ),
        (
            S.PARTLY_ACHIEVED,
            S.PARTLY_ACHIEVED,
            MANAGER,
            OWNER,
            "This objective is already closed as Partly achieved.",
        ),
        (S.IN_PROGRESS, S.IN_PROGRESS, OWNER, OWNER, "This objective is already in progress."),
        (
            S.IN_PROGRESS,
            S.ACHIEVED,
            OWNER,
            OWNER,
            "Outcomes are agreed with your line manager at review, so only they can close "
            "this objective as Achieved.",
        ),
        (
            S.DRAFT,
            S.IN_PROGRESS,
            OWNER,
            OWNER,
            "This objective needs to be agreed before it can be marked In progress.",
        ),
    ],
)
def test_error_messages(
    current: ObjectiveStatus,
    target: ObjectiveStatus,
    actor: Actor,
    proposed_by: Actor,
    message: str,
) -> None:
    assert transition_error(current, target, actor, proposed_by=proposed_by) == message


def test_owner_withdrawing_an_agreed_objective_is_pointed_to_their_manager() -> None:
    error = transition_error(S.AGREED, S.WITHDRAWN, OWNER)
    assert error is not None
    assert error.startswith("Only your line manager can withdraw")


def test_labels_cover_every_status() -> None:
    assert set(LABELS) == set(S)
    assert LABELS[S.PARTLY_ACHIEVED] == "Partly achieved"
    assert {S.ACHIEVED, S.PARTLY_ACHIEVED, S.NOT_ACHIEVED, S.WITHDRAWN} == CLOSED


@pytest.mark.parametrize(
    ("current", "expected"),
    [(S.DRAFT, S.DRAFT), (S.AGREED, S.DRAFT), (S.IN_PROGRESS, S.DRAFT)],
)
def test_after_owner_edit(current: ObjectiveStatus, expected: ObjectiveStatus) -> None:
    assert after_owner_edit(current) is expected


@pytest.mark.parametrize(
    ("current", "proposed_by", "editor"),
    list(itertools.product([S.DRAFT, S.AGREED, S.IN_PROGRESS], Actor, Actor)),
)
def test_the_party_who_did_not_make_the_last_change_agrees(
    current: ObjectiveStatus, proposed_by: Actor, editor: Actor
) -> None:
    """The attack: an employee edits a manager-proposed (or agreed) objective, then presses
    Agree. After any edit only the other party may agree it, whoever proposed it first."""
    edited = after_edit(current, editor)
    other = MANAGER if editor is OWNER else OWNER
    assert (edited.status, edited.proposed_by) == (S.DRAFT, editor)
    assert not can_transition(edited.status, S.AGREED, editor, proposed_by=edited.proposed_by)
    assert can_transition(edited.status, S.AGREED, other, proposed_by=edited.proposed_by)


@pytest.mark.parametrize("current", sorted(CLOSED))
def test_closed_objectives_cannot_be_edited(current: ObjectiveStatus) -> None:
    with pytest.raises(ValueError, match="already closed"):
        after_owner_edit(current)


def test_first_progress_update_starts_an_agreed_objective() -> None:
    assert status_after_progress(S.AGREED) is S.IN_PROGRESS
    assert status_after_progress(S.IN_PROGRESS) is S.IN_PROGRESS
    with pytest.raises(ValueError, match="agreed"):
        status_after_progress(S.DRAFT)
    with pytest.raises(ValueError, match="already closed"):
        status_after_progress(S.ACHIEVED)


# --- progress updates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "rag", "comment", "expected"),
    [
        ("40", "amber", "Waiting on IT", ProgressUpdate(40, Rag.AMBER, "Waiting on IT")),
        (" 100% ", " GREEN ", "  Done  ", ProgressUpdate(100, Rag.GREEN, "Done")),
        (0, Rag.RED, None, ProgressUpdate(0, Rag.RED, "")),
        (55.0, "red", "", ProgressUpdate(55, Rag.RED, "")),
    ],
)
def test_check_progress_accepts_card_values(
    percent: object, rag: object, comment: object, expected: ProgressUpdate
) -> None:
    assert check_progress(percent, rag, comment) == (expected, [])


@pytest.mark.parametrize(
    "percent", ["101", "-1", "abc", "", None, True, 12.5, [50], {"v": 1}, "1e2", "٣", 101]
)
def test_bad_percent(percent: object) -> None:
    update, errors = check_progress(percent, "green", "")
    assert update is None
    assert errors == ["Progress should be a whole number from 0 to 100."]


@pytest.mark.parametrize("rag", ["purple", "", None, 1, ["green"], "g"])
def test_bad_rag(rag: object) -> None:
    update, errors = check_progress("50", rag, "")
    assert update is None
    assert errors == ["Please choose a RAG rating: green, amber or red."]


def test_bad_comment() -> None:
    assert check_progress("50", "green", 42) == (None, ["The comment should be plain text."])
    update, errors = check_progress("50", "green", "x" * (MAX_COMMENT_CHARS + 1))
    assert update is None
    assert errors == ["Please keep the comment to 2,000 characters or fewer (it is 2,001)."]
    ok, _ = check_progress("50", "green", "x" * MAX_COMMENT_CHARS)
    assert ok is not None


def test_all_problems_are_reported_together() -> None:
    update, errors = check_progress("lots", "blue", object())
    assert update is None
    assert len(errors) == 3


def test_progress_update_validates_itself() -> None:
    with pytest.raises(ValueError):
        ProgressUpdate(101, Rag.GREEN, "")
    with pytest.raises(ValueError):
        ProgressUpdate(50, "blue", "")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ProgressUpdate(True, Rag.GREEN, "")
