"""The pack's questions for other services (_other_services.md): HR lists, under each service,
questions it answers; a question nearer one of them than the framework is pointed there."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from content import PACK_DIR
from dialogs.answers.views import answer_card
from domain.answer_elsewhere import (
    OTHER_SERVICES_FILE,
    ElsewhereCheck,
    OtherServices,
    parse_other_services,
)
from domain.answer_index import AnswerIndex
from domain.content_pack import check_pack, read_pack, topic_files
from services.answers import answer_question

SAMPLE = Path(__file__).parents[1] / "fixtures" / "content_pack_sample"

LISTED = (
    "# Questions for other services\n\nNotes for HR.\n- not a question yet\n\n"
    "## Payroll and pensions\n- When is pay day?\n-   How much   goes into my pension?\n\n"
    "## IT service desk\n* My laptop will not start\n"
)


def test_questions_are_read_under_their_service() -> None:
    services, problems = parse_other_services(LISTED.replace("- not a question yet\n", ""))
    assert problems == []
    assert services.services == ("Payroll and pensions", "IT service desk")
    assert services.questions == (
        "When is pay day?",
        "How much goes into my pension?",
        "My laptop will not start",
    )
    assert services.owners == (0, 0, 1)


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        (LISTED, 4, "before any '## service' heading"),
        ("## Payroll\n- pay day\n## IT\n", 3, "lists no questions"),
        ("##\n- pay day\n", 1, "has no name"),
        ("## Payroll\n- Pay day?\n## IT\n- pay DAY?\n", 4, "already on line 2"),
        ("## Payroll\n- " + "pay " * 130 + "\n", 2, "longer than 500"),
    ],
)
def test_a_bad_line_is_a_problem_with_its_line(text: str, line: int, says: str) -> None:
    services, problems = parse_other_services(text)
    assert [n for n, _ in problems] == [line]
    assert says in problems[0][1]
    assert len(services) == 0  # nothing of a broken list counts


def test_the_list_is_part_of_the_pack_and_of_its_check(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(SAMPLE, folder)
    assert len(read_pack(folder).other_services) == 0  # a pack may have none
    (folder / OTHER_SERVICES_FILE).write_text("- pay day\n", encoding="utf-8")
    problems = check_pack(folder)
    assert [(p.path.name, p.line) for p in problems] == [(OTHER_SERVICES_FILE, 1)]
    assert OTHER_SERVICES_FILE not in [p.name for p in topic_files(folder)]
    (folder / OTHER_SERVICES_FILE).write_text("## Payroll\n- pay day\n", encoding="utf-8")
    assert read_pack(folder).other_services.services == ("Payroll",)


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_a_question_nearer_a_listed_one_than_the_framework_names_its_service() -> None:
    services = OtherServices(("Payroll", "IT service desk"), ("pay day", "laptop"), (0, 1))
    check = ElsewhereCheck(services, np.stack([_unit(1, 0, 0), _unit(0, 1, 0)]))
    laptop_question = _unit(0.1, 1, 0.2)
    nearest_listed = float(_unit(0, 1, 0) @ laptop_question)
    assert check.service_for(laptop_question, framework_nearest=0.5) == "IT service desk"
    # As near as the framework's nearest, or less: the framework's question.
    assert check.service_for(laptop_question, framework_nearest=nearest_listed) is None
    assert check.service_for(laptop_question, framework_nearest=0.99) is None


def test_without_vectors_or_questions_nothing_is_pointed_elsewhere() -> None:
    services = OtherServices(("Payroll",), ("pay day",), (0,))
    assert ElsewhereCheck(services, None).service_for(_unit(1, 0), 0.0) is None
    assert ElsewhereCheck(OtherServices(), np.zeros((0, 2))).service_for(_unit(1, 0), 0.0) is None
    assert ElsewhereCheck(services, np.stack([_unit(1, 0)])).service_for(None, 0.0) is None


@pytest.fixture(scope="module")
def shipped() -> AnswerIndex:
    return AnswerIndex(read_pack(PACK_DIR))


@pytest.mark.parametrize(
    ("question", "service"),
    [
        ("what date do we get paid in december", "Payroll and pensions"),
        ("my laptop screen is cracked, who can fix it", "IT service desk"),
        ("can I take a day's holiday next friday", "Leave and time off"),
        ("how do I claim for my train fare to a training course", "Expenses and purchasing"),
    ],
)
def test_the_shipped_list_points_other_services_questions_to_their_service(
    shipped: AnswerIndex, question: str, service: str
) -> None:
    if not shipped.has_encoder:
        pytest.skip("the list is matched by meaning: needs the sentence encoder")
    answer, _hits = answer_question(shipped, question, "staff")
    assert not answer.answered
    assert answer.elsewhere == service
    assert answer.to_json()["elsewhere"] == service
    card = json.dumps(answer_card(replace(answer, question_id=7)))
    assert service in card and "Ask HR" in card
    assert "about the framework after all, I can pass your question to HR" in card


@pytest.mark.parametrize(
    "question",
    [
        "what should I cover in a one-to-one",
        "can I come back on reduced hours after long term sickness",
        "I feel stressed about my pay being cut",
        "someone on my team is on paternity leave, do I still do their APR",
        "Will it rain in Cardiff tomorrow?",  # not sure, but no service's either
    ],
)
def test_framework_and_unrelated_questions_are_not_pointed_elsewhere(
    shipped: AnswerIndex, question: str
) -> None:
    answer, _ = answer_question(shipped, question, "manager")
    assert answer.elsewhere is None
    assert "another service" not in json.dumps(answer_card(answer))


def test_a_file_that_is_not_utf8_is_a_problem_on_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(SAMPLE, folder)
    (folder / OTHER_SERVICES_FILE).write_bytes(b"## Payroll\n- caf\xe9 vouchers\n")
    problems = check_pack(folder)
    assert [(p.path.name, p.line) for p in problems] == [(OTHER_SERVICES_FILE, 2)]
    assert "not UTF-8" in problems[0].message
