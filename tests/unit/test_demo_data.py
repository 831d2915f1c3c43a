"""The demo's data files hang together (no database): every record names a demo person, every key
it uses exists, and the org file matches the emails and Teams ids the emulator relies on."""

from __future__ import annotations

import csv
import io

import pytest

from services.demo import demo_aad_object_id, demo_email, demo_org_csv, demo_org_rows, load
from services.org_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS


def _numbers() -> dict[int, dict[str, str]]:
    return {load.demo_number(row["employee_id"]): row for row in demo_org_rows()}


def _reports_of_team_managers() -> set[int]:
    people = _numbers()
    managers = {people[number]["email"] for number in load.team_managers()}
    return {number for number, row in people.items() if row["manager_email"] in managers}


def test_the_org_file_is_what_charter_import_org_reads() -> None:
    text = demo_org_csv()
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]
    assert list(reader) == demo_org_rows()
    assert text.startswith("employee_id,name,email,manager_email,")
    assert len(demo_org_rows()) == 48  # five departments
    assert len({row["department"] for row in demo_org_rows()}) == 5


def test_emails_and_teams_ids_follow_the_demo_rules() -> None:
    people = _numbers()
    emails = {row["email"] for row in people.values()}
    for number, row in people.items():
        assert row["employee_id"] == f"D{number:03d}"
        assert row["email"] == demo_email(row["name"])
        assert row["aad_object_id"] == demo_aad_object_id(number)
        assert row["manager_email"] in emails | {""}
    assert people[3]["aad_object_id"] == "00000000-0000-4000-8000-000000000003"  # the emulator


def test_team_managers_are_priya_tom_aisha_and_one_in_each_other_department() -> None:
    names = [_numbers()[number]["name"] for number in load.team_managers()]
    assert names == [
        "Priya Shah",
        "Tom Griffiths",
        "Aisha Khan",
        "Kwame Boateng",
        "Mark Sullivan",
        "Imran Qureshi",
        "Olivia Bell",
    ]


def test_one_to_ones_belong_to_the_teams() -> None:
    history = load.one_to_ones()
    assert set(history) == _reports_of_team_managers()
    assert sum(map(len, history.values())) == 47 + 60  # Community Services + the other four
    for meetings in history.values():
        days = [meeting.days_ago for meeting in meetings]
        assert len(set(days)) == len(days) and all(day > 0 for day in days)
        for meeting in meetings:
            assert meeting.shared_notes and any(meeting.areas)
            assert all(action.owner in ("employee", "manager") for action in meeting.actions)
            assert all(action.due_in_days > 0 for action in meeting.actions)
    assert history[23][1].wellbeing_concern and history[23][1].private_note


def test_objectives_use_known_kinds_priorities_and_plans() -> None:
    objectives = load.objectives()
    team = _reports_of_team_managers() | set(load.team_managers())
    assert set(objectives) <= team
    assert sum(map(len, objectives.values())) == 37 + 24
    priorities, plans = load.priorities(), load.plans()
    assert set(plans) == {
        "libraries",
        "waste",
        "customer",
        "finance",
        "reablement",
        "early_help",
        "planning",
    }
    outcomes = {"", "achieved", "partly_achieved", "not_achieved", "continuing"}
    for entries in objectives.values():
        for objective in entries:
            assert objective.kind in ("last", "this", "draft", "proposed", "probation")
            assert objective.priority in priorities
            assert objective.plan is None or objective.plan in plans
            assert objective.outcome in outcomes
            assert objective.kind == "last" or not (objective.outcome or objective.review)
            assert all(0 <= u.percent <= 100 for u in objective.updates)
            assert all(u.rag in ("green", "amber", "red") for u in objective.updates)


def test_aprs_leave_out_the_overdue_and_probation() -> None:
    aprs = load.aprs()
    assert len(aprs) == 15 + 21 and not {13, 15, 22, 36, 45, 55} & set(aprs)
    assert set(aprs) <= _reports_of_team_managers() | set(load.team_managers())
    assert aprs[11].employee_response == "Thank you, a fair summary of a busy year."
    assert aprs[12].employee_response == ""  # acknowledged without a comment
    assert aprs[20].employee_response is None  # not acknowledged yet
    assert aprs[3].leadership_themes == ("Drive", "Connect")


def test_absences_name_team_members() -> None:
    absences = load.absences()
    assert len(absences) == 8
    assert {a.number for a in absences} <= _reports_of_team_managers()
    back_today = [a for a in absences if a.started_days_ago is None]
    assert [(a.number, a.working_days) for a in back_today] == [(12, 2)]
    ongoing = [a for a in absences if a.working_days is None]
    assert [(a.number, a.return_to_work) for a in ongoing] == [(23, None)]
    assert sum(1 for a in absences if a.number == 17 and a.return_to_work) == 3
    other = [a for a in absences if a.type != "sickness"]
    assert [(a.number, a.type, a.reason) for a in other] == [(21, "other", None)]


def test_a_misspelt_field_is_an_error() -> None:
    with pytest.raises(TypeError):
        load.Action(**{"action": "x", "owner": "manager", "due_in_day": 7, "done": True})
    with pytest.raises(ValueError, match="demo employee id"):
        load.demo_number("E017")
