from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.apr_cycle import (
    AprCyclePolicy,
    AprState,
    AprStatus,
    AprWindow,
    CycleKind,
    apr_status,
    current_window,
    first_due_window,
    next_window,
    probation_ends,
)

POLICY = AprCyclePolicy()  # fixed window, 1 April to 30 June, 6 months' probation
ANNIVERSARY = AprCyclePolicy(kind=CycleKind.ANNIVERSARY)
LONG_SERVER = date(2019, 9, 2)
WINDOW_2026 = AprWindow(cycle_label="2026/27", opens=date(2026, 4, 1), closes=date(2026, 6, 30))
WINDOW_2027 = AprWindow(cycle_label="2027/28", opens=date(2027, 4, 1), closes=date(2027, 6, 30))


def status(
    as_of: date,
    *,
    last_held: date | None = None,
    start_date: date = LONG_SERVER,
    left_on: date | None = None,
    policy: AprCyclePolicy = POLICY,
) -> AprStatus:
    return apr_status(
        policy, start_date=start_date, left_on=left_on, last_held=last_held, as_of=as_of
    )


# --- windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 11, 23), WINDOW_2026),
        (date(2026, 4, 1), WINDOW_2026),
        (date(2026, 6, 30), WINDOW_2026),
        (date(2027, 3, 31), WINDOW_2026),
        (date(2027, 4, 1), WINDOW_2027),
        (
            date(2026, 3, 31),
            AprWindow(cycle_label="2025/26", opens=date(2025, 4, 1), closes=date(2025, 6, 30)),
        ),
    ],
)
def test_fixed_current_window_runs_for_the_cycle_year(as_of: date, expected: AprWindow) -> None:
    assert current_window(POLICY, start_date=LONG_SERVER, as_of=as_of) == expected


def test_fixed_next_window() -> None:
    assert next_window(POLICY, start_date=LONG_SERVER, as_of=date(2026, 11, 23)) == WINDOW_2027
    assert next_window(POLICY, start_date=LONG_SERVER, as_of=date(2026, 3, 31)) == WINDOW_2026


def test_fixed_window_label_crosses_the_century() -> None:
    window = current_window(POLICY, start_date=LONG_SERVER, as_of=date(2099, 5, 1))
    assert window.cycle_label == "2099/00"


def test_calendar_year_window_is_labelled_with_the_year() -> None:
    policy = AprCyclePolicy(window_start=(1, 1), window_end=(2, 28))
    window = current_window(policy, start_date=LONG_SERVER, as_of=date(2026, 12, 31))
    assert window == AprWindow(cycle_label="2026", opens=date(2026, 1, 1), closes=date(2026, 2, 28))


def test_anniversary_window_starts_on_the_anniversary() -> None:
    start = date(2020, 9, 14)
    window = current_window(ANNIVERSARY, start_date=start, as_of=date(2026, 11, 23))
    assert window == AprWindow(
        cycle_label="2026", opens=date(2026, 9, 14), closes=date(2026, 10, 14)
    )
    earlier = current_window(ANNIVERSARY, start_date=start, as_of=date(2026, 9, 13))
    assert earlier.opens == date(2025, 9, 14)
    assert next_window(ANNIVERSARY, start_date=start, as_of=date(2026, 9, 14)).opens == date(
        2027, 9, 14
    )


def test_anniversary_of_29_february() -> None:
    start = date(2024, 2, 29)
    non_leap = current_window(ANNIVERSARY, start_date=start, as_of=date(2027, 3, 1))
    assert non_leap.opens == date(2027, 2, 28)
    assert non_leap.closes == date(2027, 3, 30)
    leap = current_window(ANNIVERSARY, start_date=start, as_of=date(2028, 2, 29))
    assert leap.opens == date(2028, 2, 29)
    day_before = current_window(ANNIVERSARY, start_date=start, as_of=date(2028, 2, 28))
    assert day_before.opens == date(2027, 2, 28)


def test_anniversary_before_the_first_anniversary_is_the_start() -> None:
    start = date(2026, 5, 5)
    window = current_window(ANNIVERSARY, start_date=start, as_of=date(2026, 12, 1))
    assert window.opens == start


# --- probation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 9, 7), 6, date(2027, 3, 7)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
        (date(2026, 5, 5), 24, date(2028, 5, 5)),
    ],
)
def test_probation_ends(start: date, months: int, expected: date) -> None:
    assert probation_ends(start, months) == expected


def test_probation_months_must_not_be_negative() -> None:
    with pytest.raises(ValueError):
        probation_ends(date(2026, 1, 1), -1)


def test_in_probation_the_day_before_it_ends() -> None:
    start = date(2026, 9, 7)  # probation ends 7 March 2027
    result = status(date(2027, 3, 6), start_date=start)
    assert result.state is AprState.NOT_DUE
    assert result.reason == "In probation until 7 March 2027"
    assert result.window == WINDOW_2027
    assert result.days_until_due == 26  # to 1 April 2027


def test_probation_ending_after_the_window_closed_is_not_due_this_cycle() -> None:
    start = date(2026, 8, 15)  # probation ends 15 February 2027, after the 2026 window closed
    result = status(date(2027, 2, 15), start_date=start)
    assert result.state is AprState.NOT_DUE
    assert result.window == WINDOW_2027
    assert result.days_until_due == 45
    assert result.reason == "First APR due in the 2027/28 cycle (window opens 1 April 2027)"


def test_first_apr_becomes_due_soon_in_the_run_up() -> None:
    start = date(2026, 7, 1)  # probation ends 1 January 2027
    assert status(date(2027, 3, 1), start_date=start).state is AprState.NOT_DUE
    result = status(date(2027, 3, 2), start_date=start)
    assert result.state is AprState.DUE_SOON
    assert result.days_until_due == 30
    assert result.reason == "Window opens 1 April 2027"
    assert status(date(2027, 4, 1), start_date=start).state is AprState.DUE


def test_probation_ending_on_the_closing_day_is_due_in_that_window() -> None:
    start = date(2025, 12, 30)  # probation ends 30 June 2026
    before = status(date(2026, 6, 29), start_date=start)
    assert before.state is AprState.NOT_DUE
    assert before.window == WINDOW_2026
    assert before.days_until_due == 1
    assert status(date(2026, 6, 30), start_date=start).state is AprState.DUE
    overdue = status(date(2026, 7, 1), start_date=start)
    assert overdue.state is AprState.OVERDUE
    assert overdue.days_overdue == 1


def test_probation_ending_the_day_after_the_window_closes_is_next_cycle() -> None:
    start = date(2026, 1, 1)  # probation ends 1 July 2026
    assert first_due_window(POLICY, start_date=start) == WINDOW_2027
    result = status(date(2026, 11, 23), start_date=start)
    assert result.state is AprState.NOT_DUE
    assert result.window == WINDOW_2027


def test_probation_ending_inside_the_window() -> None:
    start = date(2025, 11, 15)  # probation ends 15 May 2026
    in_probation = status(date(2026, 5, 14), start_date=start)
    assert in_probation.state is AprState.NOT_DUE
    assert in_probation.days_until_due == 1
    assert status(date(2026, 5, 15), start_date=start).state is AprState.DUE


def test_not_started_yet() -> None:
    result = status(date(2026, 4, 20), start_date=date(2026, 5, 1))
    assert result.state is AprState.NOT_DUE
    assert result.reason == "Starts on 1 May 2026"
    assert result.window == WINDOW_2027


def test_no_probation() -> None:
    policy = AprCyclePolicy(probation_months=0)
    start = date(2026, 5, 1)
    assert status(date(2026, 5, 1), start_date=start, policy=policy).state is AprState.DUE


# --- leavers ---------------------------------------------------------------------------------


def test_leaver_is_not_due() -> None:
    result = status(date(2026, 11, 23), left_on=date(2026, 10, 31))
    assert result.state is AprState.NOT_DUE
    assert result.reason == "Left on 31 October 2026"
    assert result.window is None
    assert result.days_overdue == 0


def test_leaving_on_the_day_counts_but_a_future_leaving_date_does_not() -> None:
    assert status(date(2026, 11, 23), left_on=date(2026, 11, 23)).state is AprState.NOT_DUE
    assert status(date(2026, 11, 23), left_on=date(2026, 12, 31)).state is AprState.OVERDUE


def test_leaver_in_probation_reads_as_left() -> None:
    result = status(date(2026, 11, 23), start_date=date(2026, 9, 1), left_on=date(2026, 11, 1))
    assert result.reason == "Left on 1 November 2026"


# --- fixed window edges ----------------------------------------------------------------------


def test_the_day_before_the_window_opens_is_still_the_old_cycle() -> None:
    result = status(date(2026, 3, 31), last_held=date(2025, 5, 12))
    assert result.state is AprState.DUE_SOON
    assert result.window == WINDOW_2026
    assert result.days_until_due == 1
    assert result.reason == "Window opens 1 April 2026"


def test_the_opening_day_is_due() -> None:
    result = status(date(2026, 4, 1), last_held=date(2025, 5, 12))
    assert result.state is AprState.DUE
    assert result.window == WINDOW_2026
    assert result.days_overdue == 0
    assert result.reason == "Due by 30 June 2026"


def test_the_closing_day_is_still_due() -> None:
    assert status(date(2026, 6, 30), last_held=date(2025, 5, 12)).state is AprState.DUE


def test_the_day_after_closing_is_overdue_by_one_day() -> None:
    result = status(date(2026, 7, 1), last_held=date(2025, 5, 12))
    assert result.state is AprState.OVERDUE
    assert result.days_overdue == 1
    assert result.reason == "Overdue by 1 day"
    assert result.is_overdue


def test_overdue_in_november() -> None:
    result = status(date(2026, 11, 23), last_held=date(2025, 5, 12))
    assert result.state is AprState.OVERDUE
    assert result.window == WINDOW_2026
    assert result.days_overdue == 146
    assert result.reason == "Overdue by 146 days"


def test_overdue_runs_until_the_new_cycle_then_resets_to_due() -> None:
    last_day = status(date(2027, 3, 31), last_held=date(2025, 5, 12))
    assert last_day.state is AprState.OVERDUE
    assert last_day.days_overdue == 274
    new_cycle = status(date(2027, 4, 1), last_held=date(2025, 5, 12))
    assert new_cycle.state is AprState.DUE
    assert new_cycle.window == WINDOW_2027


def test_never_held_long_server_is_due_then_overdue() -> None:
    assert status(date(2026, 5, 1)).state is AprState.DUE
    assert status(date(2026, 7, 1)).state is AprState.OVERDUE


def test_due_soon_boundary() -> None:
    held = date(2025, 5, 12)
    completed = status(date(2026, 3, 1), last_held=held)
    assert completed.state is AprState.COMPLETED
    assert completed.reason == "Held 12 May 2025"
    due_soon = status(date(2026, 3, 2), last_held=held)
    assert due_soon.state is AprState.DUE_SOON
    assert due_soon.days_until_due == 30


# --- completion ------------------------------------------------------------------------------


def test_completed_in_the_window() -> None:
    result = status(date(2026, 11, 23), last_held=date(2026, 5, 12))
    assert result.state is AprState.COMPLETED
    assert result.window == WINDOW_2026
    assert result.reason == "Held 12 May 2026"
    assert result.days_overdue == 0
    assert result.days_until_due is None


def test_completed_on_the_opening_day() -> None:
    assert status(date(2026, 4, 1), last_held=date(2026, 4, 1)).state is AprState.COMPLETED


def test_held_late_after_the_window_still_completes_the_cycle() -> None:
    result = status(date(2026, 11, 23), last_held=date(2026, 9, 3))
    assert result.state is AprState.COMPLETED
    assert result.window == WINDOW_2026


def test_held_up_to_due_soon_days_before_the_window_counts_for_the_new_cycle() -> None:
    early = date(2026, 3, 2)  # 30 days before 1 April
    during = status(date(2026, 3, 10), last_held=early)
    assert during.state is AprState.COMPLETED
    assert during.window == WINDOW_2026
    after = status(date(2026, 8, 1), last_held=early)
    assert after.state is AprState.COMPLETED
    assert after.window == WINDOW_2026


def test_held_too_early_does_not_count_for_the_new_cycle() -> None:
    too_early = date(2026, 3, 1)  # 31 days before 1 April
    assert status(date(2026, 4, 1), last_held=too_early).state is AprState.DUE
    assert status(date(2026, 7, 1), last_held=too_early).state is AprState.OVERDUE


def test_last_cycles_apr_does_not_count_after_the_new_cycle_starts() -> None:
    assert status(date(2027, 4, 1), last_held=date(2026, 5, 12)).state is AprState.DUE


def test_a_future_dated_apr_is_ignored() -> None:
    result = status(date(2026, 7, 1), last_held=date(2026, 7, 14))
    assert result.state is AprState.OVERDUE


def test_held_early_after_probation_ending_late_completes_the_first_cycle() -> None:
    start = date(2026, 7, 1)  # probation ends 1 January 2027; first window 2027
    result = status(date(2027, 3, 20), start_date=start, last_held=date(2027, 3, 15))
    assert result.state is AprState.COMPLETED
    assert result.window == WINDOW_2027


# --- anniversary kind ------------------------------------------------------------------------


def test_anniversary_due_overdue_and_completed() -> None:
    start = date(2020, 9, 14)

    def state(as_of: date, held: date | None = None) -> AprState:
        return status(as_of, start_date=start, last_held=held, policy=ANNIVERSARY).state

    assert state(date(2026, 8, 15)) is AprState.OVERDUE  # never held: last year's is overdue
    assert state(date(2026, 8, 14), held=date(2025, 9, 20)) is AprState.COMPLETED
    assert state(date(2026, 8, 15), held=date(2025, 9, 20)) is AprState.DUE_SOON
    assert state(date(2026, 9, 14)) is AprState.DUE
    assert state(date(2026, 10, 14)) is AprState.DUE
    assert state(date(2026, 10, 15)) is AprState.OVERDUE
    assert state(date(2026, 10, 15), held=date(2026, 9, 20)) is AprState.COMPLETED
    assert state(date(2026, 9, 14), held=date(2026, 8, 20)) is AprState.COMPLETED


def test_anniversary_first_cycle_follows_probation() -> None:
    start = date(2026, 5, 5)  # probation ends 5 November 2026, after the 5 June window closed
    result = status(date(2026, 12, 1), start_date=start, policy=ANNIVERSARY)
    assert result.state is AprState.NOT_DUE
    assert result.window == AprWindow(
        cycle_label="2027", opens=date(2027, 5, 5), closes=date(2027, 6, 4)
    )
    assert result.reason == "First APR due in the 2027 cycle (window opens 5 May 2027)"


def test_anniversary_29_february_starter_is_overdue_from_the_28th_plus_grace() -> None:
    start = date(2024, 2, 29)
    result = status(date(2027, 4, 1), start_date=start, policy=ANNIVERSARY)
    assert result.state is AprState.OVERDUE
    assert result.window is not None
    assert result.window.opens == date(2027, 2, 28)
    assert result.days_overdue == (date(2027, 4, 1) - date(2027, 3, 30)).days


# --- policy validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window_start": (13, 1)},
        {"window_start": (4, 31)},
        {"window_end": (0, 10)},
        {"window_start": (2, 29)},
        {"window_start": (11, 1), "window_end": (1, 31)},  # wraps the year end
        {"probation_months": -1},
        {"due_soon_days": -1},
        {"anniversary_grace_days": -1},
        {"anniversary_grace_days": 365},
        {"due_soon_days": 300},  # would overlap the window before
        {"kind": "monthly"},
    ],
)
def test_invalid_policies(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        AprCyclePolicy(**kwargs)  # type: ignore[arg-type]


def test_kind_may_be_given_as_text() -> None:
    assert AprCyclePolicy(kind="anniversary").kind is CycleKind.ANNIVERSARY  # type: ignore[arg-type]


def test_single_day_window_is_allowed() -> None:
    policy = AprCyclePolicy(window_start=(5, 1), window_end=(5, 1))
    window = current_window(policy, start_date=LONG_SERVER, as_of=date(2026, 5, 1))
    assert window.opens == window.closes == date(2026, 5, 1)


def test_custom_window_and_due_soon() -> None:
    policy = AprCyclePolicy(window_start=(9, 1), window_end=(10, 31), due_soon_days=14)
    as_of = date(2026, 9, 1) - timedelta(days=14)
    result = status(as_of, last_held=date(2025, 9, 20), policy=policy)
    assert result.state is AprState.DUE_SOON
    assert result.window == AprWindow(
        cycle_label="2026/27", opens=date(2026, 9, 1), closes=date(2026, 10, 31)
    )
