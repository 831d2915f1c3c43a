"""#15: complementary suppression only where a hidden figure could be worked out, and every
hidden figure says why."""

from __future__ import annotations

from domain.compliance import HIDDEN_COMPLEMENTARY, HIDDEN_SMALL, Share, suppress_column


def test_the_next_smallest_is_hidden_only_when_the_council_figure_would_reveal_it() -> None:
    # A one-person department hidden alone: the next smallest (7), not the largest, goes too.
    tiny, big, other = suppress_column([Share(0, 1, 1), Share(15, 19, 19), Share(6, 7, 7)])
    assert tiny.explained() == HIDDEN_SMALL
    assert other.suppressed and other.explained() == HIDDEN_COMPLEMENTARY
    assert not big.suppressed and big.explained() == "79% (15 of 19)"


def test_nothing_more_is_hidden_when_the_council_figure_is_hidden_too() -> None:
    # Fewer than 5 people in all: the council figure is hidden, so nothing can be subtracted.
    small, smaller = suppress_column([Share(1, 2, 2), Share(0, 1, 1)])
    assert small.explained() == smaller.explained() == HIDDEN_SMALL
    assert not small.complementary and not smaller.complementary


def test_two_hidden_groups_need_no_third() -> None:
    a, b, c = suppress_column([Share(1, 2, 2), Share(0, 1, 1), Share(5, 9, 9)])
    assert a.suppressed and b.suppressed and not c.suppressed
