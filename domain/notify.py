"""Sending a message to someone outside the current conversation (proactively).

The domain only knows this protocol; the bot layer implements it with stored Teams
conversation references.
"""

from __future__ import annotations

from typing import Any, Protocol


class Notifier(Protocol):
    async def send_card(self, employee_pk: int, card: dict[str, Any], summary: str) -> bool:
        """Send an Adaptive Card to the employee; False if they cannot be reached yet."""
        ...
