"""What a command is (its words, title and who may use it), and how typed words are tidied.

Each chat feature declares its own commands beside its handlers (``dialogs/<feature>/routes.py``);
the route table built from them drives the help card, the welcome card, the recogniser and the
Teams app manifest's command list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from domain.people import Person


class Audience(StrEnum):
    EVERYONE = "everyone"
    MANAGER = "manager"
    HR_ADMIN = "hr_admin"
    MANAGER_OR_HR = "manager_or_hr"

    def admits(self, person: Person) -> bool:
        """Whether the person's own roles let them use a command for this audience."""
        if self is Audience.MANAGER:
            return person.is_manager
        if self is Audience.HR_ADMIN:
            return person.is_hr_admin
        if self is Audience.MANAGER_OR_HR:
            return person.is_manager or person.is_hr_admin
        return True

    @property
    def open_to_acting_managers(self) -> bool:
        """An acting manager may use managers' commands while their delegation is in force."""
        return self in (Audience.MANAGER, Audience.MANAGER_OR_HR)


@dataclass(frozen=True)
class Capability:
    command: str  # canonical name; also the Action.Submit payload
    title: str  # button label and manifest command title
    description: str
    aliases: tuple[str, ...] = ()
    audience: Audience = Audience.EVERYONE
    # In the Teams app manifest's command list (at most 12) and the help card's buttons.
    listed: bool = True
    # Phrases that take a name after them: "objectives for Rhys".
    named: tuple[str, ...] = ()
    # The help card's heading this capability is listed under.
    section: str = "Charter"
    # The shorter line the Teams app manifest's command menu shows (listed commands only).
    menu_description: str = ""

    def available_to(self, person: Person) -> bool:
        return self.audience.admits(person)

    @property
    def phrases(self) -> tuple[str, ...]:
        """Everything that, typed on its own, asks for this command."""
        return (self.command, self.title, *self.aliases)


_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")


def normalise_text(text: str | None) -> str:
    """Lower-case, mention-free, single-spaced text with trailing punctuation dropped."""
    cleaned = _MENTION.sub(" ", text or "")
    cleaned = _SPACES.sub(" ", cleaned).strip().lower()
    return cleaned.rstrip(".!?") or cleaned


def without_mentions(text: str | None) -> str:
    """The message as typed, case kept, with @mentions removed and spaces collapsed."""
    return _SPACES.sub(" ", _MENTION.sub(" ", text or "")).strip()


def forced_question(text: str | None) -> str | None:
    """The question in "ask <question>", as typed; None when the message isn't one."""
    cleaned = without_mentions(text)
    if cleaned[:4].lower() == "ask " and cleaned[4:].strip():
        return cleaned[4:].strip()
    return None
