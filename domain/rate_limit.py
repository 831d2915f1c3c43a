"""Pacing and retrying proactive sends to Teams.

Plain rules with injected time functions, so they can be tested without sleeping. Teams
accepts about 50 messages a second per app per tenant and 7 a second per conversation, and
answers 429 with Retry-After beyond that. A sender typically holds one ``TokenBucket`` for
the tenant and one ``KeyedBuckets`` for conversations, takes from both before each send, and
asks ``RetryPolicy.decide`` what to do with each answer.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Literal

# ``try_take`` never reports a wait of exactly 0.0 unless a token was taken.
_MIN_WAIT = 1e-6


class TokenBucket:
    """Up to ``capacity`` tokens, refilled at ``rate`` tokens a second; starts full.

    ``now`` returns seconds from any fixed origin (``time.monotonic`` in production). A clock
    that goes backwards adds no tokens.
    """

    def __init__(self, rate: float, capacity: float, now: Callable[[], float]) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be positive, got {rate}")
        if not capacity >= 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.rate = float(rate)
        self.capacity = float(capacity)
        self._now = now
        self._tokens = self.capacity
        self._updated = now()
        self.last_used = self._updated

    def _refill(self) -> float:
        now = self._now()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._updated = max(self._updated, now)
        return now

    @property
    def tokens(self) -> float:
        """Tokens available now."""
        self._refill()
        return self._tokens

    def try_take(self, n: float = 1) -> float:
        """Take ``n`` tokens: 0.0 if taken, else the seconds to wait until they are available."""
        if not 0 < n <= self.capacity:
            raise ValueError(f"n must be more than 0 and at most capacity {self.capacity}, got {n}")
        self.last_used = self._refill()
        if self._tokens >= n:
            self._tokens -= n
            return 0.0
        return max(_MIN_WAIT, (n - self._tokens) / self.rate)

    async def take(self, sleep: Callable[[float], Awaitable[None]], n: float = 1) -> None:
        """Wait (with ``sleep``, e.g. ``asyncio.sleep``) until ``n`` tokens are taken."""
        while (wait := self.try_take(n)) > 0:
            await sleep(wait)


class KeyedBuckets:
    """A ``TokenBucket`` per key (e.g. per conversation), created on first use."""

    def __init__(self, rate: float, capacity: float, now: Callable[[], float]) -> None:
        TokenBucket(rate, capacity, now)  # validate early
        self.rate = rate
        self.capacity = capacity
        self._now = now
        self._buckets: dict[Hashable, TokenBucket] = {}

    def bucket(self, key: Hashable) -> TokenBucket:
        found = self._buckets.get(key)
        if found is None:
            found = self._buckets[key] = TokenBucket(self.rate, self.capacity, self._now)
        return found

    def try_take(self, key: Hashable, n: float = 1) -> float:
        return self.bucket(key).try_take(n)

    async def take(
        self, key: Hashable, sleep: Callable[[float], Awaitable[None]], n: float = 1
    ) -> None:
        await self.bucket(key).take(sleep, n)

    def prune(self, idle_seconds: float) -> int:
        """Forget buckets unused for at least ``idle_seconds`` that have refilled; how many.

        A bucket still refilling is kept, so pruning never lets a key go faster than its rate.
        """
        now = self._now()
        idle = [
            key
            for key, bucket in self._buckets.items()
            if now - bucket.last_used >= idle_seconds and bucket.tokens >= bucket.capacity
        ]
        for key in idle:
            del self._buckets[key]
        return len(idle)

    def __len__(self) -> int:
        return len(self._buckets)

    def __contains__(self, key: object) -> bool:
        return key in self._buckets


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
        return r * min(self.max_delay, self.base_delay * 2**exponent)

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
