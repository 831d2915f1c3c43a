"""The agenda's typed phrases, with a fixed today (Monday 23 November 2026)."""

from __future__ import annotations

from datetime import date, time

from domain.agenda_phrases import NextRequest, added_point, next_request

TODAY = date(2026, 11, 23)


def test_add_to_my_agenda_keeps_the_point_as_typed() -> None:
    assert added_point("add to my 1:1 agenda: Training on the New catalogue") == (
        "Training on the New catalogue"
    )
    assert added_point("Add to my one-to-one agenda - leave in December") == "leave in December"
    assert added_point("add to my agenda") == ""
    assert added_point("what is an agenda?") is None


def test_next_one_to_one_reads_the_name_day_and_time_forward() -> None:
    assert next_request("next 1:1 with Rhys Tuesday 10am", TODAY) == NextRequest(
        "Rhys", date(2026, 11, 24), time(10, 0)
    )
    assert next_request("next one-to-one with Mei Ling on 3 December at 2pm", TODAY) == (
        NextRequest("Mei Ling", date(2026, 12, 3), time(14, 0))
    )
    assert next_request("next 1:1 with Rhys Monday", TODAY) == NextRequest(
        "Rhys", date(2026, 11, 30), None
    )
    assert next_request("next 1:1 with Rhys tomorrow 14:30", TODAY) == NextRequest(
        "Rhys", date(2026, 11, 24), time(14, 30)
    )
    assert next_request("next 1:1 with Rhys", TODAY) == NextRequest("Rhys", None, None)
    assert next_request("next 1:1 with tuesday", TODAY) is None
    assert next_request("log 1:1 with Rhys", TODAY) is None
