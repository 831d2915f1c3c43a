"""Which reminders go into a manager's proactive digest, and when it may be sent.

Plain rules, no Bot Framework and no database. Callers pass ``today``/``now`` and each
recipient's history explicitly so every rule can be tested with a fixed clock.

A digest is trusted only if it is right (the right items for the right person), timely (working
days, working hours), sparing (daily and weekly caps, no item repeated more often than
``repeat_days``) and never sent twice (``idempotency_key``). The rules here decide; the sender
records what was sent and feeds it back in as ``RecipientHistory``.

Definitions used throughout:

* Snooze: an item "snoozed until D" is held on every day before D and comes back on D itself
  (``snoozed_until`` is exclusive). ``snooze_until(today, policy)`` gives D for a new snooze.
* Repeat: an item last sent on S is held while fewer than ``repeat_days`` days have passed and
  may be sent again on S + ``repeat_days``.
* Weekly cap: counted per ISO week (Monday to Sunday, see ``iso_week``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.working_days import (
    DEFAULT_PATTERN,
    ENGLAND_AND_WALES,
    WEEKDAY_NAMES,
    BankHolidays,
    WorkingPattern,
    add_working_days,
    is_working_day,
)


class NudgeKind(StrEnum):
    RTW_DUE = "rtw_due"
    APR_DUE = "apr_due"
    ONE_TO_ONE_DUE = "one_to_one_due"
    OBJECTIVE_TO_AGREE = "objective_to_agree"
    KEEP_IN_TOUCH = "keep_in_touch"
    ONE_TO_ONE_PREP = "one_to_one_prep"
    AGENDA_INVITE = "agenda_invite"
    ONE_TO_ONE_CHECK = "one_to_one_check"


# Lower comes first in a digest.
KIND_PRIORITY: Mapping[NudgeKind, int] = {
    NudgeKind.RTW_DUE: 0,
    NudgeKind.KEEP_IN_TOUCH: 1,
    NudgeKind.APR_DUE: 2,
    NudgeKind.ONE_TO_ONE_DUE: 3,
    NudgeKind.OBJECTIVE_TO_AGREE: 4,
    NudgeKind.ONE_TO_ONE_PREP: 3,
    NudgeKind.AGENDA_INVITE: 3,
    NudgeKind.ONE_TO_ONE_CHECK: 3,
}

ESCALATED_SUFFIX = ":escalated"


def _kinds(kinds: frozenset[NudgeKind], what: str) -> frozenset[NudgeKind]:
    try:
        return frozenset(NudgeKind(k) for k in kinds)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


@dataclass(frozen=True)
class NudgePolicy:
    """When digests may be sent and how sparing they must be.

    Sending is allowed on ``send_days`` that are not bank holidays, from ``start_hour``:
    ``start_minute`` up to but not including ``end_hour``:``end_minute`` (local time).
    """

    send_days: WorkingPattern = field(default_factory=WorkingPattern)
    start_hour: int = 9
    end_hour: int = 17
    weekly_cap: int = 3  # digests per person per ISO week
    daily_cap: int = 1  # digests per person per day
    repeat_days: int = 7  # the same item is not included more often than this
    snooze_days: int = 7
    escalate_after: int = 2  # nudges before an escalate kind goes to the manager's manager
    escalate_kinds: frozenset[NudgeKind] = frozenset({NudgeKind.RTW_DUE})
    enabled_kinds: frozenset[NudgeKind] = frozenset(NudgeKind)
    # Minutes past the hour of the window's ends: CHARTER_NUDGE_HOURS=09:30-16:45.
    start_minute: int = 0
    end_minute: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.send_days, WorkingPattern):
            raise ValueError(f"send_days must be a WorkingPattern, got {self.send_days!r}")
        if not (0 <= self.start_minute < 60 and 0 <= self.end_minute < 60):
            raise ValueError(
                f"minutes must be 0 to 59, got {self.start_minute} and {self.end_minute}"
            )
        if not 0 <= self.opens_at < self.closes_at <= 24 * 60:
            raise ValueError(
                "sending hours need 00:00 <= start < end <= 24:00, "
                f"got {self.opens_text} to {self.closes_text}"
            )
        for name in (
            "weekly_cap",
            "daily_cap",
            "repeat_days",
            "snooze_days",
            "escalate_after",
        ):
            value = getattr(self, name)
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        object.__setattr__(self, "escalate_kinds", _kinds(self.escalate_kinds, "escalate_kinds"))
        object.__setattr__(self, "enabled_kinds", _kinds(self.enabled_kinds, "enabled_kinds"))

    @property
    def opens_at(self) -> int:
        """Minutes after midnight when sending opens."""
        return self.start_hour * 60 + self.start_minute

    @property
    def closes_at(self) -> int:
        """Minutes after midnight when sending closes (exclusive)."""
        return self.end_hour * 60 + self.end_minute

    @property
    def opens_text(self) -> str:
        return f"{self.start_hour:02d}:{self.start_minute:02d}"

    @property
    def closes_text(self) -> str:
        return f"{self.end_hour % 24:02d}:{self.end_minute:02d}"


DEFAULT_POLICY = NudgePolicy()


@dataclass(frozen=True, slots=True, init=False)
class DueItem:
    """One thing due, addressed to the person who should act on it."""

    kind: NudgeKind
    subject_id: int  # the employee the item is about
    item_key: str  # stable identity: "absence:17", "apr:2026/27:42", "objective:9", …
    recipient_id: int  # who should act: usually the line manager
    due_since: date
    title: str
    detail: str
    escalated: bool = False
    # Whose manager an escalation goes to: the subject's line manager when an acting manager
    # receives the item during a delegation (escalation follows the subject's own org chart,
    # never the acting manager's); None means the recipient.
    escalates_from: int | None = None

    def __init__(
        self,
        kind: NudgeKind,
        subject_id: int,
        item_key: str,
        recipient_id: int,
        due_since: date,
        title: str,
        detail: str,
        escalated: bool = False,
        escalates_from: int | None = None,
    ) -> None:
        # A frozen dataclass's own __init__ sets each field through object.__setattr__, a
        # look-up per field; the plan makes one item per thing due (240,000 for 400,000
        # people), so the slots are filled through their descriptors directly (2-3x faster).
        # Still frozen afterwards: assigning a field raises FrozenInstanceError.
        k, s, i, r, d, t, de, e, f = _DUE_ITEM_SLOTS
        k(self, kind)
        s(self, subject_id)
        i(self, item_key)
        r(self, recipient_id)
        d(self, due_since)
        t(self, title)
        de(self, detail)
        e(self, escalated)
        f(self, escalates_from)

    @property
    def escalation_base(self) -> int:
        return self.recipient_id if self.escalates_from is None else self.escalates_from


_DUE_ITEM_SLOTS: tuple[Callable[[DueItem, Any], None], ...] = tuple(
    DueItem.__dict__[name].__set__ for name in DueItem.__slots__
)
assert DueItem.__slots__ == tuple(f.name for f in fields(DueItem))


@dataclass(frozen=True, slots=True)
class RecipientHistory:
    """What the sender knows about one recipient, as of today."""

    digests_today: int
    digests_this_week: int  # in the current ISO week
    on_leave: bool  # absent or away: no digest at all
    last_sent_by_item: Mapping[str, date] = field(default_factory=dict)
    snoozed_until_by_item: Mapping[str, date] = field(default_factory=dict)  # exclusive
    done_elsewhere: frozenset[str] = frozenset()  # item keys: never nudge these again


# --- Idempotency -------------------------------------------------------------------------------


def repeat_window_start(first_sent: date | None, as_of: date, repeat_days: int) -> date:
    """The start of the repeat window that ``as_of`` falls in.

    Windows are [first_sent + k * repeat_days, first_sent + (k + 1) * repeat_days) for
    k = 0, 1, …. An item never sent starts its first window on ``as_of``. Because an item is
    never sent twice within ``repeat_days`` (see ``select_items``), at most one send falls in
    each window, so (recipient, kind, item, window) identifies one send.
    """
    if repeat_days < 1:
        raise ValueError(f"repeat_days must be at least 1, got {repeat_days}")
    if first_sent is None:
        return as_of
    if as_of < first_sent:
        raise ValueError(f"as_of {as_of.isoformat()} is before first_sent {first_sent.isoformat()}")
    windows = (as_of - first_sent).days // repeat_days
    return first_sent + timedelta(days=windows * repeat_days)


def idempotency_key(item: DueItem, window_start: date) -> str:
    """One key per recipient, kind, item and repeat window: "42:rtw_due:absence:17:2026-03-02"."""
    return f"{item.recipient_id}:{item.kind}:{item.item_key}:{window_start.isoformat()}"


# --- Time budget -------------------------------------------------------------------------------


def iso_week(d: date) -> tuple[int, int]:
    """(ISO year, ISO week) — the unit of ``weekly_cap``. Sun 3 Jan 2027 is (2026, 53)."""
    year, week, _ = d.isocalendar()
    return year, week


def snooze_until(today: date, policy: NudgePolicy = DEFAULT_POLICY) -> date:
    """The (exclusive) end of a snooze started today: the item comes back on this date."""
    return today + timedelta(days=policy.snooze_days)


def can_send_now(
    now: datetime,
    policy: NudgePolicy = DEFAULT_POLICY,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> tuple[bool, str]:
    """Whether a digest may go out at ``now`` (aware, in the council's local time zone).

    Returns (True, "") or (False, reason).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware (local time)")
    day = now.date()
    if not policy.send_days.works_on(day):
        return False, (
            f"{WEEKDAY_NAMES[day.weekday()]} is not a sending day ({policy.send_days.describe()})"
        )
    if not is_working_day(day, policy.send_days, holidays):
        return False, f"{day.isoformat()} is a bank holiday ({holidays.name(day)})"
    minute_of_day = now.hour * 60 + now.minute
    if minute_of_day < policy.opens_at:
        return False, f"{now:%H:%M} is before sending opens at {policy.opens_text}"
    if minute_of_day >= policy.closes_at:
        return False, f"{now:%H:%M} is after sending closes at {policy.closes_text}"
    return True, ""


# --- Choosing items ----------------------------------------------------------------------------


def _order(item: DueItem) -> tuple[bool, int, date, str]:
    return (not item.escalated, KIND_PRIORITY[item.kind], item.due_since, item.item_key)


def _recipient_block(history: RecipientHistory, policy: NudgePolicy) -> str | None:
    if history.on_leave:
        return "recipient is on leave"
    if history.digests_today >= policy.daily_cap:
        return f"already had {history.digests_today} digest(s) today (daily cap {policy.daily_cap})"
    if history.digests_this_week >= policy.weekly_cap:
        return (
            f"already had {history.digests_this_week} digest(s) this week "
            f"(weekly cap {policy.weekly_cap})"
        )
    return None


def _item_block(
    item: DueItem, history: RecipientHistory, today: date, policy: NudgePolicy
) -> str | None:
    if item.kind not in policy.enabled_kinds:
        return "kind switched off"
    if item.item_key in history.done_elsewhere:
        return "marked done elsewhere"
    until = history.snoozed_until_by_item.get(item.item_key)
    if until is not None and today < until:
        return f"snoozed until {until.isoformat()}"
    last = history.last_sent_by_item.get(item.item_key)
    if last is not None and (today - last).days < policy.repeat_days:
        return f"sent on {last.isoformat()} (repeat after {policy.repeat_days} days)"
    return None


def select_items(
    items: Sequence[DueItem],
    history: RecipientHistory,
    *,
    today: date,
    policy: NudgePolicy = DEFAULT_POLICY,
) -> tuple[list[DueItem], list[tuple[DueItem, str]]]:
    """Today's digest for one recipient: (items to send, items held back with the reason).

    All ``items`` must be addressed to the same recipient (a mix is a caller bug: ValueError).
    If the recipient is on leave or has reached a cap, every item is held with that reason.
    Otherwise an item is held if its kind is switched off, it was marked done elsewhere, it is
    snoozed, it was sent less than ``repeat_days`` ago, or it repeats an item key already
    chosen. Both lists are in digest order: escalated first, then kind priority (RTW,
    keep-in-touch, APR, one-to-one, objective), then oldest ``due_since``.
    """
    recipients = {item.recipient_id for item in items}
    if len(recipients) > 1:
        raise ValueError(f"items for more than one recipient: {sorted(recipients)}")
    ordered = sorted(items, key=_order)
    blocked = _recipient_block(history, policy)
    if blocked is not None:
        return [], [(item, blocked) for item in ordered]
    chosen: list[DueItem] = []
    held: list[tuple[DueItem, str]] = []
    chosen_keys: set[str] = set()
    for item in ordered:
        reason = _item_block(item, history, today, policy)
        if reason is None and item.item_key in chosen_keys:
            reason = "duplicate of an item already in this digest"
        if reason is None:
            chosen.append(item)
            chosen_keys.add(item.item_key)
        else:
            held.append((item, reason))
    return chosen, held


def escalations(
    items: Sequence[DueItem],
    nudges_sent_by_item: Mapping[str, int],
    manager_of: Mapping[int, int | None],
    policy: NudgePolicy = DEFAULT_POLICY,
) -> list[DueItem]:
    """Copies of still-due items for the next manager up the subject's chain after repeated
    nudges.

    ``items`` are the items due now; ``nudges_sent_by_item`` counts nudges per item key. An
    item escalates when its kind is in ``escalate_kinds`` and it has been nudged at least
    ``escalate_after`` times. The copy goes to ``manager_of[item.escalation_base]`` (the line
    manager's manager, even when an acting manager got the first nudges) with
    ``escalated=True`` and ``item_key`` + ":escalated". Skipped when there is no manager (or the
    "manager" is the recipient), and items that are already escalations never escalate again.
    """
    raised: list[DueItem] = []
    for item in items:
        if item.escalated or item.kind not in policy.escalate_kinds:
            continue
        if nudges_sent_by_item.get(item.item_key, 0) < policy.escalate_after:
            continue
        manager = manager_of.get(item.escalation_base)
        if manager is None or manager == item.recipient_id:
            continue
        raised.append(
            replace(
                item,
                recipient_id=manager,
                escalated=True,
                item_key=item.item_key + ESCALATED_SUFFIX,
                escalates_from=None,
            )
        )
    return raised


# --- An overdue one-to-one that is already planned ---------------------------------------------

# How far ahead a planned one-to-one still answers "overdue": the next working week.
PLANNED_SOON_WORKING_DAYS = 5


def planned_when(starts_at: datetime, today: date) -> str:
    """ "tomorrow, Tue 8 Dec 10:00", "today, 14:00", "Thu 10 Dec 10:00"."""
    day = starts_at.date()
    if day == today:
        return f"today, {starts_at:%H:%M}"
    moment = f"{starts_at:%a %-d %b %H:%M}"
    return f"tomorrow, {moment}" if (day - today).days == 1 else moment


def note_planned(
    items: Sequence[DueItem],
    planned: Mapping[int, datetime],
    *,
    now: datetime,
    today: date,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
    within: int = PLANNED_SOON_WORKING_DAYS,
) -> list[DueItem]:
    """The items, each overdue one-to-one whose next meeting is already planned saying so.

    ``planned`` is each employee's next planned one-to-one (aware, local time). It counts when
    it is still to come (after ``now``) and on a day from ``today`` to ``within`` working days
    after it: the item then reads "… — planned for tomorrow, Tue 8 Dec 10:00" instead of
    nagging as if nothing were planned. It stays in the digest (the one-to-one is still
    overdue, and it is logged from there), with the same key, so its budget is unchanged.
    """
    last_day = add_working_days(today, within, pattern=pattern, holidays=holidays)
    noted: list[DueItem] = []
    for item in items:
        starts_at = planned.get(item.subject_id) if item.kind == NudgeKind.ONE_TO_ONE_DUE else None
        if starts_at is None or starts_at <= now or not today <= starts_at.date() <= last_day:
            noted.append(item)
            continue
        when = planned_when(starts_at, today)
        noted.append(replace(item, detail=f"{item.detail} — planned for {when}"))
    return noted


# --- Splitting a digest that is too big for one message -----------------------------------------

Section = tuple[str, list[dict[str, Any]]]
_SEPARATOR_BYTES = 2  # json.dumps puts ", " between list elements


def _json_size(obj: object) -> int:
    return len(json.dumps(obj).encode())


def split_digest(
    sections: Sequence[tuple[str, Sequence[dict[str, Any]]]],
    *,
    max_bytes: int = 80_000,
    size: Callable[[object], int] = _json_size,
) -> list[list[Section]]:
    """Split a digest into parts that each serialise to at most ``max_bytes``.

    A part is ``[(heading, [item, …]), …]``; its size is counted as ``size`` of the empty part,
    plus ``size((heading, []))`` for each section, ``size(item)`` for each item, and two bytes
    per separator — exactly ``len(json.dumps(part))`` with the default ``size``. Items are
    never split and keep their order; a section continued in the next part repeats its heading;
    sections with no items are dropped. An item too big to fit in a part on its own, with its
    heading, is a ValueError (shorten it before sending).
    """
    parts: list[list[Section]] = []
    current: list[Section] = []
    used = size([])
    for heading, items in sections:
        heading_cost = size((heading, []))
        in_current = False  # whether ``current`` ends with this section
        for item in items:
            item_cost = size(item)
            if in_current:
                cost = _SEPARATOR_BYTES + item_cost
            else:
                cost = (_SEPARATOR_BYTES if current else 0) + heading_cost + item_cost
            if used + cost > max_bytes and current:
                parts.append(current)
                current, used, in_current = [], size([]), False
                cost = heading_cost + item_cost
            if used + cost > max_bytes:
                raise ValueError(
                    f"an item in {heading!r} needs {used + cost} bytes on its own, "
                    f"over max_bytes {max_bytes}"
                )
            if not in_current:
                current.append((heading, []))
                in_current = True
            current[-1][1].append(item)
            used += cost
    if current:
        parts.append(current)
    return parts
