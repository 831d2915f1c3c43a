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
    MANAGER_OR_HR = "manager_or_hr"


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

    def available_to(self, person: Person) -> bool:
        if self.audience is Audience.MANAGER:
            return person.is_manager
        if self.audience is Audience.HR_ADMIN:
            return person.is_hr_admin
        if self.audience is Audience.MANAGER_OR_HR:
            return person.is_manager or person.is_hr_admin
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
        section="One-to-ones",
    ),
    Capability(
        "one_to_ones",
        "one-to-ones",
        "Recent one-to-ones with someone in your team (one-to-ones with Sam)",
        aliases=("1:1s", "supervisions", "team one-to-ones", "one to ones", "121s"),
        audience=Audience.MANAGER,
        section="One-to-ones",
    ),
    Capability(
        "my_one_to_ones",
        "my one-to-ones",
        "Your own one-to-ones: the notes shared with you and your actions",
        aliases=("my 1:1s", "my one to ones", "my supervisions", "my 121s"),
        section="One-to-ones",
    ),
    Capability(
        "my_actions",
        "my actions",
        "Actions agreed at one-to-ones that are yours to do",
        aliases=("actions", "my to-dos", "my todo", "my tasks"),
        section="One-to-ones",
    ),
    Capability(
        "add_objective",
        "add objective",
        "Record an objective linked to the council's plans (the golden thread)",
        aliases=("add an objective", "new objective", "set an objective", "set objective"),
        section="Objectives and APRs",
    ),
    Capability(
        "my_objectives",
        "my objectives",
        "Your objectives, their status and progress",
        aliases=("objectives", "my goals", "show my objectives"),
        section="Objectives and APRs",
    ),
    Capability(
        "update_objective",
        "update objective",
        "Record progress on an objective (percentage, RAG status, comment)",
        aliases=("update my objective", "update objectives", "update progress", "progress"),
        listed=False,
        section="Objectives and APRs",
    ),
    Capability(
        "objectives_for",
        "objectives for",
        "See and agree a report's objectives (objectives for Sam)",
        aliases=("team objectives",),
        audience=Audience.MANAGER,
        listed=False,
        named=("objectives for", "objectives of", "show objectives for"),
        section="Objectives and APRs",
    ),
    Capability(
        "propose_objective",
        "propose objective",
        "Propose an objective for someone in your team (propose objective for Sam)",
        aliases=("propose an objective",),
        audience=Audience.MANAGER,
        listed=False,
        named=("propose objective for", "propose an objective for", "suggest an objective for"),
        section="Objectives and APRs",
    ),
    Capability(
        "prepare_apr",
        "prepare my APR",
        "Get ready for your Annual Performance Review: a self-assessment your manager sees",
        aliases=("prepare apr", "prepare for my apr", "my apr", "apr prep", "appraisal prep"),
        section="Objectives and APRs",
    ),
    Capability(
        "record_apr",
        "record APR",
        "Record an Annual Performance Review for someone in your team (record APR for Sam)",
        aliases=("record an apr", "log apr", "log an apr", "new apr"),
        audience=Audience.MANAGER,
        named=("record apr for", "record an apr for", "record apr with", "log apr for", "apr for"),
        section="Objectives and APRs",
    ),
    Capability(
        "log_rtw",
        "log return to work",
        "Record the return-to-work conversation after someone's sickness absence",
        aliases=("log rtw", "return to work", "rtw", "log a return to work"),
        audience=Audience.MANAGER,
        named=(
            "log return to work for",
            "log return to work with",
            "log rtw for",
            "return to work for",
            "rtw for",
            "rtw with",
        ),
        section="Absence",
    ),
    Capability(
        "record_absence",
        "record absence",
        "Someone in your team is off sick (or say: Sam is off sick)",
        aliases=("off sick", "record sickness", "someone is off sick"),
        audience=Audience.MANAGER,
        listed=False,
        named=("record absence for", "record sickness for", "absence for"),
        section="Absence",
    ),
    Capability(
        "back_at_work",
        "back at work",
        "Someone is back after sickness (or say: Sam is back)",
        aliases=("someone is back",),
        audience=Audience.MANAGER,
        listed=False,
        named=("back at work",),
        section="Absence",
    ),
    Capability(
        "absences_for",
        "absences for",
        "Someone's absence in the last 12 months and where they stand on trigger points",
        audience=Audience.MANAGER_OR_HR,
        listed=False,
        named=("absences for", "sickness record for", "absence record for"),
        section="Absence",
    ),
    Capability(
        "my_absence",
        "my absence",
        "Your own absence record and return-to-work conversations",
        aliases=("my absences", "my sickness", "my sickness record"),
        listed=False,
        section="Absence",
    ),
    Capability(
        "my_team",
        "my team",
        "Your team at a glance: one-to-ones, APRs, return to work, objectives and sickness, "
        "with the next thing to do for each person",
        aliases=("team", "my team at a glance", "team overview", "show my team", "my reports"),
        audience=Audience.MANAGER,
        listed=False,
        section="Your team",
    ),
    Capability(
        "team_for",
        "team for",
        "The team of a manager below you in the organisation chart (team for Priya)",
        audience=Audience.MANAGER_OR_HR,
        listed=False,
        named=("team for", "team of", "show team for", "my team for"),
        section="Your team",
    ),
    Capability(
        "delegate",
        "delegate my team",
        "Hand your team to an acting manager while you are away (delegate my team to Sam "
        "until 10 January)",
        aliases=("delegate", "delegation", "delegate team"),
        audience=Audience.MANAGER_OR_HR,
        listed=False,
        section="Your team",
    ),
    Capability(
        "who_is_acting",
        "who is acting for me",
        "Who is acting manager for your team, and whose team you are acting for",
        aliases=("who is acting", "delegations", "my delegations", "acting manager"),
        audience=Audience.MANAGER_OR_HR,
        listed=False,
        section="Your team",
    ),
    Capability(
        "end_delegation",
        "end delegation",
        "End a delegation now (or stand down as acting manager)",
        aliases=("stop delegation", "end my delegation", "cancel delegation", "end delegations"),
        audience=Audience.MANAGER_OR_HR,
        listed=False,
        section="Your team",
    ),
    Capability(
        "scorecard",
        "scorecard",
        "For HR and heads of service: the balanced scorecard's people measures against "
        "their targets (scorecard for Community Services)",
        aliases=("balanced scorecard", "people scorecard", "my scorecard"),
        audience=Audience.MANAGER_OR_HR,
        listed=False,
        named=("scorecard for", "balanced scorecard for"),
        section="Your team",
    ),
    Capability(
        "compliance",
        "compliance",
        "For HR: are one-to-ones regular, APRs done, return-to-work conversations on time and "
        "objectives agreed, by department and for the council",
        aliases=("compliance report", "hr compliance", "show compliance"),
        audience=Audience.HR_ADMIN,
        listed=False,
        section="HR reports",
    ),
    Capability(
        "ask",
        "ask",
        "Ask what good looks like, in your own words (ask how often should I hold "
        "one-to-ones?). Any message that isn't a command is taken as a question.",
        aliases=("what good looks like", "ask a question"),
        listed=False,
        section="What good looks like",
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
        listed=False,
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


def without_mentions(text: str | None) -> str:
    """The message as typed, case kept, with @mentions removed and spaces collapsed."""
    return _SPACES.sub(" ", _MENTION.sub(" ", text or "")).strip()


def forced_question(text: str | None) -> str | None:
    """The question in "ask <question>", as typed; None when the message isn't one."""
    cleaned = without_mentions(text)
    if cleaned[:4].lower() == "ask " and cleaned[4:].strip():
        return cleaned[4:].strip()
    return None


def match_command(text: str | None) -> Capability | None:
    """The capability a message asks for, or None if it is not a command."""
    return _BY_PHRASE.get(normalise_text(text))


def match_named_command(text: str | None) -> tuple[Capability, str] | None:
    """A command followed by a person's name, e.g. "objectives for rhys" -> (…, "rhys")."""
    cleaned = normalise_text(text)
    for cap in CAPABILITIES:
        for prefix in cap.named:
            if cleaned.startswith(prefix + " "):
                name = cleaned[len(prefix) + 1 :].strip()
                if name:
                    return cap, name
    return None


def capability(command: str) -> Capability | None:
    return next((c for c in CAPABILITIES if c.command == command), None)


def capabilities_for(person: Person) -> list[Capability]:
    return [c for c in CAPABILITIES if c.available_to(person)]
