"""The nudge pipeline's domain side: plan every due item, apply the notification budget and
escalation per recipient, and queue one digest per person idempotently.

The send step (the bot layer) claims queued digests and delivers them within Teams' limits.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from domain.clock import Clock
from domain.errors import Invalid, Refused
from domain.nudge_rules import (
    DueItem,
    NudgeKind,
    NudgePolicy,
    RecipientHistory,
    can_send_now,
    escalations,
    idempotency_key,
    note_planned,
    repeat_window_start,
    select_items,
    snooze_until,
)
from domain.working_days import WorkingPattern
from services.nudge_planner import PlanSettings, plan_due_items
from storage import nudge_queries
from storage import nudges as outbox
from storage.database import Database
from storage.nudges import QueuedNudge

# The item key of an objective waiting to be agreed ("objective:<id>", nudge_planner).
OBJECTIVE_ITEM_PREFIX = "objective:"


@dataclass(frozen=True)
class ItemMark:
    """What the recipient recorded on an item: snoozed ``until`` a date, or done elsewhere
    (``reason``), at ``at`` (the council's time)."""

    until: date | None
    reason: str | None
    at: datetime

    def finished(self, today: date) -> bool:
        """Done elsewhere, or snoozed and the snooze still running."""
        return self.reason is not None or (self.until is not None and self.until > today)


@dataclass(frozen=True)
class DigestItem:
    """One item of a digest, as it was queued."""

    digest_id: int
    kind: str
    item_key: str
    subject_id: int | None
    title: str
    detail: str
    due_since: date
    escalated: bool
    created_at: datetime
    recipient_id: int | None = None


@dataclass(frozen=True)
class DigestState:
    """A digest as it was sent, and what its recipient has recorded on its items since."""

    digest_id: int
    nudges: tuple[DigestItem, ...]
    subject_refs: dict[int, str]
    marks: dict[str, ItemMark]

    def item(self, item_key: object) -> DigestItem:
        """The digest's item with this key: an item not on it is refused."""
        for nudge in self.nudges:
            if nudge.item_key == item_key:
                return nudge
        raise Refused("That reminder isn't one of yours.")


class AlreadyMarked(Refused):
    """A second press on an item already snoozed or done elsewhere: nothing changes."""

    def __init__(self, mark: ItemMark) -> None:
        if mark.reason is not None:
            said = f"It was already marked done elsewhere ({mark.at:%-d %B at %H:%M})."
        else:
            until = mark.until or mark.at.date()
            said = f"It was already snoozed until {until:%A %-d %B}."
        super().__init__(f"{said} Nothing was changed.")
        self.mark = mark


@dataclass(frozen=True)
class PlannedDigest:
    recipient_id: int
    items: list[DueItem]
    held: list[tuple[DueItem, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CycleReport:
    as_of: date
    due_items: int
    digests: list[PlannedDigest]
    queued_digests: int = 0
    queued_nudges: int = 0

    @property
    def recipients(self) -> int:
        return sum(1 for d in self.digests if d.items)


_gc_pauses = 0


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while planning: the plan builds tens of thousands of
    small objects that all live until it ends, and the collector kept re-scanning them
    (about a quarter of the plan's CPU for 50,000 people). Nothing planning makes is cyclic
    garbage; collection resumes, and catches up, as soon as the last plan running ends."""
    global _gc_pauses
    if _gc_pauses == 0 and not gc.isenabled():
        yield  # someone else turned it off: leave it as it is
        return
    _gc_pauses += 1
    gc.disable()
    try:
        yield
    finally:
        _gc_pauses -= 1
        if _gc_pauses == 0:
            gc.enable()


# What the CLI prints when ``--deliver-now`` set the sending window aside.
DELIVER_NOW_NOTE = "sending days and hours set aside (--deliver-now: a demo or support check)"


def sending_allowed(
    now: datetime, policy: NudgePolicy, *, deliver_now: bool = False
) -> tuple[bool, str]:
    """Whether queued digests may go out at ``now``: (True, "") or (False, why).

    ``deliver_now`` is for a demo or a support check (``charter nudges --deliver-now``), never
    the default: it sets aside only the sending window (days, hours, bank holidays), so a
    newcomer trying Charter on an evening or weekend can see a digest. Everything else still
    holds, because the digests go through the same outbox: one per person per run date,
    claims, pacing and retries, and the budget and snoozes the plan already applied.
    """
    if deliver_now:
        return True, DELIVER_NOW_NOTE
    return can_send_now(now, policy)


class NudgeService:
    def __init__(
        self, database: Database, clock: Clock, policy: NudgePolicy, plan: PlanSettings
    ) -> None:
        self._db = database
        self._clock = clock
        self.policy = policy
        self.plan_settings = plan

    async def plan(
        self, as_of: date
    ) -> tuple[int, list[PlannedDigest], dict[int, RecipientHistory]]:
        """Everything due, filtered through each recipient's budget (nothing is written)."""
        with gc_paused():
            return await self._plan(as_of)

    async def _plan(
        self, as_of: date
    ) -> tuple[int, list[PlannedDigest], dict[int, RecipientHistory]]:
        policy = self.policy
        items = await self._note_planned(
            as_of,
            [
                i
                for i in await plan_due_items(self._db, as_of, self.plan_settings)
                if i.kind in policy.enabled_kinds
            ],
        )
        may_escalate = [i for i in items if i.kind in policy.escalate_kinds and not i.escalated]
        async with self._db.sessions() as session:
            # The sends that count towards escalating an item are those since it fell due,
            # so the history reads back no further than the oldest such item.
            sent = await outbox.history(
                session,
                as_of,
                repeat_days=policy.repeat_days,
                escalate_kinds={k.value for k in policy.escalate_kinds},
                escalate_since=min((i.due_since for i in may_escalate), default=None),
            )
            sent_counts = {
                i.item_key: sent.sends_since(i.recipient_id, i.item_key, i.due_since)
                for i in may_escalate
            }
            due_up = [i for i in may_escalate if sent_counts[i.item_key] >= policy.escalate_after]
            # Escalation climbs the subject's org chart from the line manager, not the chart of
            # an acting manager who received the first nudges during a delegation.
            managers = await nudge_queries.managers_of(session, {i.escalation_base for i in due_up})
        escalated = escalations(due_up, sent_counts, managers, policy)
        by_recipient: dict[int, list[DueItem]] = defaultdict(list)
        for item in items:
            by_recipient[item.recipient_id].append(item)
        for item in escalated:
            by_recipient[item.recipient_id].append(item)
        histories: dict[int, RecipientHistory] = {}
        digests = []
        nothing: dict[str, date] = {}
        for recipient, due in sorted(by_recipient.items()):
            today, this_week = sent.digests.get(recipient, (0, 0))
            history = histories[recipient] = RecipientHistory(
                digests_today=today,
                digests_this_week=this_week,
                on_leave=recipient in sent.away,
                last_sent_by_item=sent.last_sent.get(recipient, nothing),
                snoozed_until_by_item=sent.snoozed_until.get(recipient, nothing),
                done_elsewhere=sent.done_elsewhere.get(recipient, frozenset()),
            )
            chosen, held = select_items(due, history, today=as_of, policy=policy)
            digests.append(PlannedDigest(recipient, chosen, held))
        return len(items), digests, histories

    async def _note_planned(self, as_of: date, items: list[DueItem]) -> list[DueItem]:
        """Overdue one-to-ones already planned in the next working days say when
        (:func:`domain.nudge_rules.note_planned`)."""
        if not any(i.kind == NudgeKind.ONE_TO_ONE_DUE for i in items):
            return items
        tz = self._clock.tz
        now = self._clock.now()
        start = max(now, datetime.combine(as_of, time(), tzinfo=tz))
        async with self._db.sessions() as session:
            planned = await nudge_queries.next_planned(
                session, start, datetime.combine(as_of + timedelta(days=15), time(), tzinfo=tz)
            )
        return note_planned(
            items,
            {employee: at.astimezone(tz) for employee, at in planned.items()},
            now=start,
            today=as_of,
            pattern=WorkingPattern.parse(self.plan_settings.default_pattern or "Mon-Fri"),
            holidays=self.plan_settings.holidays,
        )

    async def run_cycle(self, as_of: date, *, dry_run: bool = False) -> CycleReport:
        """Plan and (unless a dry run) queue, all in one transaction."""
        due, digests, histories = await self.plan(as_of)
        if dry_run:
            return CycleReport(as_of, due, digests)
        now = self._clock.now()
        queued_digests = queued_nudges = 0
        async with self._db.transaction() as session:
            for digest in digests:
                if not digest.items:
                    continue
                history = histories[digest.recipient_id]
                nudges = [
                    QueuedNudge(
                        idempotency_key=idempotency_key(
                            item,
                            repeat_window_start(
                                history.last_sent_by_item.get(item.item_key),
                                as_of,
                                self.policy.repeat_days,
                            ),
                        ),
                        kind=item.kind.value,
                        item_key=item.item_key,
                        subject_id=item.subject_id,
                        title=item.title,
                        detail=item.detail,
                        due_since=item.due_since,
                        escalated=item.escalated,
                    )
                    for item in digest.items
                ]
                added = await outbox.queue_digest(
                    session,
                    recipient_id=digest.recipient_id,
                    run_date=as_of,
                    nudges=nudges,
                    now=now,
                )
                if added:
                    queued_digests += 1
                    queued_nudges += added
        return CycleReport(as_of, due, digests, queued_digests, queued_nudges)

    async def snooze(self, recipient_id: int, item_key: object, *, days: int | None = None) -> date:
        if not isinstance(item_key, str) or not item_key:
            raise Refused("That reminder isn't one of yours.")
        policy = replace(self.policy, snooze_days=days) if days else self.policy
        until = snooze_until(self._clock.today(), policy)
        await self._mark(recipient_id, item_key, until=until, reason=None)
        return until

    async def digest(self, recipient_id: int, digest_id: object) -> DigestState:
        """The recipient's own digest, with their marks on its items (read on the server:
        a card's claims about what was done are never trusted)."""
        if not isinstance(digest_id, int) or isinstance(digest_id, bool):
            raise Refused("That reminder isn't one of yours.")
        async with self._db.sessions() as session:
            loaded = (await outbox.load_digests(session, [digest_id])).get(digest_id)
            if loaded is None or loaded[0].recipient_id != recipient_id:
                raise Refused("That reminder isn't one of yours.")
            digest, refs = loaded
            rows = await outbox.item_marks(
                session, recipient_id, {n.item_key for n in digest.nudges}
            )
        tz = self._clock.tz
        marks = {
            key: ItemMark(row.until, row.done_reason, row.created_at.astimezone(tz))
            for key, row in rows.items()
        }
        items = tuple(
            DigestItem(
                digest_id,
                n.kind,
                n.item_key,
                n.subject_id,
                n.title,
                n.detail,
                n.due_since,
                n.escalated,
                n.created_at,
                recipient_id,
            )
            for n in digest.nudges
        )
        return DigestState(digest_id, items, refs, marks)

    async def done_elsewhere(self, recipient_id: int, item_key: object, reason: object) -> None:
        if not isinstance(item_key, str) or not item_key:
            raise Refused("That reminder isn't one of yours.")
        if item_key.startswith(OBJECTIVE_ITEM_PREFIX):
            # An older digest card offered it: agreeing is the record, so say where to do it.
            raise Invalid(
                "An objective is agreed in Charter itself: press Agree objective on the "
                "reminder (you'll see its measure and date first), or Snooze it."
            )
        text = reason.strip() if isinstance(reason, str) else ""
        if not text:
            raise Invalid("Please say briefly where it was done, so HR's records make sense.")
        await self._mark(recipient_id, item_key, until=None, reason=text[:500])

    async def _mark(
        self, recipient_id: int, item_key: str, *, until: date | None, reason: str | None
    ) -> None:
        async with self._db.transaction() as session:
            if not await outbox.was_sent_to(session, recipient_id, item_key):
                raise Refused("That reminder isn't one of yours.")
            found = (await outbox.item_marks(session, recipient_id, [item_key])).get(item_key)
            if found is not None:
                mark = ItemMark(found.until, found.done_reason, found.created_at)
                if mark.finished(self._clock.today()):
                    raise AlreadyMarked(
                        replace(mark, at=found.created_at.astimezone(self._clock.tz))
                    )
            await outbox.set_snooze(
                session,
                recipient_id=recipient_id,
                item_key=item_key,
                until=until,
                done_reason=reason,
                now=self._clock.now(),
            )

    def sending_allowed(self, *, deliver_now: bool = False) -> tuple[bool, str]:
        """:func:`sending_allowed` by this service's clock and policy."""
        return sending_allowed(self._clock.now(), self.policy, deliver_now=deliver_now)

    def now(self) -> datetime:
        return self._clock.now()
