"""Plan and queue: one digest per person, idempotent across re-runs, dry runs write nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from domain.clock import FixedClock
from domain.nudge_rules import DueItem, NudgeKind, NudgePolicy
from services.nudge_planner import PlanSettings
from services.nudges import NudgeService, PlannedDigest
from storage.database import Database
from storage.models import Employee, Nudge, NudgeDigest
from tests.support.chat import NOW

TODAY = NOW.date()

# Managers in the demo council with something due on its date: one digest each.
DIGESTS = 12


def service(database: Database, **policy: object) -> NudgeService:
    return NudgeService(database, FixedClock(NOW), NudgePolicy(**policy), PlanSettings())  # type: ignore[arg-type]


async def count(database: Database, model: type) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def name_of(database: Database, pk: int) -> str:
    async with database.sessions() as session:
        return str(await session.scalar(select(Employee.name).where(Employee.id == pk)))


async def test_a_cycle_queues_one_digest_per_manager_and_a_rerun_queues_nothing(
    demo_org: Database,
) -> None:
    nudges = service(demo_org)
    dry = await nudges.run_cycle(TODAY, dry_run=True)
    assert await count(demo_org, NudgeDigest) == 0
    names = {d.recipient_id: await name_of(demo_org, d.recipient_id) for d in dry.digests}
    reminded = sorted(names[d.recipient_id] for d in dry.digests if d.items)
    # One per manager with something due: the first four departments' managers and the
    # managers of the departments the demo gained for HR's reports.
    assert {"Aisha Khan", "David Marsh", "Priya Shah", "Tom Griffiths"} <= set(reminded)
    assert len(reminded) == len(set(reminded)) == DIGESTS
    priya = next(d for d in dry.digests if names[d.recipient_id] == "Priya Shah")
    kinds = {i.kind for i in priya.items}
    assert NudgeKind.ONE_TO_ONE_DUE in kinds  # nobody in the demo org has had one yet
    assert all(
        "Callum" not in i.title for i in priya.items if i.kind is NudgeKind.APR_DUE
    )  # probation

    first = await nudges.run_cycle(TODAY)
    assert first.queued_digests == DIGESTS
    assert await count(demo_org, NudgeDigest) == DIGESTS
    queued = await count(demo_org, Nudge)
    assert queued == first.queued_nudges > 0

    again = await nudges.run_cycle(TODAY)
    assert (again.queued_digests, again.queued_nudges) == (0, 0)
    assert await count(demo_org, Nudge) == queued
    held_reasons = {reason for d in again.digests for _, reason in d.held}
    assert any("today" in r or "sent" in r for r in held_reasons)


async def test_the_same_item_is_not_repeated_within_seven_days(demo_org: Database) -> None:
    nudges = service(demo_org, weekly_cap=10)
    await nudges.run_cycle(TODAY)
    later = NudgeService(
        demo_org, FixedClock(NOW + timedelta(days=6)), NudgePolicy(weekly_cap=10), PlanSettings()
    )
    six_days = await later.run_cycle(TODAY + timedelta(days=6))
    assert six_days.queued_nudges == 0
    week = NudgeService(
        demo_org, FixedClock(NOW + timedelta(days=7)), NudgePolicy(weekly_cap=10), PlanSettings()
    )
    seven_days = await week.run_cycle(TODAY + timedelta(days=7))
    assert seven_days.queued_nudges > 0
    async with demo_org.sessions() as session:
        keys = (await session.scalars(select(Nudge.idempotency_key))).all()
    assert len(keys) == len(set(keys))


async def test_kinds_can_be_switched_off(demo_org: Database) -> None:
    report = await service(demo_org, enabled_kinds=frozenset({NudgeKind.RTW_DUE})).run_cycle(
        TODAY, dry_run=True
    )
    assert report.recipients == 0


async def _escalated_rtw_recipient(demo_org: Database) -> list[tuple[int, DueItem]]:
    """Rhys (Priya's team) back from sickness, nudged twice: who gets the escalation?"""
    from datetime import date

    from storage import absences as absence_repo

    async with demo_org.transaction() as session:
        rhys = await session.scalar(select(Employee.id).where(Employee.employee_id == "D013"))
        await absence_repo.add_absence(
            session,
            employee_pk=rhys,
            start_date=date(2026, 11, 2),
            end_date=date(2026, 11, 4),
            absence_type="sickness",
            reason_category=None,
            working_days_lost=3,
            working_days_given=True,
            disability_related=False,
            expected_return=None,
            source="import",
            recorded_by_pk=None,
            now=NOW,
        )
    policy = {"weekly_cap": 10, "repeat_days": 1}
    for offset in (0, 1):
        day = NOW + timedelta(days=offset)
        cycle = NudgeService(demo_org, FixedClock(day), NudgePolicy(**policy), PlanSettings())  # type: ignore[arg-type]
        await cycle.run_cycle(day.date())
    third = NudgeService(
        demo_org, FixedClock(NOW + timedelta(days=2)), NudgePolicy(**policy), PlanSettings()
    )  # type: ignore[arg-type]
    report = await third.run_cycle(TODAY + timedelta(days=2), dry_run=True)
    return [
        (digest.recipient_id, item)
        for digest in report.digests
        for item in digest.items
        if item.escalated
    ]


async def test_an_rtw_still_overdue_after_two_nudges_is_escalated_to_the_managers_manager(
    demo_org: Database,
) -> None:
    escalated = await _escalated_rtw_recipient(demo_org)
    assert len(escalated) == 1
    recipient, item = escalated[0]
    assert await name_of(demo_org, recipient) == "David Marsh"  # Priya's manager
    assert item.kind is NudgeKind.RTW_DUE and "Rhys Evans" in item.title


async def test_during_a_delegation_an_rtw_escalates_up_the_subjects_chain(
    demo_org: Database,
) -> None:
    """Daniel Kowalski (Tom Griffiths' report) acts for Priya: he gets Rhys's RTW nudges, but
    the escalation goes to Priya's manager (David Marsh), never to Daniel's own manager."""
    from services.delegation import DelegationService
    from storage import employees

    async with demo_org.sessions() as session:
        priya = await employees.get_person_by_email(
            session, "priya.shah@demo-council.example", as_of=TODAY
        )
        daniel = await employees.get_person_by_email(
            session, "daniel.kowalski@demo-council.example", as_of=TODAY
        )
    assert priya is not None and daniel is not None
    await DelegationService(demo_org, FixedClock(NOW)).create(
        priya, priya, daniel, ends_on=TODAY + timedelta(days=14)
    )
    escalated = await _escalated_rtw_recipient(demo_org)
    assert len(escalated) == 1
    recipient, item = escalated[0]
    assert await name_of(demo_org, recipient) == "David Marsh"
    assert item.kind is NudgeKind.RTW_DUE and "Rhys Evans" in item.title


async def test_looking_up_more_managers_than_a_driver_binds_parameters_for(
    database: Database,
) -> None:
    """40,000 ids (asyncpg refuses more than 32,767 parameters, SQLite 32,766 variables):
    the ids travel as one array parameter, so the look-up simply works."""
    from storage.nudge_queries import managers_of

    async with database.sessions() as session:
        assert await managers_of(session, set(range(1, 40_001))) == {}


async def test_planning_reads_the_outbox_without_lists_of_ids_and_only_recent_history(
    demo_org: Database,
) -> None:
    """Planning binds no list of recipients (whose size would follow the council's), and the
    outbox is read back only as far as the rules look: a nudge sent a year ago changes
    nothing, one sent this week holds the item back."""
    import re
    from datetime import date

    from sqlalchemy import event

    from storage import nudges as outbox

    nudges = service(demo_org)
    first = await nudges.run_cycle(TODAY)
    assert first.queued_digests == DIGESTS
    async with demo_org.transaction() as session:  # that cycle ran a year ago
        await session.execute(
            NudgeDigest.__table__.update().values(
                run_date=date(TODAY.year - 1, TODAY.month, TODAY.day), status="sent"
            )
        )
        await session.execute(Nudge.__table__.update().values(idempotency_key=Nudge.id))
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(demo_org.engine.sync_engine, "before_cursor_execute", record)
    try:
        again = await nudges.run_cycle(TODAY, dry_run=True)
    finally:
        event.remove(demo_org.engine.sync_engine, "before_cursor_execute", record)
    id_lists = [s for s in statements if re.search(r"(_id|\.id) IN \(", s)]
    assert id_lists == []
    assert again.recipients == DIGESTS  # a year-old send holds nothing back
    async with demo_org.sessions() as session:
        history = await outbox.history(session, TODAY, repeat_days=7)
    assert history.last_sent == {} and history.digests == {}


async def test_planning_pauses_garbage_collection_only_while_it_runs(demo_org: Database) -> None:
    import gc

    seen: list[bool] = []
    nudges = service(demo_org)
    original = nudges._plan

    async def watched(as_of):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return await original(as_of)

    nudges._plan = watched  # type: ignore[method-assign]
    await nudges.plan(TODAY)
    assert seen == [False] and gc.isenabled()


async def test_a_council_read_in_batches_plans_exactly_as_in_one(
    demo_org: Database, monkeypatch: object
) -> None:
    """SQLite reads the staff a batch of ids at a time (a big council's rows are never all in
    memory at once) and PostgreSQL streams them a partition at a time: batches of 1, 2 and 7
    people, ending mid-team and at the last person,
    plan the same items for the same people as one batch does, nobody twice or left out."""
    import pytest

    from storage import nudge_queries

    assert isinstance(monkeypatch, pytest.MonkeyPatch)

    def plan_of(digests: list[PlannedDigest]) -> list[tuple[int, list[DueItem], list[str]]]:
        return sorted(
            (d.recipient_id, sorted(d.items, key=repr), sorted(r for _, r in d.held))
            for d in digests
        )

    due, whole, _ = await service(demo_org).plan(TODAY)
    people = {i.subject_id for d in whole for i in d.items if i.kind is NudgeKind.ONE_TO_ONE_DUE}
    assert len(people) > 7
    for size in (1, 2, 7):
        monkeypatch.setattr(nudge_queries, "STAFF_BATCH", size)
        monkeypatch.setattr(nudge_queries, "STAFF_STREAM_ROWS", size)
        batched_due, batched, _ = await service(demo_org).plan(TODAY)
        assert (batched_due, plan_of(batched)) == (due, plan_of(whole))
