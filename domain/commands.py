"""What people can ask Charter to do, and how their words map to it.

One registry drives the help card, the welcome card, the text shortcuts and (checked by a
test) the Teams app manifest's command list.
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


@dataclass(frozen=True)
class Capability:
    command: str  # canonical name; also the Action.Submit payload
    title: str  # button label and manifest command title
    description: str
    aliases: tuple[str, ...] = ()
    audience: Audience = Audience.EVERYONE

    def available_to(self, person: Person) -> bool:
        if self.audience is Audience.MANAGER:
            return person.is_manager
        if self.audience is Audience.HR_ADMIN:
            return person.is_hr_admin
        return True


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "help",
        "help",
        "What I can do for you",
        aliases=("?", "menu", "commands", "what can you do", "hi", "hello", "hey", "start"),
    ),
    Capability(
        "log_one_to_one",
        "log 1:1",
        "Log a one-to-one with someone in your team (add a name and a day: log 1:1 with Sam "
        "yesterday)",
        aliases=(
            "log one-to-one",
            "log a one-to-one",
            "log one to one",
            "log a 1:1",
            "log 121",
            "log 1-2-1",
            "log supervision",
            "1:1",
            "one-to-one",
            "new 1:1",
            "record 1:1",
        ),
        audience=Audience.MANAGER,
    ),
    Capability(
        "one_to_ones",
        "one-to-ones",
        "Recent one-to-ones with someone in your team (one-to-ones with Sam)",
        aliases=("1:1s", "supervisions", "team one-to-ones", "one to ones", "121s"),
        audience=Audience.MANAGER,
    ),
    Capability(
        "my_one_to_ones",
        "my one-to-ones",
        "Your own one-to-ones: the notes shared with you and your actions",
        aliases=("my 1:1s", "my one to ones", "my supervisions", "my 121s"),
    ),
    Capability(
        "my_actions",
        "my actions",
        "Actions agreed at one-to-ones that are yours to do",
        aliases=("actions", "my to-dos", "my todo", "my tasks"),
    ),
    Capability(
        "whoami",
        "who am I",
        "How Charter sees you: your role, manager and team",
        aliases=("whoami", "me", "my profile", "profile"),
    ),
    Capability(
        "feedback",
        "feedback",
        "Tell HR what works and what doesn't in Charter",
        aliases=("give feedback", "send feedback"),
    ),
    Capability(
        "cancel",
        "cancel",
        "Stop what we are doing",
        aliases=("stop", "quit", "exit", "never mind", "nevermind", "abort"),
    ),
)

_BY_PHRASE: dict[str, Capability] = {}
for _cap in CAPABILITIES:
    for _phrase in (_cap.command, _cap.title, *_cap.aliases):
        _BY_PHRASE[_phrase.lower()] = _cap

_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")


def normalise_text(text: str | None) -> str:
    """Lower-case, mention-free, single-spaced text with trailing punctuation dropped."""
    cleaned = _MENTION.sub(" ", text or "")
    cleaned = _SPACES.sub(" ", cleaned).strip().lower()
    return cleaned.rstrip(".!?") or cleaned


def match_command(text: str | None) -> Capability | None:
    """The capability a message asks for, or None if it is not a command."""
    return _BY_PHRASE.get(normalise_text(text))


def capability(command: str) -> Capability | None:
    return next((c for c in CAPABILITIES if c.command == command), None)


def capabilities_for(person: Person) -> list[Capability]:
    return [c for c in CAPABILITIES if c.available_to(person)]
