"""When Charter speaks about a planned one-to-one: the working day before, and after it.

The day before: on the last working day before the meeting (the Friday before a Monday
meeting, the Thursday before the Tuesday after a bank holiday Monday) the employee is asked
what they want to talk about and the manager gets a prep card; not when the employee is away
on the meeting day. Those reminders travel in the reminder digest, so the digest's own budget
(sending days and hours, daily and weekly caps, the recipient away) applies to them as to
everything else: :func:`day_before_decision` puts the two together for one recipient.

After: once the meeting day has passed by a working day with nothing logged, the manager is
asked once whether they met.

Plain rules, no database; every date is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.agenda import PlanStatus
from domain.nudge_rules import (
    DEFAULT_POLICY,
    DueItem,
    NudgeKind,
    NudgePolicy,
    RecipientHistory,
    can_send_now,
    select_items,
)
from domain.working_days import (
    DEFAULT_PATTERN,
    ENGLAND_AND_WALES,
    BankHolidays,
    WorkingPattern,
    add_working_days,
    is_working_day,
)

_SCAN_DAYS = 31


def prep_day(
    meeting: date,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> date:
    """The last working day before the meeting day."""
    day = meeting
    for _ in range(_SCAN_DAYS):
        day = date.fromordinal(day.toordinal() - 1)
        if is_working_day(day, pattern, holidays):
            return day
    raise ValueError(f"no working day in the month before {meeting.isoformat()}")


@dataclass(frozen=True)
class Meeting:
    """A planned one-to-one as the reminder rules see it."""

    plan_id: int
    employee_id: int
    manager_id: int
    day: date
    status: PlanStatus = PlanStatus.PLANNED
    employee_away_on_day: bool = False
    logged_since: bool = False  # a one-to-one logged on or after the planned day


def day_before_due(
    meeting: Meeting,
    as_of: date,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> bool:
    """Whether today is the day to remind both people (not when the employee is away then)."""
    if meeting.status is not PlanStatus.PLANNED or meeting.employee_away_on_day:
        return False
    return prep_day(meeting.day, pattern, holidays) == as_of


def after_check_due(
    meeting: Meeting,
    as_of: date,
    pattern: WorkingPattern = DEFAULT_PATTERN,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> bool:
    """Whether to ask "did you meet?": the planned day has passed by a working day and
    nothing is logged since."""
    if meeting.status is not PlanStatus.PLANNED or meeting.logged_since:
        return False
    return as_of >= add_working_days(meeting.day, 1, pattern=pattern, holidays=holidays)


def day_before_decision(
    now: datetime,
    item: DueItem,
    history: RecipientHistory,
    policy: NudgePolicy = DEFAULT_POLICY,
    holidays: BankHolidays = ENGLAND_AND_WALES,
) -> tuple[bool, str]:
    """Whether a day-before item reaches its recipient at ``now``: inside the sending hours
    and days, and inside the recipient's reminder budget (the digest's own rules)."""
    allowed, why = can_send_now(now, policy, holidays)
    if not allowed:
        return False, why
    chosen, held = select_items([item], history, today=now.date(), policy=policy)
    if chosen:
        return True, ""
    return False, held[0][1]


def prep_item(meeting: Meeting, *, employee_name: str, recipient_id: int, as_of: date) -> DueItem:
    """The manager's "prep card" item in their digest."""
    return DueItem(
        kind=NudgeKind.ONE_TO_ONE_PREP,
        subject_id=meeting.employee_id,
        item_key=f"prep:{meeting.plan_id}",
        recipient_id=recipient_id,
        escalates_from=meeting.manager_id,
        due_since=as_of,
        title=f"One-to-one with {employee_name} on {meeting.day:%A %-d %B}",
        detail="Your prep card: their agenda, actions, objectives and wellbeing",
    )


def invite_item(meeting: Meeting, *, manager_name: str, as_of: date) -> DueItem:
    """The employee's "anything you want to talk about?" item in their digest."""
    first = manager_name.split()[0] if manager_name.split() else manager_name
    return DueItem(
        kind=NudgeKind.AGENDA_INVITE,
        subject_id=meeting.employee_id,
        item_key=f"agenda:{meeting.plan_id}",
        recipient_id=meeting.employee_id,
        due_since=as_of,
        title=f"Your one-to-one with {first} is {_when(meeting.day, as_of)}",
        detail=f"Anything you want to talk about? Add it here and {first} will see it before "
        "you meet.",
    )


def check_item(meeting: Meeting, *, employee_name: str, recipient_id: int, as_of: date) -> DueItem:
    """The manager's "did you meet?" item, after the planned day."""
    first = employee_name.split()[0] if employee_name.split() else employee_name
    return DueItem(
        kind=NudgeKind.ONE_TO_ONE_CHECK,
        subject_id=meeting.employee_id,
        item_key=f"met:{meeting.plan_id}",
        recipient_id=recipient_id,
        escalates_from=meeting.manager_id,
        due_since=meeting.day,
        title=f"Did you meet {first}?",
        detail=f"Planned for {meeting.day:%A %-d %B}; nothing is logged yet",
    )


def _when(day: date, as_of: date) -> str:
    return "tomorrow" if (day - as_of).days == 1 else f"on {day:%A %-d %B}"
