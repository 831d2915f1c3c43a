"""The reminder digest's own buttons: Snooze 7 days and Done elsewhere. A reminder that
isn't theirs, or a missing reason, is answered by the router's error boundary."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from domain.people import Person
from services.registry import Services


async def snooze(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    until = await services.nudges.snooze(person.id, value.get("item_key"))
    await turn_context.send_activity(f"Snoozed: I won't mention it again before {until:%A %-d %B}.")


async def done_elsewhere(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    await services.nudges.done_elsewhere(person.id, value.get("item_key"), value.get("reason"))
    await turn_context.send_activity(
        "Thanks, noted as done elsewhere. I won't remind you about it."
    )
