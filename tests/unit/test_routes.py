"""The route table, the recogniser and the router's conversation rules, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.recogniser import Arrival, Recogniser
from dialogs.router import CONVERSATION_RULES, Rule
from dialogs.table import ROUTES
from domain.commands import Audience
from domain.people import Person

TODAY = date(2026, 11, 23)
recogniser = Recogniser(ROUTES)


def person(**kw: object) -> Person:
    base: dict[str, object] = dict(
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


def command_of(text: str) -> str | None:
    found = recogniser.recognise(text, None, TODAY)
    return found.route.command.command if found.route and found.route.command else None


@pytest.mark.parametrize(
    ("typed", "command", "options"),
    [
        ("log 1:1 with Sam yesterday", "log_one_to_one", {"name": "sam", "held_on": "2026-11-22"}),
        ("objectives for rhys", "objectives_for", {"name": "rhys"}),
        ("ask What happens at my APR?", "ask", {"name": "What happens at my APR?"}),
        ("my team", "my_team", {}),
    ],
)
def test_words_and_phrases_find_their_route(
    typed: str, command: str, options: dict[str, object]
) -> None:
    found = recogniser.recognise(typed, None, TODAY)
    assert found.arrival is Arrival.COMMAND_TEXT
    assert command_of(typed) == command
    assert {k: v for k, v in found.options.items() if k in options} == options


def test_free_phrases_for_absence_and_delegation() -> None:
    assert command_of("Sam is off sick") == "record_absence"
    assert command_of("Sam is back") == "back_at_work"
    assert command_of("delegate my team to Tom Griffiths until 10 January") == "delegate"
    assert command_of("Tom Griffiths is acting manager for me while I'm away until 10 January") == (
        "delegate"
    )
    assert command_of("who is acting for me") == "who_is_acting"
    assert command_of("who is acting manager for me") == "who_is_acting"


def test_cards_and_buttons() -> None:
    form = recogniser.recognise(None, {"form": "nudge_snooze", "item_key": "x"}, TODAY)
    assert form.arrival is Arrival.FORM and form.route is not None and form.route.first
    button = recogniser.recognise(None, {"command": "record_apr", "employee_id": "E7"}, TODAY)
    assert button.arrival is Arrival.BUTTON and button.options == {"employee_id": "E7"}
    assert recogniser.recognise(None, {"form": "gone"}, TODAY).route is None
    assert recogniser.recognise(None, {"x": 1}, TODAY).arrival is Arrival.VALUE
    assert recogniser.recognise("what is an APR for", None, TODAY).arrival is Arrival.TEXT


def test_every_word_names_one_command_and_every_verb_one_route() -> None:
    words = [p.lower() for c in ROUTES.commands for p in c.phrases]
    commands = [c.command for c in ROUTES.commands]
    assert len(commands) == len(set(commands))
    for word in set(words):
        owners = {c.command for c in ROUTES.commands if word in (p.lower() for p in c.phrases)}
        assert len(owners) == 1, f"{word!r} is claimed by {sorted(owners)}"


def test_the_conversation_rules_cover_every_arrival() -> None:
    assert {(a, t) for a in Arrival for t in (True, False)} == set(CONVERSATION_RULES)
    assert CONVERSATION_RULES[(Arrival.COMMAND_TEXT, False)] is Rule.INTERRUPT
    assert CONVERSATION_RULES[(Arrival.COMMAND_TEXT, True)] is Rule.CONTINUE


@pytest.mark.parametrize(
    ("audience", "staff", "manager", "hr", "acting"),
    [
        (Audience.EVERYONE, True, True, True, False),
        (Audience.MANAGER, False, True, False, True),
        (Audience.HR_ADMIN, False, False, True, False),
        (Audience.MANAGER_OR_HR, False, True, True, True),
    ],
)
def test_who_an_audience_admits(
    audience: Audience, staff: bool, manager: bool, hr: bool, acting: bool
) -> None:
    assert audience.admits(person()) is staff
    assert audience.admits(person(active_report_count=2)) is manager
    assert audience.admits(person(roles=frozenset({"hr_admin"}))) is hr
    # Whether an acting manager (by delegation) is let in where their roles are not.
    assert audience.open_to_acting_managers is acting
