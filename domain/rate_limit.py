"""Retrying proactive sends to Teams.

Plain rules with an injected random source, so they can be tested without sleeping. Teams
answers 429 with Retry-After when a sender goes faster than it allows (pacing lives with the
sender, ``bot.jobs``); the sender asks ``RetryPolicy.decide`` what to do with each answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

# --- Retrying ----------------------------------------------------------------------------------

Action = Literal["done", "retry", "undeliverable", "dead_letter"]


@dataclass(frozen=True)
class Decision:
    action: Action
    delay: float  # seconds to wait before retrying; 0 unless action == "retry"
    reason: str


@dataclass(frozen=True)
class RetryPolicy:
    """What to do with the answer to one send attempt.

    * 2xx: done.
    * 429: retry after Retry-After; without it, as below.
    * 412, 502, 503, 504, or no answer (None: network error or timeout): retry with
      exponential backoff and full jitter: ``rand() * min(max_delay, base_delay * 2**(a-1))``
      where ``a`` is the attempt that just failed (1 for the first).
    * 403, 404 (app not installed, bot blocked, conversation gone): undeliverable.
    * Anything else (other 4xx, other 5xx, 1xx, 3xx): dead_letter — a bug, not worth retrying.
    * A retryable answer to attempt ``max_attempts`` or later: dead_letter.
    """

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    retry_statuses: frozenset[int] = frozenset({412, 429, 502, 503, 504})
    gone_statuses: frozenset[int] = frozenset({403, 404})

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if not 0 < self.base_delay <= self.max_delay:
            raise ValueError(
                "delays need 0 < base_delay <= max_delay, "
                f"got {self.base_delay} and {self.max_delay}"
            )
        object.__setattr__(self, "retry_statuses", frozenset(self.retry_statuses))
        object.__setattr__(self, "gone_statuses", frozenset(self.gone_statuses))
        both = self.retry_statuses & self.gone_statuses
        if both:
            raise ValueError(f"statuses both retried and undeliverable: {sorted(both)}")

    def backoff(self, attempt: int, rand: Callable[[], float]) -> float:
        """Full-jitter exponential delay after failed attempt ``attempt`` (1-based)."""
        r = rand()
        if not 0.0 <= r <= 1.0:
            raise ValueError(f"rand() must return a number in [0, 1], got {r}")
        exponent = min(attempt - 1, 64)  # beyond this the cap applies anyway
        return r * min(self.max_delay, self.base_delay * 2.0**exponent)

    def decide(
        self,
        status: int | None,
        attempt: int,
        retry_after: float | None,
        rand: Callable[[], float],
    ) -> Decision:
        """``attempt`` is the 1-based number of the attempt that got ``status``."""
        if attempt < 1:
            raise ValueError(f"attempt must be at least 1, got {attempt}")
        what = "no response" if status is None else f"HTTP {status}"
        if status is not None and 200 <= status < 300:
            return Decision("done", 0.0, what)
        if status is not None and status in self.gone_statuses:
            return Decision("undeliverable", 0.0, f"{what}: recipient cannot be reached")
        if status is not None and status not in self.retry_statuses:
            return Decision("dead_letter", 0.0, f"{what}: not retryable")
        if attempt >= self.max_attempts:
            return Decision(
                "dead_letter", 0.0, f"{what}: gave up after {attempt} of {self.max_attempts}"
            )
        if status == 429 and retry_after is not None and math.isfinite(retry_after):
            delay = max(0.0, retry_after)
            return Decision("retry", delay, f"{what}: throttled, Retry-After {delay:g}s")
        delay = self.backoff(attempt, rand)
        return Decision("retry", delay, f"{what}: backing off {delay:.2f}s (attempt {attempt})")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header ("2", "1.5"); None if absent or an HTTP date.

    A negative number counts as 0 (retry now).
    """
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None  # an HTTP date, or rubbish: fall back to backoff
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)
