"""The Bot Connector's answer to a call it refused, and a reply sent again once when it was
only throttled.

Teams limits a bot to about 50 messages a second per tenant and 7 per conversation, and
answers 429 with a Retry-After beyond them. At 09:00 the reminder senders use most of the
tenant's rate; a reply to someone talking to the bot then can meet a 429, and without a second
try they would get nothing (nor the apology, which meets the same limit). Microsoft's guidance
for bots is to wait as asked and try again. A 429 means the message was not taken, so sending
it again cannot duplicate it; any other failure is passed on as it was (no hidden retries).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from domain.rate_limit import parse_retry_after

log = logging.getLogger(__name__)

THROTTLED = 429
# The longest Retry-After a reply waits for (a turn has Teams' 15 seconds in all); the
# connector's usual is 1 second. Beyond it the failure stands, as for any other.
REPLY_WAIT_LIMIT_SECONDS = 3.0
# The wait when a 429 names none.
DEFAULT_WAIT_SECONDS = 1.0

Sent = TypeVar("Sent")


def connector_answer(error: BaseException) -> tuple[int | None, float | None]:
    """The HTTP status of the connector's refusal in ``error`` (None for a network error) and
    the seconds its Retry-After asks for (None if it names none)."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    return status, parse_retry_after(headers.get("Retry-After") if headers else None)


async def sent_despite_throttling(
    send: Callable[[], Awaitable[Sent]],
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Sent:
    """``send()``, and once more after the connector's Retry-After if it answered 429 and asked
    for no more than :data:`REPLY_WAIT_LIMIT_SECONDS`."""
    try:
        return await send()
    except Exception as error:
        status, retry_after = connector_answer(error)
        wait = DEFAULT_WAIT_SECONDS if retry_after is None else retry_after
        if status != THROTTLED or wait > REPLY_WAIT_LIMIT_SECONDS:
            raise
    log.info("reply throttled by the Bot Connector: sending it again in %.1f s", wait)
    await sleep(wait)
    return await send()
