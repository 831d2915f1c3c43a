"""Help by role: the four to six things this person does most, as buttons, and "More" for the
rest. Built from the route table's commands open to the person (``dialogs.table``), so a
command someone may not use is never offered; the scorecard is offered only to those who may
see one (HR admins, and heads of service: ``ScorecardService.may_see``).
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs import cards
from domain.commands import Capability
from domain.people import Person

# What each role does most, in the order offered.
HR_TOP = ("compliance", "scorecard", "ask")
MANAGER_TOP = ("log_one_to_one", "my_team", "record_absence", "log_rtw", "objectives_for", "ask")
STAFF_TOP = ("my_objectives", "prepare_apr", "my_one_to_ones", "ask")
MOST = 6

# Shorter button words than the commands' titles, where the title reads badly on a button.
LABELS = {
    "log_one_to_one": "Log a 1:1",
    "my_team": "My team",
    "record_absence": "Record sickness",
    "log_rtw": "Return to work",
    "objectives_for": "Objectives to agree",
    "ask": "Ask a question",
    "my_objectives": "My objectives",
    "prepare_apr": "Prepare my APR",
    "my_one_to_ones": "My one-to-ones",
    "compliance": "Compliance",
    "scorecard": "Council scorecard",
}

IMPORT_HELP = (
    "HR keeps Charter's data up to date from the HR system: the organisation chart (who "
    "reports to whom, roles, departments), sickness absence and past APRs. Send the files to "
    "your Charter administrator, who loads them with `charter import org`, `charter import "
    "absences` and `charter import aprs`. Each import checks every row first and changes "
    "nothing if any row is wrong; the administrator's guide lists the columns."
)


def offered(commands: Sequence[Capability], *, may_see_scorecard: bool) -> list[Capability]:
    """The commands help offers this person: open to them, and usable by them."""
    return [c for c in commands if c.command != "scorecard" or may_see_scorecard]


def most_used(person: Person, commands: Sequence[Capability]) -> list[Capability]:
    """The person's most-used commands, HR's first for an HR admin, then a manager's."""
    wanted: list[str] = []
    if person.is_hr_admin:
        wanted += HR_TOP
    if person.is_manager:
        wanted += MANAGER_TOP
    if not wanted:
        wanted += STAFF_TOP
    by_name = {c.command: c for c in commands}
    picked = [by_name[name] for name in dict.fromkeys(wanted) if name in by_name]
    return picked[:MOST]


def label(capability: Capability) -> str:
    title = LABELS.get(capability.command, capability.title)
    return title[:1].upper() + title[1:]


def _full_list(commands: Sequence[Capability]) -> list[cards.Element]:
    sections: dict[str, list[Capability]] = {}
    for cap in commands:
        if cap.command not in ("help", "cancel"):
            sections.setdefault(cap.section, []).append(cap)
    body: list[cards.Element] = []
    for section, caps in sections.items():
        body.append(cards.subheading(section))
        body.append(cards.text("\n".join(f"- **{c.title}**: {c.description}" for c in caps)))
    return body


def help_card(
    person: Person, commands: Sequence[Capability], *, may_see_scorecard: bool
) -> cards.Element:
    """``commands``: the table's commands open to this person, in help order."""
    usable = offered(commands, may_see_scorecard=may_see_scorecard)
    top = most_used(person, usable)
    body: list[cards.Element] = [
        cards.heading("What I can do for you"),
        cards.text(
            "The things you do most. Type the words or press a button; **More** lists "
            "everything else.",
            subtle=True,
        ),
        cards.text("\n".join(f"- **{c.title}**: {_short(c)}" for c in top)),
    ]
    # Two buttons to a row: a row of six runs off a phone's screen.
    buttons = [cards.command_button(label(c), c.command) for c in top]
    body += [cards.action_set(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    more: list[cards.Element] = []
    if person.is_hr_admin:
        more.append(
            {
                "type": "Action.ShowCard",
                "title": "Importing data",
                "card": cards.card([cards.subheading("Importing data"), cards.text(IMPORT_HELP)]),
            }
        )
    more.append(
        {
            "type": "Action.ShowCard",
            "title": "More",
            "card": cards.card(_full_list(usable)),
        }
    )
    return cards.card(body, more)


def _short(capability: Capability) -> str:
    """The description's first clause: help's summary line stays on one or two lines."""
    text = capability.menu_description or capability.description
    for stop in (" (", ": ", ". "):
        head, found, _ = text.partition(stop)
        if found and len(head) >= 20:
            text = head
    return text
