"""A reply the Bot Connector throttled (429) is sent again once after its Retry-After; nothing
else is tried twice."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.teams.throttling import REPLY_WAIT_LIMIT_SECONDS, sent_despite_throttling


class Refused(Exception):
    def __init__(self, status: int, retry_after: str | None = None) -> None:
        super().__init__(f"HTTP {status}")
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.response = SimpleNamespace(status_code=status, headers=headers)


class Connector:
    """Answers each call with the next of ``answers``: an exception to raise, or a result."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def send(self) -> object:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def slept() -> list[float]:
    return []


def sleeper(slept: list[float]):  # type: ignore[no-untyped-def]
    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    return sleep


async def test_a_throttled_reply_is_sent_again_after_the_wait_it_was_given(
    slept: list[float],
) -> None:
    connector = Connector(Refused(429, "2"), ["sent"])
    assert await sent_despite_throttling(connector.send, sleep=sleeper(slept)) == ["sent"]
    assert connector.calls == 2 and slept == [2.0]


async def test_a_429_without_retry_after_waits_a_second(slept: list[float]) -> None:
    connector = Connector(Refused(429), ["sent"])
    await sent_despite_throttling(connector.send, sleep=sleeper(slept))
    assert slept == [1.0]


async def test_a_reply_is_tried_twice_at_most(slept: list[float]) -> None:
    connector = Connector(Refused(429, "1"), Refused(429, "1"), ["never"])
    with pytest.raises(Refused):
        await sent_despite_throttling(connector.send, sleep=sleeper(slept))
    assert connector.calls == 2


@pytest.mark.parametrize(
    "refusal",
    [
        Refused(429, str(REPLY_WAIT_LIMIT_SECONDS + 1)),  # longer than a turn can wait
        Refused(503, "1"),
        Refused(403),
        TimeoutError(),
    ],
)
async def test_other_failures_are_not_tried_again(slept: list[float], refusal: Exception) -> None:
    connector = Connector(refusal, ["never"])
    with pytest.raises(type(refusal)):
        await sent_despite_throttling(connector.send, sleep=sleeper(slept))
    assert connector.calls == 1 and slept == []
