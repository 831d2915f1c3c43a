"""The busiest cards, built with realistic demo people, for measuring and screenshots."""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path
from typing import Any

from dialogs import general
from dialogs.one_to_ones import views as one_to_one_views
from dialogs.table import ROUTES
from dialogs.team import views as team_views
from domain.people import Person
from services.team_overview import NextAction, Team, TeamRow
from tests.render import hr_samples

TODAY = date(2026, 11, 23)


def person(pk: int, name: str, *, reports: int = 0, roles: frozenset[str] = frozenset()) -> Person:
    return Person(
        pk, f"D{pk:03d}", name, f"{name.split()[0].lower()}@demo-council.example",
        "Community Services", "Officer", date(2019, 6, 10),
        roles=roles, active_report_count=reports,
    )  # fmt: skip


PRIYA = person(3, "Priya Shah", reports=12)
RHYS = person(13, "Rhys Evans")
HELEN = person(1, "Helen Okafor", roles=frozenset({"hr_admin"}))

_TEAM = [  # name, 1:1 state, APR state, APR words, draft objectives, RTW due
    ("Margaret Hughes", "on_track", "completed", "Held 12 May 2026", 0, False),
    ("Oluwaseun Adeyemi", "on_track", "completed", "Held 19 May 2026", 1, True),
    ("Rhys Evans", "overdue", "overdue", "Overdue by 159 days", 0, False),
    ("Mei Ling Chen", "due_soon", "completed", "Held 26 May 2026", 1, False),
    ("Callum Fraser", "on_track", "not_due", "In probation until 7 March 2027", 0, False),
    ("Amira Hassan", "on_track", "completed", "Held 2 June 2026", 0, False),
    ("Ben Carter", "overdue", "completed", "Held 9 June 2026", 0, False),
    ("Chloe Davies", "on_track", "overdue", "Overdue by 146 days", 0, False),
    ("Daniel Kowalski", "on_track", "completed", "Held 3 June 2026", 0, False),
    ("Emma Clarke", "on_track", "completed", "Held 4 June 2026", 0, False),
    ("Grace Mensah", "on_track", "completed", "Held 5 June 2026", 2, False),
    ("Sarah Thompson", "on_track", "completed", "Held 6 June 2026", 0, False),
]


def _row(i: int, spec: tuple[str, str, str, str, int, bool]) -> TeamRow:
    name, cadence, apr_state, apr_words, drafts, rtw = spec
    overdue = cadence == "overdue"
    attention: list[tuple[str, str]] = []
    if rtw:
        attention.append(("rtw", "Return to work due"))
    if overdue:
        attention.append(("one_to_one", "1:1 overdue by 42 days"))
    if apr_state == "overdue":
        attention.append(("apr", f"APR {apr_words[0].lower()}{apr_words[1:]}"))
    if drafts:
        attention.append(("objectives", f"{drafts} objective{'s' if drafts > 1 else ''} to agree"))
    action = NextAction("log_one_to_one", "Log 1:1") if overdue else None
    if apr_state == "overdue" and not overdue:
        action = NextAction("record_apr", "Record APR")
    if rtw:
        action = NextAction("log_rtw", "Log RTW")
    if drafts and action is None:
        action = NextAction("objectives_for", "Agree objectives")
    fields: dict[str, Any] = dict(
        employee_pk=100 + i, employee_id=f"D{100 + i}", name=name,
        one_to_one="70 days ago: overdue by 42 days (every 28 days)" if overdue
        else "12 days ago: on track (every 28 days)",
        one_to_one_state=cadence, apr=f"{apr_state.replace('_', ' ').capitalize()}: {apr_words}",
        apr_state=apr_state, rtw="Due by 25 Nov 2026" if rtw else None,
        rtw_state="due" if rtw else None,
        objectives=f"2 agreed, {drafts} to agree" if drafts else "2 agreed",
        sickness="1 occasion, 2 working days in 12 months", trigger_reached=False,
        off_sick_since=None, manages_people=False, next_action=action,
        next_reason="Something to do" if action else "Nothing due",
    )  # fmt: skip
    if "attention" in inspect.signature(TeamRow).parameters:
        fields["attention"] = tuple(attention)
    return TeamRow(**fields)


def my_team_card(people: int = 12) -> dict[str, Any]:
    rows = tuple(_row(i, spec) for i, spec in enumerate(_TEAM[:people]))
    return team_views.team_card([Team(PRIYA, rows)], viewer_id=PRIYA.id)


def help_card(who: Person, *, may_see_scorecard: bool = False) -> dict[str, Any]:
    commands = ROUTES.commands_for(who)
    if not (Path(general.__file__).parent / "help_menu.py").exists():  # before: all in one card
        return general.views.help_card(commands)  # type: ignore[no-any-return,call-arg]
    from dialogs import help_menu

    return help_menu.help_card(who, commands, may_see_scorecard=may_see_scorecard)


def one_to_one_form() -> dict[str, Any]:
    reports = [RHYS, person(11, "Margaret Hughes")]
    return one_to_one_views.one_to_one_form(
        reports=reports, report=RHYS, held_on=TODAY, today=TODAY
    )


def all_cards() -> dict[str, dict[str, Any]]:
    return {
        "help-manager": help_card(PRIYA),
        "help-staff": help_card(RHYS),
        "help-hr": help_card(HELEN, may_see_scorecard=True),
        "my-team-12": my_team_card(12),
        "one-to-one-form": one_to_one_form(),
        **hr_samples.hr_cards(),
    }
