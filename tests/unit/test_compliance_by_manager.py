"""`--by manager` groups by the line manager's id: two managers with the same name are two
groups, told apart by their HR employee id."""

from __future__ import annotations

from dataclasses import replace

from domain.compliance import GroupBy
from services.compliance import build_report
from tests.unit.test_compliance import AS_OF, RULES, person, team


def test_managers_with_the_same_name_are_not_merged() -> None:
    first = [replace(p, manager_id=1, manager_name="Sam Jones") for p in team(5)]
    second = [replace(p, manager_id=2, manager_name="Sam Jones") for p in team(6, start=10)]
    managers = [
        person(1, employee_id="M001", name="Sam Jones", manager_id=None, active_reports=5),
        person(2, employee_id="M002", name="Sam Jones", manager_id=None, active_reports=6),
    ]
    report = build_report([*first, *second, *managers], RULES, AS_OF, group_by=GroupBy.MANAGER)
    heads = {g.name: g.headcount for g in report.groups}
    assert heads == {"(no line manager)": 2, "Sam Jones (M001)": 5, "Sam Jones (M002)": 6}


def test_a_unique_name_is_shown_as_it_is() -> None:
    people = [
        *team(5),
        *(replace(p, manager_id=7, manager_name="Ann Lee") for p in team(5, start=9)),
    ]
    report = build_report(people, RULES, AS_OF, group_by=GroupBy.MANAGER)
    assert [g.name for g in report.groups] == ["Ann Lee", "Manager"]
