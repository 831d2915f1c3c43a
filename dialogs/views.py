"""The cards Charter shows for help, welcome and "who am I", built from the route table's
commands (``dialogs.table``), and the refusal when a command is not for someone."""

from __future__ import annotations

from dialogs import cards, help_menu
from domain.commands import Audience, Capability
from domain.people import Person

PRODUCT_LINE = (
    "Charter helps the council's people-performance framework happen every week: "
    "regular one-to-ones, annual performance reviews, return-to-work conversations and "
    "objectives that link your work to the council's plans."
)


def _role_line(person: Person, report_count: int) -> str:
    if person.is_hr_admin and person.is_manager:
        return (
            f"You're an HR admin and you manage {report_count} "
            f"{'person' if report_count == 1 else 'people'}."
        )
    if person.is_hr_admin:
        return "You're an HR admin: you look after the organisation data and the rules."
    if person.is_manager:
        return f"You manage {report_count} {'person' if report_count == 1 else 'people'}."
    return "You can use me to keep track of your own development and conversations."


def _commands_text(capabilities: list[Capability]) -> str:
    return "\n".join(f"- **{c.title}**: {c.description}" for c in capabilities)


def _buttons(capabilities: list[Capability]) -> list[cards.Element]:
    return [
        cards.command_button(c.title[:1].upper() + c.title[1:], c.command) for c in capabilities
    ]


def help_card(commands: list[Capability]) -> cards.Element:
    """Everything this person can do (``commands``: the table's commands open to them),
    grouped by area: what to type, and a button for each."""
    body: list[cards.Element] = [
        cards.heading("What I can do for you"),
        cards.text("Press a button, or type the words in bold.", subtle=True),
    ]
    sections: dict[str, list[Capability]] = {}
    for cap in commands:
        if cap.command != "help":
            sections.setdefault(cap.section, []).append(cap)
    for section, caps in sections.items():
        body.append(cards.subheading(section))
        body.append(cards.text(_commands_text(caps)))
        buttons = _buttons([c for c in caps if c.listed and c.command != "cancel"])
        if buttons:
            body.append(cards.action_set(buttons))
    return cards.card(body)


WELCOME_SHORTCUTS = 4


def welcome_card(person: Person, commands: list[Capability]) -> cards.Element:
    """``commands``: the table's commands open to this person."""
    # What this person does most, by role (an HR admin's welcome is HR's); without the
    # database a head of service's scorecard waits for help.
    usable = help_menu.offered(commands, may_see_scorecard=person.is_hr_admin)
    first = help_menu.most_used(person, usable)
    return cards.card(
        [
            cards.heading(f"Welcome to Charter, {person.first_name}"),
            cards.text(PRODUCT_LINE),
            cards.text(_role_line(person, person.active_report_count)),
            cards.subheading("To get started"),
            cards.text(_commands_text(first)),
            cards.text("Type **help** at any time to see everything I can do.", subtle=True),
        ],
        [*_buttons(first), cards.command_button("Help", "help")],
    )


def whoami_card(person: Person, reports: list[Person]) -> cards.Element:
    pairs = [
        ("Name", person.name),
        ("Email", person.email),
        ("Job title", person.job_title or "—"),
        ("Department", person.department or "—"),
        ("Line manager", person.manager_name or "—"),
        ("Role in Charter", ", ".join(person.role_names)),
    ]
    body = [cards.heading("How Charter sees you"), cards.facts(pairs)]
    if reports:
        body.append(cards.subheading(f"Your team ({len(reports)})"))
        body.append(cards.text("\n".join(f"- {r.name}, {r.job_title}" for r in reports)))
    body.append(
        cards.text(
            "Something wrong? Your HR team keeps this up to date from the HR system.",
            subtle=True,
        )
    )
    return cards.card(body)


NOT_REGISTERED = (
    "Hello! I couldn't find you in the council's organisation chart, so I can't help you yet. "
    "Please ask your HR team to add you to Charter, giving them your work email address. "
    "Once they have, just say hello again."
)

NOT_UNDERSTOOD = "Sorry, I didn't understand that. Type **help** to see what I can do."


def refusal(capability: Capability) -> str:
    """Why this person can't use a command: HR's things are for HR, managers' for managers."""
    if capability.audience is Audience.HR_ADMIN:
        return (
            f"Sorry, **{capability.title}** is for HR admins: it covers people across the "
            "council. If you need these figures, please ask your HR business partner. "
            "Type **help** to see what you can do."
        )
    return (
        f"Sorry, **{capability.title}** is for line managers, and nobody reports to you in "
        "the organisation chart. Type **help** to see what you can do."
    )
