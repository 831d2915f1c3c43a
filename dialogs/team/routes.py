"""The team routes: my team, teams below me, delegation to an acting manager, HR reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.routes import Phrase, Request, Route, command, for_form, for_named, for_person, submit
from dialogs.team import handlers, hr_report_handlers, views
from domain.commands import Audience, Capability
from domain.delegation_phrases import parse_delegation_request

MY_TEAM = Capability(
    "my_team",
    "my team",
    "Your team at a glance: one-to-ones, APRs, return to work, objectives and sickness, "
    "with the next thing to do for each person",
    aliases=("team", "my team at a glance", "team overview", "show my team", "my reports"),
    audience=Audience.MANAGER,
    listed=False,
    section="Your team",
)


TEAM_FOR = Capability(
    "team_for",
    "team for",
    "The team of a manager below you in the organisation chart (team for Priya)",
    audience=Audience.MANAGER_OR_HR,
    listed=False,
    named=("team for", "team of", "show team for", "my team for"),
    section="Your team",
)


DELEGATE = Capability(
    "delegate",
    "delegate my team",
    "Hand your team to an acting manager while you are away (delegate my team to Sam "
    "until 10 January)",
    aliases=("delegate", "delegation", "delegate team"),
    audience=Audience.MANAGER_OR_HR,
    listed=False,
    section="Your team",
)


WHO_IS_ACTING = Capability(
    "who_is_acting",
    "who is acting for me",
    "Who is acting manager for your team, and whose team you are acting for",
    aliases=(
        "who is acting",
        "delegations",
        "my delegations",
        "acting manager",
        "who is acting manager for me",
        "who is acting manager",
        "who is acting for my team",
    ),
    audience=Audience.MANAGER_OR_HR,
    listed=False,
    section="Your team",
)


END_DELEGATION = Capability(
    "end_delegation",
    "end delegation",
    "End a delegation now (or stand down as acting manager)",
    aliases=("stop delegation", "end my delegation", "cancel delegation", "end delegations"),
    audience=Audience.MANAGER_OR_HR,
    listed=False,
    section="Your team",
)


SCORECARD = Capability(
    "scorecard",
    "scorecard",
    "For HR and heads of service: the balanced scorecard's people measures against "
    "their targets (scorecard for Community Services)",
    aliases=("balanced scorecard", "people scorecard", "my scorecard"),
    audience=Audience.MANAGER_OR_HR,
    listed=False,
    named=("scorecard for", "balanced scorecard for"),
    section="Your team",
)


COMPLIANCE = Capability(
    "compliance",
    "compliance",
    "For HR: are one-to-ones regular, APRs done, return-to-work conversations on time and "
    "objectives agreed, by department and for the council",
    aliases=("compliance report", "hr compliance", "show compliance"),
    audience=Audience.HR_ADMIN,
    listed=False,
    section="HR reports",
)


def _delegation_phrase(text: str, today: date) -> dict[str, Any] | None:
    """ "delegate my team to Sam until Friday": the handler reads the words again."""
    return {"text": text} if parse_delegation_request(text, today) is not None else None


async def _delegate(request: Request) -> None:
    await handlers.delegate(
        request.turn_context, request.services, request.person, request.options.get("text")
    )


ROUTES: tuple[Route, ...] = (
    command(MY_TEAM, for_person(handlers.my_team)),
    command(TEAM_FOR, for_named(handlers.team_for)),
    command(DELEGATE, _delegate, phrase=Phrase(_delegation_phrase, rank=10), changes=True),
    command(WHO_IS_ACTING, for_person(handlers.who_is_acting)),
    command(END_DELEGATION, for_person(handlers.end_delegation)),
    command(SCORECARD, for_named(hr_report_handlers.scorecard)),
    command(COMPLIANCE, for_person(hr_report_handlers.compliance)),
    submit(views.END_DELEGATION, for_form(handlers.submit_end_delegation)),
    submit(views.CONFIRM_DELEGATION, for_form(handlers.confirm_delegation)),
)
