"""The #15 wording points about absence, checked against the code as it is: `absence for Rhys`
(singular) opens the record, not the record-sickness form; "Which absence?" offers the latest
first."""

from __future__ import annotations

from datetime import date

from dialogs.recogniser import Recogniser
from dialogs.table import ROUTES
from domain.absences import latest_first
from domain.records import AbsenceView

TODAY = date(2026, 11, 23)


def test_absence_for_a_name_opens_the_absence_record() -> None:
    for typed in ("absence for Rhys", "absences for Rhys", "absence record for Rhys"):
        found = Recogniser(ROUTES).recognise(typed, None, TODAY)
        assert found.route is not None and found.route.name == "absences_for", typed
        assert found.options == {"name": "rhys"}


def absence(absence_id: int, start: date) -> AbsenceView:
    return AbsenceView(
        id=absence_id,
        employee_id=1,
        start_date=start,
        end_date=start,
        absence_type="sickness",
        reason_category=None,
        working_days_lost=1,
        disability_related=False,
        expected_return=None,
        last_contact_on=None,
        source="chat",
    )


def test_which_absence_lists_the_latest_first() -> None:
    older, newer = absence(1, date(2026, 3, 2)), absence(2, date(2026, 11, 16))
    assert [a.id for a in latest_first([older, newer])] == [2, 1]
