from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.triggers import (
    AbsenceSpell,
    TriggerPolicy,
    bradford_factor,
    find_overlaps,
    ordinal,
    prorated_days_in_window,
    trigger_status,
)

AS_OF = date(2026, 6, 30)
WINDOW_START = date(2025, 7, 1)  # 365 days ending on AS_OF, both included


def spell(
    start: date,
    days: int,
    lost: int | None = None,
    *,
    disability_related: bool = False,
    kind: str = "sickness",
) -> AbsenceSpell:
    """A closed spell of ``days`` calendar days; working days lost default to the same."""
    end = start + timedelta(days=days - 1)
    lost = days if lost is None else lost
    return AbsenceSpell(start, end, lost, disability_related=disability_related, kind=kind)


def test_window_is_the_365_days_ending_on_as_of() -> None:
    status = trigger_status([], as_of=AS_OF)
    assert status.window_start == WINDOW_START
    assert status.window_end == AS_OF
    assert (status.window_end - status.window_start).days + 1 == 365
    assert status.occasions == 0
    assert not status.reached


def test_a_spell_ending_the_day_before_the_window_does_not_count() -> None:
    status = trigger_status([AbsenceSpell(date(2025, 6, 28), date(2025, 6, 30), 3)], as_of=AS_OF)
    assert status.occasions == 0
    assert status.working_days_lost == 0


def test_a_spell_starting_on_the_window_start_counts_in_full() -> None:
    status = trigger_status([AbsenceSpell(WINDOW_START, date(2025, 7, 3), 3)], as_of=AS_OF)
    assert status.occasions == 1
    assert status.working_days_lost == 3


def test_a_spell_straddling_the_window_start_is_prorated() -> None:
    # Six calendar days, three of them inside the window: 4 x 3/6 = 2.
    straddling = AbsenceSpell(date(2025, 6, 28), date(2025, 7, 3), 4)
    status = trigger_status([straddling], as_of=AS_OF)
    assert status.occasions == 1
    assert status.working_days_lost == 2


def test_prorating_rounds_half_up() -> None:
    # Four calendar days, two inside: 3 x 2/4 = 1.5, rounded up to 2.
    straddling = AbsenceSpell(date(2025, 6, 29), date(2025, 7, 2), 3)
    assert prorated_days_in_window(straddling, WINDOW_START, AS_OF) == 2
    # 1 x 1/4 = 0.25 rounds down to 0 but the spell is still an occasion.
    tail = AbsenceSpell(date(2025, 6, 28), date(2025, 7, 1), 1)
    assert prorated_days_in_window(tail, WINDOW_START, AS_OF) == 0
    assert trigger_status([tail], as_of=AS_OF).occasions == 1


def test_a_custom_days_in_window_callable_is_used() -> None:
    seen = []

    def exact(s: AbsenceSpell, start: date, end: date) -> int:
        seen.append((start, end))
        return 1

    straddling = AbsenceSpell(date(2025, 6, 28), date(2025, 7, 3), 4)
    status = trigger_status([straddling], as_of=AS_OF, days_in_window=exact)
    assert status.working_days_lost == 1
    assert seen == [(WINDOW_START, AS_OF)]


def test_spells_after_as_of_and_other_kinds_do_not_count() -> None:
    spells = [
        spell(date(2026, 7, 1), 2),  # after as_of
        spell(date(2026, 3, 2), 5, kind="annual_leave"),
        spell(date(2026, 3, 16), 2, kind="Sickness"),
    ]
    status = trigger_status(spells, as_of=AS_OF)
    assert status.occasions == 1
    assert status.working_days_lost == 2


def test_an_ongoing_spell_is_an_occasion() -> None:
    ongoing = AbsenceSpell(date(2026, 6, 22), None, 7)
    status = trigger_status([ongoing], as_of=AS_OF)
    assert status.occasions == 1
    assert status.working_days_lost == 7
    assert not status.long_term


def test_occasions_threshold_is_reached_at_exactly_three() -> None:
    two = [spell(date(2025, 9, 1), 1), spell(date(2025, 12, 1), 1)]
    three = [*two, spell(date(2026, 3, 2), 1)]
    assert not trigger_status(two, as_of=AS_OF).occasions_reached
    status = trigger_status(three, as_of=AS_OF)
    assert status.occasions_reached
    assert not status.days_reached
    assert status.reached


def test_days_threshold_is_reached_at_exactly_eight() -> None:
    assert not trigger_status([spell(date(2026, 3, 2), 9, lost=7)], as_of=AS_OF).days_reached
    status = trigger_status([spell(date(2026, 3, 2), 10, lost=8)], as_of=AS_OF)
    assert status.days_reached
    assert not status.occasions_reached
    assert status.reached


def test_bradford_factor() -> None:
    assert bradford_factor(3, 8) == 72
    assert bradford_factor(1, 8) == 8
    assert bradford_factor(0, 0) == 0
    with pytest.raises(ValueError, match="negative"):
        bradford_factor(-1, 2)


def test_bradford_factor_is_information_against_an_optional_threshold() -> None:
    spells = [spell(date(2025, 9, 1), 3), spell(date(2025, 12, 1), 3), spell(date(2026, 3, 2), 2)]
    status = trigger_status(spells, as_of=AS_OF)
    assert status.bradford_factor == 72
    assert not status.bradford_reached
    policy = TriggerPolicy(bradford_threshold=72)
    assert trigger_status(spells, as_of=AS_OF, policy=policy).bradford_reached
    policy = TriggerPolicy(bradford_threshold=73)
    assert not trigger_status(spells, as_of=AS_OF, policy=policy).bradford_reached


def test_disability_related_absence_is_shown_but_not_counted_by_default() -> None:
    spells = [
        spell(date(2025, 9, 1), 2),
        spell(date(2025, 12, 1), 4, disability_related=True),
        spell(date(2026, 3, 2), 3),
    ]
    status = trigger_status(spells, as_of=AS_OF)
    assert (status.occasions, status.working_days_lost) == (2, 5)
    assert (status.disability_occasions, status.disability_days) == (1, 4)
    assert status.bradford_factor == 20
    assert not status.reached


def test_disability_related_absence_is_counted_when_the_policy_says_so() -> None:
    spells = [
        spell(date(2025, 9, 1), 2),
        spell(date(2025, 12, 1), 4, disability_related=True),
        spell(date(2026, 3, 2), 3),
    ]
    policy = TriggerPolicy(count_disability_related=True)
    status = trigger_status(spells, as_of=AS_OF, policy=policy)
    assert (status.occasions, status.working_days_lost) == (3, 9)
    assert (status.disability_occasions, status.disability_days) == (1, 4)
    assert status.occasions_reached and status.days_reached
    assert "not counted" not in status.describe()


def test_long_term_spell_in_the_window() -> None:
    assert not trigger_status([spell(date(2026, 3, 2), 28)], as_of=AS_OF).long_term
    assert trigger_status([spell(date(2026, 3, 2), 29)], as_of=AS_OF).long_term
    ongoing = AbsenceSpell(AS_OF - timedelta(days=28), None, 21)
    assert trigger_status([ongoing], as_of=AS_OF).long_term


def test_describe_when_reached() -> None:
    spells = [spell(date(2025, 9, 1), 3), spell(date(2025, 12, 1), 3), spell(date(2026, 3, 2), 2)]
    assert trigger_status(spells, as_of=AS_OF).describe() == (
        "3rd occasion in 12 months (8 working days): trigger point reached"
        " \u2014 consider an attendance review meeting under the policy."
    )


def test_describe_when_below() -> None:
    spells = [spell(date(2025, 9, 1), 3), spell(date(2026, 3, 2), 2)]
    assert trigger_status(spells, as_of=AS_OF).describe() == (
        "2 occasions in 12 months (5 working days): below the trigger points"
        " (3 occasions or 8 working days)."
    )
    one = trigger_status([spell(date(2026, 3, 2), 1)], as_of=AS_OF)
    assert one.describe().startswith("1 occasion in 12 months (1 working day): below")
    assert trigger_status([], as_of=AS_OF).describe() == (
        "No sickness absence counted in 12 months: below the trigger points"
        " (3 occasions or 8 working days)."
    )


def test_describe_mentions_uncounted_disability_related_absence() -> None:
    spells = [
        spell(date(2025, 9, 1), 3),
        spell(date(2025, 12, 1), 4, disability_related=True),
        spell(date(2026, 3, 2), 2),
    ]
    assert trigger_status(spells, as_of=AS_OF).describe() == (
        "2 occasions in 12 months (5 working days): below the trigger points"
        " (3 occasions or 8 working days)."
        " 1 disability-related absence (4 days) is not counted towards the triggers."
    )
    two = [*spells, spell(date(2026, 5, 1), 1, disability_related=True)]
    assert (
        trigger_status(two, as_of=AS_OF)
        .describe()
        .endswith(" 2 disability-related absences (5 days) are not counted towards the triggers.")
    )


def test_describe_reached_by_days_on_a_later_occasion() -> None:
    spells = [spell(date(2025, 7, 1) + timedelta(days=14 * i), 1) for i in range(12)]
    status = trigger_status(spells, as_of=AS_OF)
    assert status.describe().startswith("12th occasion in 12 months (12 working days): trigger")


def test_describe_with_a_bradford_threshold_and_long_term_absence() -> None:
    policy = TriggerPolicy(bradford_threshold=50)
    status = trigger_status([spell(date(2026, 3, 2), 30, lost=22)], as_of=AS_OF, policy=policy)
    text = status.describe()
    assert text.startswith("1st occasion in 12 months (22 working days): trigger point reached")
    assert " Includes a long-term absence (over 28 days)." in text
    assert text.endswith(" Bradford factor 22 (for information; threshold 50).")


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
    ],
)
def test_ordinal(n: int, word: str) -> None:
    assert ordinal(n) == word


def test_policy_and_spell_validation() -> None:
    with pytest.raises(ValueError, match="occasions"):
        TriggerPolicy(occasions=0)
    with pytest.raises(ValueError, match="bradford_threshold"):
        TriggerPolicy(bradford_threshold=0)
    with pytest.raises(ValueError, match="before it starts"):
        AbsenceSpell(date(2026, 3, 2), date(2026, 3, 1), 1)
    with pytest.raises(ValueError, match="negative"):
        AbsenceSpell(date(2026, 3, 2), None, -1)


def test_find_overlaps() -> None:
    spells = [
        (date(2026, 1, 5), date(2026, 1, 9)),
        (date(2026, 1, 9), date(2026, 1, 12)),  # shares 9 January with the first
        (date(2026, 2, 2), date(2026, 2, 3)),
        (date(2026, 3, 2), None),  # open-ended
        (date(2026, 4, 1), date(2026, 4, 2)),  # inside the open-ended spell
        (date(2026, 1, 13), date(2026, 1, 14)),  # touches the second, does not overlap
    ]
    assert find_overlaps(spells) == [(0, 1), (3, 4)]
    assert find_overlaps([]) == []
    assert find_overlaps([(date(2026, 1, 1), None), (date(2025, 1, 1), None)]) == [(0, 1)]
