from __future__ import annotations

import pytest

from domain.rate_limit import (
    Decision,
    KeyedBuckets,
    RetryPolicy,
    TokenBucket,
    parse_retry_after,
)


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


# --- TokenBucket ----------------------------------------------------------------------------


def test_bucket_starts_full_and_allows_a_burst_of_capacity() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=7, capacity=7, now=clock)
    assert [bucket.try_take() for _ in range(7)] == [0.0] * 7
    assert bucket.try_take() == pytest.approx(1 / 7)


def test_bucket_refills_at_its_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=2, capacity=2, now=clock)
    bucket.try_take()
    bucket.try_take()
    assert bucket.try_take() == pytest.approx(0.5)
    clock.advance(0.25)
    assert bucket.try_take() == pytest.approx(0.25)
    clock.advance(0.25)
    assert bucket.try_take() == 0.0
    assert bucket.try_take() == pytest.approx(0.5)


def test_bucket_never_holds_more_than_capacity() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=50, capacity=5, now=clock)
    clock.advance(3600)
    assert bucket.tokens == 5
    assert [bucket.try_take() for _ in range(5)] == [0.0] * 5
    assert bucket.try_take() > 0


def test_failed_take_takes_nothing() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=1, capacity=1, now=clock)
    bucket.try_take()
    clock.advance(0.5)
    assert bucket.try_take() == pytest.approx(0.5)
    assert bucket.try_take() == pytest.approx(0.5)
    assert bucket.tokens == pytest.approx(0.5)


def test_a_clock_going_backwards_adds_nothing_and_never_gives_a_negative_wait() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=1, capacity=1, now=clock)
    bucket.try_take()
    clock.advance(-10)
    wait = bucket.try_take()
    assert wait == pytest.approx(1.0)
    clock.advance(10.5)
    assert bucket.try_take() == pytest.approx(0.5)


def test_taking_several_tokens() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=1, capacity=3, now=clock)
    assert bucket.try_take(2) == 0.0
    assert bucket.try_take(2) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        bucket.try_take(4)
    with pytest.raises(ValueError):
        bucket.try_take(0)


@pytest.mark.parametrize(("rate", "capacity"), [(0, 1), (-1, 1), (1, 0), (1, 0.5)])
def test_bucket_rejects_nonsense(rate: float, capacity: float) -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate, capacity, FakeClock())


async def test_take_sleeps_until_a_token_is_free() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=4, capacity=1, now=clock)
    await bucket.take(clock.sleep)
    assert clock.sleeps == []
    await bucket.take(clock.sleep)
    assert sum(clock.sleeps) == pytest.approx(0.25)
    assert all(s > 0 for s in clock.sleeps)


async def test_take_paces_a_stream_at_the_rate() -> None:
    clock = FakeClock(0.0)
    bucket = TokenBucket(rate=50, capacity=50, now=clock)
    for _ in range(150):
        await bucket.take(clock.sleep)
    # 50 at once, then 100 more at 50 a second.
    assert clock.t == pytest.approx(2.0)


# --- KeyedBuckets ---------------------------------------------------------------------------


def test_each_key_has_its_own_bucket() -> None:
    clock = FakeClock()
    buckets = KeyedBuckets(rate=7, capacity=7, now=clock)
    assert [buckets.try_take("a") for _ in range(7)] == [0.0] * 7
    assert buckets.try_take("a") > 0
    assert buckets.try_take("b") == 0.0
    assert len(buckets) == 2
    assert "a" in buckets
    assert "c" not in buckets


async def test_keyed_take() -> None:
    clock = FakeClock()
    buckets = KeyedBuckets(rate=1, capacity=1, now=clock)
    await buckets.take("a", clock.sleep)
    await buckets.take("a", clock.sleep)
    assert sum(clock.sleeps) == pytest.approx(1.0)


def test_prune_forgets_idle_refilled_buckets_only() -> None:
    clock = FakeClock()
    buckets = KeyedBuckets(rate=1, capacity=2, now=clock)
    buckets.try_take("old")
    clock.advance(60)
    buckets.try_take("recent")
    clock.advance(1)
    assert buckets.prune(idle_seconds=30) == 1
    assert "old" not in buckets
    assert "recent" in buckets


def test_prune_keeps_an_idle_bucket_that_is_still_refilling() -> None:
    clock = FakeClock()
    buckets = KeyedBuckets(rate=0.01, capacity=2, now=clock)  # 200 s to refill fully
    buckets.try_take("a")
    buckets.try_take("a")
    clock.advance(60)
    assert buckets.prune(idle_seconds=30) == 0
    clock.advance(140)
    assert buckets.prune(idle_seconds=30) == 1
    assert len(buckets) == 0


def test_keyed_buckets_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        KeyedBuckets(rate=0, capacity=1, now=FakeClock())


# --- RetryPolicy ----------------------------------------------------------------------------

POLICY = RetryPolicy()


def fixed(value: float):
    return lambda: value


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_success_is_done(status: int) -> None:
    decision = POLICY.decide(status, 1, None, fixed(0.5))
    assert decision == Decision("done", 0.0, f"HTTP {status}")


def test_429_honours_retry_after() -> None:
    decision = POLICY.decide(429, 1, 2.5, fixed(0.9))
    assert decision.action == "retry"
    assert decision.delay == 2.5
    assert "Retry-After" in decision.reason


def test_429_honours_a_long_retry_after_beyond_max_delay() -> None:
    assert POLICY.decide(429, 1, 120.0, fixed(0.9)).delay == 120.0


def test_429_negative_retry_after_means_now() -> None:
    assert POLICY.decide(429, 1, -3.0, fixed(0.9)).delay == 0.0


def test_429_without_retry_after_backs_off() -> None:
    decision = POLICY.decide(429, 3, None, fixed(0.5))
    assert decision.action == "retry"
    assert decision.delay == pytest.approx(0.5 * 0.5 * 4)


@pytest.mark.parametrize("status", [412, 502, 503, 504, None])
def test_transient_failures_back_off_exponentially_with_full_jitter(status: int | None) -> None:
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0)]:
        assert POLICY.decide(status, attempt, None, fixed(1.0)).delay == pytest.approx(ceiling)
        assert POLICY.decide(status, attempt, None, fixed(0.0)).delay == 0.0
        assert POLICY.decide(status, attempt, None, fixed(0.25)).delay == pytest.approx(ceiling / 4)
        assert POLICY.decide(status, attempt, None, fixed(0.25)).action == "retry"


def test_retry_after_is_ignored_for_other_retryable_statuses() -> None:
    assert POLICY.decide(503, 1, 20.0, fixed(1.0)).delay == pytest.approx(0.5)


def test_backoff_is_capped_at_max_delay() -> None:
    policy = RetryPolicy(max_attempts=100)
    assert policy.decide(503, 10, None, fixed(1.0)).delay == 30.0
    assert policy.decide(503, 99, None, fixed(1.0)).delay == 30.0
    assert policy.backoff(5000, fixed(1.0)) == 30.0


def test_jitter_stays_within_bounds() -> None:
    values = [i / 100 for i in range(101)]
    for attempt in range(1, 5):
        ceiling = min(30.0, 0.5 * 2 ** (attempt - 1))
        for v in values:
            delay = POLICY.decide(None, attempt, None, fixed(v)).delay
            assert 0.0 <= delay <= ceiling


def test_rand_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        POLICY.decide(503, 1, None, fixed(1.5))


@pytest.mark.parametrize("status", [403, 404])
def test_gone_is_undeliverable_and_never_retried(status: int) -> None:
    for attempt in (1, 5, 9):
        decision = POLICY.decide(status, attempt, None, fixed(0.5))
        assert decision.action == "undeliverable"
        assert decision.delay == 0.0


@pytest.mark.parametrize("status", [400, 401, 405, 409, 413, 500, 501, 301, 100])
def test_other_statuses_are_dead_lettered(status: int) -> None:
    decision = POLICY.decide(status, 1, None, fixed(0.5))
    assert decision.action == "dead_letter"
    assert decision.delay == 0.0
    assert "not retryable" in decision.reason


@pytest.mark.parametrize("status", [412, 429, 502, 503, 504, None])
def test_exhausted_attempts_are_dead_lettered(status: int | None) -> None:
    assert POLICY.decide(status, 4, 1.0, fixed(0.5)).action == "retry"
    decision = POLICY.decide(status, 5, 1.0, fixed(0.5))
    assert decision.action == "dead_letter"
    assert "gave up after 5 of 5" in decision.reason
    assert POLICY.decide(status, 6, 1.0, fixed(0.5)).action == "dead_letter"


def test_single_attempt_policy_never_retries() -> None:
    assert RetryPolicy(max_attempts=1).decide(503, 1, None, fixed(0.5)).action == "dead_letter"


def test_attempt_numbers_start_at_one() -> None:
    with pytest.raises(ValueError):
        POLICY.decide(503, 0, None, fixed(0.5))


@pytest.mark.parametrize(
    "overrides",
    [
        {"max_attempts": 0},
        {"base_delay": 0},
        {"base_delay": 40.0, "max_delay": 30.0},
        {"retry_statuses": frozenset({404, 429})},
    ],
)
def test_retry_policy_rejects_nonsense(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**overrides)


# --- parse_retry_after ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("2", 2.0),
        (" 10 ", 10.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("-3", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds
