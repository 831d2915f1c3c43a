from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.nudge_rules import (
    DEFAULT_POLICY,
    DueItem,
    NudgeKind,
    NudgePolicy,
    RecipientHistory,
    can_send_now,
    escalations,
    idempotency_key,
    iso_week,
    repeat_window_start,
    select_items,
    snooze_until,
    split_digest,
)
from domain.working_days import BankHolidays, WorkingPattern

LONDON = ZoneInfo("Europe/London")
TUE = date(2026, 3, 3)  # an ordinary Tuesday
MANAGER = 7


def at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=LONDON)


def item(
    key: str = "absence:17",
    kind: NudgeKind = NudgeKind.RTW_DUE,
    *,
    due_since: date = date(2026, 2, 20),
    recipient: int = MANAGER,
    escalated: bool = False,
) -> DueItem:
    return DueItem(
        kind=kind,
        subject_id=42,
        item_key=key,
        recipient_id=recipient,
        due_since=due_since,
        title=f"Title {key}",
        detail=f"Detail {key}",
        escalated=escalated,
    )


def history(**overrides: object) -> RecipientHistory:
    base = RecipientHistory(digests_today=0, digests_this_week=0, on_leave=False)
    return replace(base, **overrides)


# --- Policy ---------------------------------------------------------------------------------


def test_policy_defaults() -> None:
    policy = NudgePolicy()
    assert policy.send_days == WorkingPattern()
    assert (policy.start_hour, policy.end_hour) == (9, 17)
    assert (policy.daily_cap, policy.weekly_cap) == (1, 3)
    assert (policy.repeat_days, policy.snooze_days, policy.escalate_after) == (7, 7, 2)
    assert policy.escalate_kinds == frozenset({NudgeKind.RTW_DUE})
    assert policy.enabled_kinds == frozenset(NudgeKind)


@pytest.mark.parametrize(
    "overrides",
    [
        {"start_hour": 17, "end_hour": 9},
        {"start_hour": 9, "end_hour": 9},
        {"start_hour": -1},
        {"end_hour": 25},
        {"weekly_cap": 0},
        {"daily_cap": 0},
        {"repeat_days": 0},
        {"snooze_days": 0},
        {"escalate_after": 0},
        {"enabled_kinds": frozenset({"nonsense"})},
        {"send_days": "Mon-Fri"},
    ],
)
def test_policy_rejects_nonsense(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        NudgePolicy(**overrides)


def test_policy_accepts_kind_strings() -> None:
    policy = NudgePolicy(enabled_kinds=frozenset({"rtw_due"}))
    assert policy.enabled_kinds == frozenset({NudgeKind.RTW_DUE})


# --- can_send_now ---------------------------------------------------------------------------


def test_open_on_a_weekday_in_hours() -> None:
    assert can_send_now(at(TUE, 9)) == (True, "")
    assert can_send_now(at(TUE, 16, 59)) == (True, "")


@pytest.mark.parametrize(("hour", "minute"), [(8, 59), (0, 0), (17, 0), (17, 1), (23, 59)])
def test_closed_outside_hours(hour: int, minute: int) -> None:
    ok, reason = can_send_now(at(TUE, hour, minute))
    assert not ok
    assert ("before" in reason) if hour < 9 else ("after" in reason)


def test_closed_at_weekends() -> None:
    ok, reason = can_send_now(at(date(2026, 3, 7), 10))  # Saturday
    assert not ok
    assert reason == "Saturday is not a sending day (Monday to Friday)"
    assert not can_send_now(at(date(2026, 3, 8), 10))[0]  # Sunday


def test_closed_on_christmas_day_and_the_boxing_day_substitute() -> None:
    ok, reason = can_send_now(at(date(2026, 12, 25), 10))  # Friday
    assert not ok
    assert "Christmas Day" in reason
    ok, reason = can_send_now(at(date(2026, 12, 28), 10))  # Monday, Boxing Day observed
    assert not ok
    assert "Boxing Day" in reason
    assert can_send_now(at(date(2026, 12, 29), 10)) == (True, "")


def test_extra_closure_days_and_custom_send_days() -> None:
    closure = BankHolidays(extra=[TUE])
    assert not can_send_now(at(TUE, 10), DEFAULT_POLICY, closure)[0]
    mon_wed = NudgePolicy(send_days=WorkingPattern(frozenset({0, 2})))
    assert not can_send_now(at(TUE, 10), mon_wed)[0]
    assert can_send_now(at(TUE - timedelta(days=1), 10), mon_wed)[0]


def test_uses_the_local_wall_clock_of_the_given_time() -> None:
    # 08:30 UTC on a BST date is 09:30 in London.
    summer = datetime(2026, 6, 2, 8, 30, tzinfo=UTC)
    assert not can_send_now(summer)[0]
    assert can_send_now(summer.astimezone(LONDON))[0]


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        can_send_now(datetime(2026, 3, 3, 10))


# --- select_items: recipient budget ---------------------------------------------------------


def test_everything_due_goes_in_when_nothing_holds_it_back() -> None:
    items = [item("absence:17"), item("objective:9", NudgeKind.OBJECTIVE_TO_AGREE)]
    chosen, held = select_items(items, history(), today=TUE)
    assert chosen == [items[0], items[1]]
    assert held == []


@pytest.mark.parametrize(
    ("hist", "reason"),
    [
        ({"on_leave": True}, "recipient is on leave"),
        ({"digests_today": 1}, "already had 1 digest(s) today (daily cap 1)"),
        ({"digests_this_week": 3}, "already had 3 digest(s) this week (weekly cap 3)"),
    ],
)
def test_recipient_budget_holds_every_item(hist: dict[str, object], reason: str) -> None:
    items = [item("absence:17"), item("apr:2026/27:42", NudgeKind.APR_DUE)]
    chosen, held = select_items(items, history(**hist), today=TUE)
    assert chosen == []
    assert held == [(items[0], reason), (items[1], reason)]


def test_under_the_weekly_cap_is_fine() -> None:
    chosen, _ = select_items([item()], history(digests_this_week=2), today=TUE)
    assert chosen == [item()]


def test_caps_follow_the_policy() -> None:
    policy = NudgePolicy(daily_cap=2, weekly_cap=5)
    assert select_items([item()], history(digests_today=1), today=TUE, policy=policy)[0]
    assert not select_items([item()], history(digests_today=2), today=TUE, policy=policy)[0]
    assert not select_items([item()], history(digests_this_week=5), today=TUE, policy=policy)[0]


def test_iso_week_is_monday_to_sunday_and_crosses_years() -> None:
    assert iso_week(date(2026, 3, 2)) == iso_week(date(2026, 3, 8))  # Mon and Sun
    assert iso_week(date(2026, 3, 8)) != iso_week(date(2026, 3, 9))
    assert iso_week(date(2027, 1, 3)) == (2026, 53)  # Sunday belongs to the old year's week
    assert iso_week(date(2027, 1, 4)) == (2027, 1)


# --- select_items: per item -----------------------------------------------------------------


def test_snooze_holds_before_the_date_and_releases_on_it() -> None:
    until = snooze_until(TUE)
    assert until == TUE + timedelta(days=7)
    hist = history(snoozed_until_by_item={"absence:17": until})
    chosen, held = select_items([item()], hist, today=until - timedelta(days=1))
    assert chosen == []
    assert held == [(item(), "snoozed until 2026-03-10")]
    chosen, held = select_items([item()], hist, today=until)
    assert chosen == [item()]
    assert held == []


def test_snooze_length_follows_the_policy() -> None:
    assert snooze_until(TUE, NudgePolicy(snooze_days=3)) == date(2026, 3, 6)


def test_repeat_interval_six_days_held_seven_days_sent() -> None:
    hist = history(last_sent_by_item={"absence:17": TUE})
    chosen, held = select_items([item()], hist, today=TUE + timedelta(days=6))
    assert chosen == []
    assert held == [(item(), "sent on 2026-03-03 (repeat after 7 days)")]
    chosen, _ = select_items([item()], hist, today=TUE + timedelta(days=7))
    assert chosen == [item()]


def test_sent_today_is_held() -> None:
    hist = history(last_sent_by_item={"absence:17": TUE})
    assert select_items([item()], hist, today=TUE)[0] == []


def test_done_elsewhere_is_never_nudged_but_a_new_item_is() -> None:
    hist = history(done_elsewhere=frozenset({"absence:17"}))
    new_absence = item("absence:18")
    chosen, held = select_items([item(), new_absence], hist, today=TUE + timedelta(days=365))
    assert chosen == [new_absence]
    assert held == [(item(), "marked done elsewhere")]


def test_kind_switched_off() -> None:
    policy = NudgePolicy(enabled_kinds=frozenset(NudgeKind) - {NudgeKind.OBJECTIVE_TO_AGREE})
    objective = item("objective:9", NudgeKind.OBJECTIVE_TO_AGREE)
    chosen, held = select_items([objective, item()], history(), today=TUE, policy=policy)
    assert chosen == [item()]
    assert held == [(objective, "kind switched off")]


def test_the_same_item_twice_goes_in_once() -> None:
    chosen, held = select_items([item(), item()], history(), today=TUE)
    assert chosen == [item()]
    assert held == [(item(), "duplicate of an item already in this digest")]


def test_items_for_several_recipients_are_a_caller_bug() -> None:
    with pytest.raises(ValueError, match="more than one recipient"):
        select_items([item(), item("absence:18", recipient=8)], history(), today=TUE)


def test_order_escalated_then_kind_priority_then_oldest() -> None:
    old, new = date(2026, 1, 5), date(2026, 2, 5)
    objective = item("objective:9", NudgeKind.OBJECTIVE_TO_AGREE, due_since=old)
    one_to_one = item("one_to_one:42", NudgeKind.ONE_TO_ONE_DUE, due_since=old)
    apr = item("apr:2026/27:42", NudgeKind.APR_DUE, due_since=old)
    kit = item("kit:5", NudgeKind.KEEP_IN_TOUCH, due_since=new)
    rtw_new = item("absence:18", due_since=new)
    rtw_old = item("absence:17", due_since=old)
    escalated = item("objective:3:escalated", NudgeKind.OBJECTIVE_TO_AGREE, escalated=True)
    items = [objective, one_to_one, apr, kit, rtw_new, rtw_old, escalated]
    chosen, _ = select_items(items, history(), today=TUE)
    assert chosen == [escalated, rtw_old, rtw_new, kit, apr, one_to_one, objective]


def test_held_items_are_in_digest_order_too() -> None:
    objective = item("objective:9", NudgeKind.OBJECTIVE_TO_AGREE)
    _, held = select_items([objective, item()], history(on_leave=True), today=TUE)
    assert [i for i, _ in held] == [item(), objective]


# --- escalations ----------------------------------------------------------------------------


def test_escalates_after_k_nudges_to_the_managers_manager() -> None:
    rtw = item()
    raised = escalations([rtw], {"absence:17": 2}, {MANAGER: 3})
    assert raised == [replace(rtw, recipient_id=3, escalated=True, item_key="absence:17:escalated")]
    assert raised[0].subject_id == rtw.subject_id


def test_an_acting_managers_item_escalates_up_the_subjects_chain_not_theirs() -> None:
    """During a delegation the acting manager (9) gets the nudges; the escalation goes to the
    line manager's (MANAGER's) manager, never to the acting manager's own manager."""
    acting = replace(item(recipient=9), escalates_from=MANAGER)
    raised = escalations([acting], {"absence:17": 2}, {MANAGER: 3, 9: 11})
    assert [(e.recipient_id, e.escalates_from) for e in raised] == [(3, None)]


def test_does_not_escalate_before_k_nudges() -> None:
    assert escalations([item()], {"absence:17": 1}, {MANAGER: 3}) == []
    assert escalations([item()], {}, {MANAGER: 3}) == []


def test_only_escalate_kinds_escalate() -> None:
    apr = item("apr:2026/27:42", NudgeKind.APR_DUE)
    assert escalations([apr], {apr.item_key: 10}, {MANAGER: 3}) == []
    policy = NudgePolicy(escalate_kinds=frozenset({NudgeKind.APR_DUE}), escalate_after=3)
    assert escalations([apr], {apr.item_key: 2}, {MANAGER: 3}, policy) == []
    assert len(escalations([apr], {apr.item_key: 3}, {MANAGER: 3}, policy)) == 1


@pytest.mark.parametrize("managers", [{}, {MANAGER: None}, {MANAGER: MANAGER}])
def test_no_escalation_without_a_manager(managers: dict[int, int | None]) -> None:
    assert escalations([item()], {"absence:17": 5}, managers) == []


def test_escalations_do_not_escalate_again() -> None:
    once = escalations([item()], {"absence:17": 2}, {MANAGER: 3})[0]
    assert escalations([once], {once.item_key: 9}, {3: 1}) == []


# --- idempotency ----------------------------------------------------------------------------


def test_repeat_windows() -> None:
    first = date(2026, 3, 2)
    assert repeat_window_start(None, TUE, 7) == TUE
    assert repeat_window_start(first, first, 7) == first
    assert repeat_window_start(first, first + timedelta(days=6), 7) == first
    assert repeat_window_start(first, first + timedelta(days=7), 7) == date(2026, 3, 9)
    assert repeat_window_start(first, first + timedelta(days=20), 7) == date(2026, 3, 16)
    with pytest.raises(ValueError):
        repeat_window_start(first, first - timedelta(days=1), 7)
    with pytest.raises(ValueError):
        repeat_window_start(first, first, 0)


def test_idempotency_key_is_stable_within_a_window_and_changes_across() -> None:
    first = date(2026, 3, 2)

    def key(as_of: date, it: DueItem | None = None) -> str:
        return idempotency_key(it or item(), repeat_window_start(first, as_of, 7))

    assert key(first) == "7:rtw_due:absence:17:2026-03-02"
    assert key(first) == key(first + timedelta(days=6))
    assert key(first) != key(first + timedelta(days=7))
    assert key(first) != key(first, item(recipient=8))
    assert key(first) != key(first, item("absence:18"))
    assert key(first) != key(first, item(kind=NudgeKind.KEEP_IN_TOUCH))


def test_sends_allowed_by_the_repeat_rule_never_share_a_key() -> None:
    # Every pair of send dates at least repeat_days apart lands in different windows.
    first = date(2026, 3, 2)
    days = range(0, 60)
    for a in days:
        for b in days:
            if b - a >= 7:
                start_a = repeat_window_start(first, first + timedelta(days=a), 7)
                start_b = repeat_window_start(first, first + timedelta(days=b), 7)
                assert idempotency_key(item(), start_a) != idempotency_key(item(), start_b)


# --- split_digest ---------------------------------------------------------------------------


def element(n: int, pad: int = 100) -> dict:
    return {"type": "TextBlock", "id": f"item-{n}", "text": "x" * pad}


def json_size(obj: object) -> int:
    return len(json.dumps(obj).encode())


def test_small_digest_is_one_part() -> None:
    sections = [("RTW", [element(1)]), ("APR", (element(2), element(3)))]
    assert split_digest(sections) == [[("RTW", [element(1)]), ("APR", [element(2), element(3)])]]


def test_empty_digest_and_empty_sections() -> None:
    assert split_digest([]) == []
    assert split_digest([("RTW", [])]) == []
    assert split_digest([("RTW", []), ("APR", [element(1)])]) == [[("APR", [element(1)])]]


@pytest.mark.parametrize("max_bytes", [300, 450, 1000, 2500])
def test_splits_under_the_limit_without_splitting_items(max_bytes: int) -> None:
    sections = [
        ("Return to work", [element(i) for i in range(7)]),
        ("Appraisals", [element(i, pad=150) for i in range(7, 10)]),
        ("One-to-ones", [element(i, pad=20) for i in range(10, 25)]),
    ]
    parts = split_digest(sections, max_bytes=max_bytes)
    assert len(parts) > 1
    for part in parts:
        assert json_size(part) <= max_bytes
    # Every item once, in order, under its own heading.
    flattened = [(h, e) for part in parts for h, elements in part for e in elements]
    assert flattened == [(h, e) for h, elements in sections for e in elements]
    # A heading appears at most once per part, and parts are as full as they can be.
    for part in parts:
        assert len({h for h, _ in part}) == len(part)
    for part, after in itertools.pairwise(parts):
        heading, elements = after[0]
        if part[-1][0] == heading:
            grown = [*part[:-1], (heading, [*part[-1][1], elements[0]])]
        else:
            grown = [*part, (heading, [elements[0]])]
        assert json_size(grown) > max_bytes


def test_a_section_spanning_parts_repeats_its_heading() -> None:
    sections = [("Return to work", [element(i) for i in range(4)])]
    parts = split_digest(sections, max_bytes=300)
    assert [[h for h, _ in part] for part in parts] == [["Return to work"]] * len(parts)
    assert len(parts) == 4


def test_size_is_exact_for_json() -> None:
    sections = [("A", [element(1), element(2)]), ("B", [element(3)])]
    exact = json_size([("A", [element(1), element(2)]), ("B", [element(3)])])
    assert len(split_digest(sections, max_bytes=exact)) == 1
    assert len(split_digest(sections, max_bytes=exact - 1)) == 2


def test_an_item_too_big_on_its_own_is_refused() -> None:
    with pytest.raises(ValueError, match="on its own"):
        split_digest([("RTW", [element(1, pad=500)])], max_bytes=300)


def test_custom_size_function() -> None:
    # Count items only: each item costs 1, everything else 0.
    def items_only(obj: object) -> int:
        return 1 if isinstance(obj, dict) else 0

    sections = [("A", [element(i) for i in range(5)])]
    parts = split_digest(sections, max_bytes=5 + 2 * 4, size=items_only)
    assert len(parts) == 1
    parts = split_digest(sections, max_bytes=2 * 2 + 3, size=items_only)
    assert [len(p[0][1]) for p in parts] == [3, 2]


def test_a_due_item_is_a_frozen_value_however_it_is_built() -> None:
    """DueItem fills its slots directly (the plan makes hundreds of thousands): still a value
    that compares and hashes by its fields, copies with replace, and cannot be changed."""
    from dataclasses import FrozenInstanceError, fields

    from domain.nudge_rules import DueItem, NudgeKind

    by_position = DueItem(NudgeKind.APR_DUE, 7, "apr:2026/27:7", 3, date(2026, 4, 1), "APR", "d")
    by_name = DueItem(
        kind=NudgeKind.APR_DUE,
        subject_id=7,
        item_key="apr:2026/27:7",
        recipient_id=3,
        due_since=date(2026, 4, 1),
        title="APR",
        detail="d",
        escalated=False,
        escalates_from=None,
    )
    assert by_position == by_name and hash(by_position) == hash(by_name)
    assert [getattr(by_name, f.name) for f in fields(DueItem)] == [
        NudgeKind.APR_DUE,
        7,
        "apr:2026/27:7",
        3,
        date(2026, 4, 1),
        "APR",
        "d",
        False,
        None,
    ]
    raised = replace(by_name, recipient_id=9, escalated=True, escalates_from=3)
    assert (raised.recipient_id, raised.escalated, raised.escalation_base) == (9, True, 3)
    assert by_name.recipient_id == 3 and by_name.escalation_base == 3
    with pytest.raises(FrozenInstanceError):
        by_name.title = "changed"  # type: ignore[misc]
