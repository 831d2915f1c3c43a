from __future__ import annotations

from datetime import date

import pytest

from bot.teams.app_package import command_menu, load_manifest, manifest_commands
from dialogs.table import ROUTES
from domain.commands import Capability, forced_question, normalise_text
from domain.people import Person

# The route table holds every command now; these read it as the old registry was read.
CAPABILITIES = ROUTES.commands
capabilities_for = ROUTES.commands_for


def match_command(typed: str) -> Capability | None:
    route = ROUTES.by_words(typed)
    return route.command if route is not None else None


def person(**kw: object) -> Person:
    base = dict(
        id=1,
        employee_id="E1",
        name="Priya Shah",
        email="p@x",
        department="D",
        job_title="T",
        start_date=date(2020, 1, 1),
    )
    base.update(kw)
    return Person(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("help", "help"),
        ("  HELP!  ", "help"),
        ("<at>Charter</at> help", "help"),
        ("What can you do?", "help"),
        ("who am I", "whoami"),
        ("Who am I?", "whoami"),
        ("whoami", "whoami"),
        ("feedback", "feedback"),
        ("Give feedback", "feedback"),
        ("cancel", "cancel"),
        ("never mind", "cancel"),
    ],
)
def test_text_shortcuts(typed: str, command: str) -> None:
    found = match_command(typed)
    assert found is not None and found.command == command


@pytest.mark.parametrize("typed", ["", "helpful advice", "who am i really", "feedbacks please"])
def test_other_text_is_not_a_command(typed: str) -> None:
    assert match_command(typed) is None


def test_normalise_text_collapses_space_and_mentions() -> None:
    assert normalise_text("<at>Charter</at>   Who  am I?") == "who am i"


def test_manifest_command_list_matches_what_the_bot_answers() -> None:
    titles = manifest_commands(load_manifest())
    assert len(titles) <= 12
    for title in titles:
        assert match_command(title) is not None, f"manifest command {title!r} is not answered"
    assert {c.title for c in CAPABILITIES if c.listed} == set(titles)


def test_committed_manifest_menu_is_the_route_tables() -> None:
    """The package is built with the table's menu; the committed copy says the same."""
    (command_list,) = load_manifest()["bots"][0]["commandLists"]
    assert command_list["commands"] == command_menu()


def test_everyone_gets_the_everyday_commands() -> None:
    assert [c.command for c in capabilities_for(person())] == [
        "help",
        "my_one_to_ones",
        "my_actions",
        "add_to_agenda",
        "my_agenda",
        "add_objective",
        "my_objectives",
        "update_objective",
        "prepare_apr",
        "my_absence",
        "ask",
        "whoami",
        "feedback",
        "cancel",
    ]


def test_ask_forces_a_question_and_keeps_its_words() -> None:
    assert forced_question("<at>Charter</at> ask  What happens at my APR?") == (
        "What happens at my APR?"
    )
    assert forced_question("ask") is None
    assert forced_question("asking for a friend") is None


def test_managers_also_get_one_to_ones() -> None:
    commands = [c.command for c in capabilities_for(person(active_report_count=3))]
    assert "log_one_to_one" in commands and "one_to_ones" in commands
