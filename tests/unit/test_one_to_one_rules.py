"""What a valid one-to-one is, read from a submitted card: pure, no database, fixed day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.one_to_ones import (
    AREAS,
    MAX_ACTION_CHARS,
    MAX_NOTE_CHARS,
    ActionDraft,
    OneToOneDraft,
    check_draft,
    draft_from_form,
    shared_part,
)
from domain.people import Person
from domain.records import ActionView, OneToOneView

TODAY = date(2026, 3, 10)
REPORT = Person(
    id=3,
    employee_id="E003",
    name="Rhys Evans",
    email="rhys@council.example",
    department="Services",
    job_title="Officer",
    start_date=date(2025, 9, 1),
    manager_id=2,
)


def fields(draft: OneToOneDraft) -> list[str]:
    return [p.field for p in check_draft(draft, report=REPORT, today=TODAY)]


def test_a_card_is_read_into_a_draft_with_its_actions() -> None:
    draft, problems = draft_from_form(
        {
            "held_on": "2026-03-09",
            "managing": " On track ",
            "wellbeing_concern": "true",
            "action_1_text": "Book the course",
            "action_1_owner": "manager",
            "action_1_due": "2026-04-01",
            "action_2_text": "",
            "action_3_text": "Read the policy",
        }
    )
    assert problems == []
    assert draft.held_on == date(2026, 3, 9)
    assert draft.notes["managing"] == "On track"
    assert draft.wellbeing_concern is True
    assert draft.actions == (
        ActionDraft("Book the course", "manager", date(2026, 4, 1)),
        ActionDraft("Read the policy", "employee", None),
    )


def test_what_a_card_gets_wrong_is_named_field_by_field() -> None:
    _, problems = draft_from_form(
        {
            "held_on": "last Tuesday",
            "action_1_due": "2026-04-01",
            "action_2_text": "Something",
            "action_2_owner": "the cat",
            "action_3_text": ["not", "text"],
        }
    )
    assert [p.field for p in problems] == ["held_on", "action_1_text", "action_2_owner"]


def test_a_draft_needs_a_past_date_since_they_started_and_one_area() -> None:
    ok = OneToOneDraft(held_on=TODAY, notes={"managing": "Fine"})
    assert fields(ok) == []
    assert fields(OneToOneDraft(held_on=None, notes={"managing": "x"})) == ["held_on"]
    assert fields(OneToOneDraft(held_on=date(2026, 3, 11), notes={"managing": "x"})) == ["held_on"]
    assert fields(OneToOneDraft(held_on=date(2025, 8, 31), notes={"managing": "x"})) == ["held_on"]
    assert fields(OneToOneDraft(held_on=TODAY, notes={})) == ["areas"]


def test_notes_and_actions_have_a_length_limit() -> None:
    long_note = "x" * (MAX_NOTE_CHARS + 1)
    draft = OneToOneDraft(
        held_on=TODAY,
        notes={"wellbeing": long_note},
        private_note=long_note,
        actions=(ActionDraft("y" * (MAX_ACTION_CHARS + 1), "employee", None),),
    )
    assert fields(draft) == ["wellbeing", "private_note", "action_1_text"]


def test_staff_see_the_shared_part_only() -> None:
    at = datetime(2026, 3, 9, 10, tzinfo=UTC)
    action = ActionView(1, 7, 3, "Book the course", "employee", None, "open", at, None, 0)
    record = OneToOneView(
        id=7,
        employee_id=3,
        manager_id=2,
        held_on=date(2026, 3, 9),
        notes={"managing": "On track", "wellbeing": "Tired", "developing": " "},
        shared_notes="Good month",
        private_note="Keep an eye on workload",
        wellbeing_concern=True,
        logged_at=at,
        updated_at=at,
        acknowledged_at=None,
        employee_comment=None,
        actions=(action,),
    )
    shared = shared_part(record, "Priya Shah")
    assert shared.areas_covered == (AREAS[0].title, AREAS[3].title)
    assert shared.shared_notes == "Good month" and shared.actions == (action,)
    assert not shared.acknowledged
    assert "private_note" not in vars(shared) and "notes" not in vars(shared)
