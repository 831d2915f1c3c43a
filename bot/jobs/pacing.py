"""Pacing sends evenly, just under Teams' limits (~50 messages a second per app per tenant,
7 a second per conversation)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class Pacer:
    """Lets sends go one at a time, ``1 / rate`` seconds apart on average, in arrival order.

    Slots follow an even timeline, so a waiter woken a little late (a busy event loop) does
    not push every later slot back. But at most half a slot of lateness is made up: after a
    stall the waiters go out spaced again, not in a burst. So any one-second window sees at
    most ``rate`` sends plus one and a half, unlike a token bucket that starts full, which is
    what a sliding-window limit like Teams' needs.
    """

    def __init__(
        self,
        rate: float,
        monotonic: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.interval = 1.0 / rate
        self._slack = self.interval / 2
        self._monotonic = monotonic
        self._sleep = sleep
        self._queue = asyncio.Lock()  # waiters are served in order
        self._next = float("-inf")

    async def wait(self) -> None:
        async with self._queue:
            now = self._monotonic()
            slot = max(self._next, now - self._slack)
            if slot > now:
                await self._sleep(slot - now)
            self._next = slot + self.interval


class TeamsPace:
    """The tenant's pace and one pace per conversation, at ``headroom`` under the limits:
    paced evenly a little under them, network jitter never puts more than the limit into one
    second of the connector's sliding window."""

    def __init__(
        self,
        *,
        tenant_rate: float,
        conversation_rate: float,
        headroom: float,
        monotonic: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        if not 0 < headroom <= 1:
            raise ValueError(f"headroom must be in (0, 1], got {headroom}")
        self._tenant = Pacer(tenant_rate * headroom, monotonic, sleep)
        self._conversation_rate = conversation_rate * headroom
        self._conversations: dict[str, Pacer] = {}
        self._monotonic = monotonic
        self._sleep = sleep

    def ready(self, conversation: str) -> Callable[[], Awaitable[None]]:
        """What a send awaits just before its message goes out."""
        pacer = self._conversations.get(conversation)
        if pacer is None:
            pacer = self._conversations[conversation] = Pacer(
                self._conversation_rate, self._monotonic, self._sleep
            )

        async def paced() -> None:
            # The conversation first, so a wait there never wastes a tenant slot.
            await pacer.wait()
            await self._tenant.wait()

        return paced
