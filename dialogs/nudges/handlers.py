"""The reminder digest's own buttons: Snooze 7 days and Done elsewhere."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from domain.people import Person
from services.registry import Services


async def snooze(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        until = await services.nudges.snooze(person.id, value.get("item_key"))
    except ValueError as refusal:
        await turn_context.send_activity(f"{refusal} Nothing was changed.")
        return
    await turn_context.send_activity(f"Snoozed: I won't mention it again before {until:%A %-d %B}.")


async def done_elsewhere(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        await services.nudges.done_elsewhere(person.id, value.get("item_key"), value.get("reason"))
    except ValueError as refusal:
        await turn_context.send_activity(str(refusal))
        return
    await turn_context.send_activity(
        "Thanks, noted as done elsewhere. I won't remind you about it."
    )
