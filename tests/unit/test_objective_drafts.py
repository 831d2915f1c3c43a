"""The objective card's rules, without a database."""

from __future__ import annotations

from datetime import date

from domain.objective_drafts import ObjectiveDraft, link_problems, objective_from_form


def test_a_complete_card_gives_a_draft() -> None:
    draft, problems = objective_from_form(
        {
            "title": "  Open on Sundays ",
            "measure": "Open 10-4",
            "target_date": "2027-03-31T00:00:00",
            "priority_id": "2",
            "plan_id": "5",
        }
    )
    assert problems == []
    assert draft == ObjectiveDraft("Open on Sundays", "Open 10-4", date(2027, 3, 31), 2, 5)


def test_every_problem_is_named() -> None:
    _, problems = objective_from_form({"target_date": "soon", "measure": "x" * 2001})
    assert problems == [
        "The target date isn't a date I recognise.",
        "Give the objective a title.",
        "Please keep 'what success looks like' under 2,000 characters.",
        "Choose the council priority it serves: that's the golden thread.",
    ]
    _, long_title = objective_from_form({"title": "x" * 301, "priority_id": 1})
    assert long_title == ["Please keep the title under 300 characters."]


def test_links_must_be_ones_this_person_may_choose() -> None:
    draft = ObjectiveDraft("A", "", None, 2, 5)
    assert link_problems(draft, {2}, {5}) == []
    assert link_problems(draft, {1}, {6}) == [
        "Choose one of the council priorities listed.",
        "Choose one of the plans listed, or none.",
    ]
    assert link_problems(ObjectiveDraft("A", "", None, 2, None), {2}, set()) == []
