"""domain.compliance on its own: tallies to rows, suppression, the council row and manager
labels, without a database or the staff rules. Fixed day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.compliance import (
    SUPPRESSED,
    Measure,
    Tally,
    council_row,
    group_rows,
    in_post,
    manager_labels,
    report_notes,
)

AS_OF = date(2026, 11, 23)


@dataclass(frozen=True)
class P:
    id: int
    manager_id: int | None = None
    manager_name: str | None = None
    employee_id: str = ""
    department: str = "Libraries"
    start_date: date = date(2020, 1, 6)
    left_on: date | None = None


def tally(n: int, met: int) -> Tally:
    found = Tally()
    for person in range(n):
        found.add(person, person < met)
    return found


def test_rows_come_by_name_and_a_lone_small_group_takes_the_next_smallest_with_it() -> None:
    heads = {"Parks": 6, "Libraries": 12, "Audit": 3}
    tallies = {
        "Parks": {Measure.APRS: tally(6, 3)},
        "Libraries": {Measure.APRS: tally(12, 12)},
        "Audit": {Measure.APRS: tally(3, 1)},
    }
    audit, libraries, parks = group_rows(heads, tallies)
    assert [r.name for r in (audit, libraries, parks)] == ["Audit", "Libraries", "Parks"]
    assert audit.shares[Measure.APRS].display() == SUPPRESSED
    assert parks.shares[Measure.APRS].display() == SUPPRESSED  # complementary
    assert libraries.shares[Measure.APRS].display() == "100% (12 of 12)"
    assert (audit.headcount_text(), parks.headcount_text()) == ("suppressed", "suppressed")
    assert libraries.shares[Measure.RTW].suppressed  # nobody behind it


def test_the_council_row_is_hidden_only_when_the_council_is_small() -> None:
    row = council_row(21, {Measure.OBJECTIVES: tally(21, 7)})
    assert row.shares[Measure.OBJECTIVES].display() == "33% (7 of 21)"
    assert row.shares[Measure.RTW].suppressed
    assert not row.headcount_suppressed
    assert council_row(4, {}).headcount_suppressed


def test_in_post_means_started_and_not_left() -> None:
    assert in_post(P(1), AS_OF)
    assert not in_post(P(1, start_date=date(2026, 11, 24)), AS_OF)
    assert not in_post(P(1, left_on=AS_OF), AS_OF)
    assert in_post(P(1, left_on=date(2026, 11, 24)), AS_OF)


def test_managers_who_share_a_name_are_told_apart_by_their_hr_id() -> None:
    people = [
        P(1, employee_id="E1"),
        P(2, employee_id="E2"),
        P(3, manager_id=1, manager_name="Sam Jones"),
        P(4, manager_id=2, manager_name="Sam Jones"),
        P(5),
    ]
    assert manager_labels(people, {}) == {
        1: "Sam Jones (E1)",
        2: "Sam Jones (E2)",
        None: "(no line manager)",
    }
    assert manager_labels(people[2:3], {1: "Samantha Jones"}) == {1: "Samantha Jones"}


def test_the_notes_name_the_period() -> None:
    notes = report_notes(date(2025, 11, 23), AS_OF)
    assert "between 23 Nov 2025 and 23 Nov 2026" in notes[1]
