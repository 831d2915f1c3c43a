"""The demo teams' one-to-one history (``data/one_to_ones.yaml``), logged as the bot would have."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Person
from domain.records import AREA_COLUMNS
from services.demo import load
from services.demo.org import demo_teams, meeting_day
from storage import one_to_ones as repo
from storage.database import Database


async def seed_demo_one_to_ones(database: Database, as_of: date) -> int:
    """Give the demo teams a few months of one-to-ones before ``as_of``; returns how many.

    Adds nothing if anyone in the demo teams already has a one-to-one, so running it again
    (or after someone has tried the bot) changes nothing. Uses the same repository calls as the
    bot, so each record has its 'created' revision and actions are reviewed as the bot does.
    """
    async with database.transaction() as session:
        teams = await demo_teams(session, as_of)
        everyone = [p.id for manager, reports in teams for p in (manager, *reports.values())]
        if await repo.last_held_by_employee(session, everyone):
            return 0
        created = 0
        for manager, reports in teams:
            for number, report in reports.items():
                created += await _seed_history(session, number, report, manager.id, as_of)
    return created


def _logged_at(held_on: date, number: int) -> datetime:
    """Logged the afternoon of the meeting, at a time that varies from person to person."""
    return datetime.combine(held_on, time(13 + number % 4, 5 * (number % 12)), tzinfo=UTC)


_Open = tuple[int, bool, int]  # action id, done by the next one-to-one, owner's pk


async def _seed_history(
    session: AsyncSession, number: int, report: Person, manager_pk: int, as_of: date
) -> int:
    """Log one report's one-to-ones, oldest first, as their manager would have."""
    history = sorted(load.one_to_ones().get(number, ()), key=lambda meeting: -meeting.days_ago)
    open_actions: list[_Open] = []
    logged: list[datetime] = []
    for meeting in history:
        held_on = meeting_day(as_of - timedelta(days=meeting.days_ago))
        if held_on < report.start_date:
            continue
        now = _logged_at(held_on, number)
        open_actions = await _review(session, open_actions, by_pk=manager_pk, now=now)
        open_actions += await _log(session, meeting, report, manager_pk, held_on, now)
        logged.append(now)
    if logged:
        # Done since the latest one-to-one: ticked off by their owners a few days after it.
        done_at = min(logged[-1] + timedelta(days=4), datetime.combine(as_of, time(), UTC))
        for action_id, done, owner_pk in open_actions:
            if done:
                await repo.mark_actions_done(session, [action_id], by_pk=owner_pk, now=done_at)
    return len(logged)


async def _log(
    session: AsyncSession,
    meeting: load.OneToOne,
    report: Person,
    manager_pk: int,
    held_on: date,
    now: datetime,
) -> list[_Open]:
    """Record one one-to-one; returns the actions agreed at it."""
    record_id = await repo.add_one_to_one(
        session,
        employee_pk=report.id,
        manager_pk=manager_pk,
        held_on=held_on,
        notes=dict(zip(AREA_COLUMNS, meeting.areas, strict=True)),
        shared_notes=meeting.shared_notes,
        private_note=meeting.private_note,
        wellbeing_concern=meeting.wellbeing_concern,
        actions=[
            (agreed.action, agreed.owner, held_on + timedelta(days=agreed.due_in_days))
            for agreed in meeting.actions
        ],
        now=now,
    )
    record = await repo.get_one_to_one(session, record_id)
    assert record is not None
    return [
        (action.id, agreed.done, report.id if agreed.owner == "employee" else manager_pk)
        for action, agreed in zip(record.actions, meeting.actions, strict=True)
    ]


async def _review(
    session: AsyncSession, open_actions: list[_Open], *, by_pk: int, now: datetime
) -> list[_Open]:
    """The bot's carry-over step: tick off what was done, carry the rest forward."""
    done = [action_id for action_id, is_done, _ in open_actions if is_done]
    still_open = [action for action in open_actions if not action[1]]
    await repo.mark_actions_done(session, done, by_pk=by_pk, now=now)
    await repo.carry_forward(session, [action_id for action_id, *_ in still_open])
    return still_open
