from __future__ import annotations

import pytest

from domain.rate_limit import (
    Decision,
    RetryPolicy,
    parse_retry_after,
)

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
