"""The reminder digest's buttons through the TestAdapter: Snooze (7 days) and Done elsewhere
change what the next cycles send, and only for the person they were sent to."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from domain.clock import FixedClock
from domain.nudge_rules import NudgeKind, NudgePolicy
from services.nudge_planner import PlanSettings
from services.nudges import NudgeService
from storage import absences as absence_repo
from storage.database import Database
from storage.models import Employee, Nudge, Objective, PlannedOneToOne
from tests.support.chat import NOW, Chat
from tests.support.people import PRIYA_MANAGER, TOM_MANAGER

TODAY = NOW.date()


def cycle(database: Database, days: int = 0) -> NudgeService:
    return NudgeService(
        database, FixedClock(NOW + timedelta(days=days)), NudgePolicy(weekly_cap=10), PlanSettings()
    )


async def priya_items(database: Database) -> list[str]:
    async with database.sessions() as session:
        priya = await session.scalar(select(Employee.id).where(Employee.employee_id == "D003"))
        return list(
            (await session.scalars(select(Nudge.item_key).where(Nudge.recipient_id == priya))).all()
        )


async def test_snooze_and_done_elsewhere_are_respected_and_cannot_be_forged(
    demo_org: Database,
) -> None:
    await cycle(demo_org).run_cycle(TODAY)
    keys = await priya_items(demo_org)
    async with demo_org.sessions() as session:
        ids = dict((await session.execute(select(Employee.employee_id, Employee.id))).all())
    rhys_item = f"one_to_one:{ids['D013']}"
    margaret_item = f"one_to_one:{ids['D011']}"
    assert {rhys_item, margaret_item} <= set(keys)

    priya = Chat(demo_org, PRIYA_MANAGER)
    assert "Snoozed" in Chat.text_of(
        await priya.submit({"form": "nudge_snooze", "item_key": rhys_item})
    )
    assert "say briefly where it was done" in Chat.text_of(
        await priya.submit({"form": "nudge_done", "item_key": margaret_item, "reason": " "})
    )
    assert "noted as done elsewhere" in Chat.text_of(
        await priya.submit(
            {"form": "nudge_done", "item_key": margaret_item, "reason": "Held on paper"}
        )
    )
    tom = Chat(demo_org, TOM_MANAGER)
    assert "isn't one of yours" in Chat.text_of(
        await tom.submit({"form": "nudge_snooze", "item_key": rhys_item})
    )

    week_later = await cycle(demo_org, days=6).run_cycle(TODAY + timedelta(days=6), dry_run=True)
    priya_digest = next(d for d in week_later.digests if d.recipient_id == ids["D003"])
    reasons = {item.item_key: reason for item, reason in priya_digest.held}
    assert "snoozed" in reasons[rhys_item]
    assert "done elsewhere" in reasons[margaret_item]
    after_snooze = await cycle(demo_org, days=7).run_cycle(TODAY + timedelta(days=7), dry_run=True)
    priya_digest = next(d for d in after_snooze.digests if d.recipient_id == ids["D003"])
    assert rhys_item in {i.item_key for i in priya_digest.items}
    assert margaret_item not in {i.item_key for i in priya_digest.items}


async def test_the_planner_finds_every_kind_of_item(demo_org: Database) -> None:
    async with demo_org.transaction() as session:
        ids = dict((await session.execute(select(Employee.employee_id, Employee.id))).all())
        for employee, start, end in (
            ("D013", date(2026, 11, 16), date(2026, 11, 20)),
            ("D012", date(2026, 10, 1), None),
        ):
            await absence_repo.add_absence(
                session,
                employee_pk=ids[employee],
                start_date=start,
                end_date=end,
                absence_type="sickness",
                reason_category=None,
                working_days_lost=None,
                working_days_given=False,
                disability_related=False,
                expected_return=None,
                source="import",
                recorded_by_pk=None,
                now=NOW,
            )
        session.add(
            Objective(
                employee_id=ids["D014"],
                title="Run a coding club",
                measure="",
                status="draft",
                proposed_by="owner",
                smart_overridden=False,
                created_at=NOW,
                updated_at=NOW,
                percent_complete=0,
            )
        )
        # Margaret's one-to-one tomorrow, and Mei Ling's last Thursday with nothing logged.
        for employee, starts_at in (
            ("D011", NOW + timedelta(days=1)),
            ("D014", NOW - timedelta(days=4)),
        ):
            session.add(
                PlannedOneToOne(
                    employee_id=ids[employee],
                    manager_id=ids["D003"],
                    starts_at=starts_at,
                    status="planned",
                    proposed=False,
                    created_at=NOW - timedelta(days=10),
                )
            )
    report = await cycle(demo_org).run_cycle(TODAY, dry_run=True)
    priya = next(d for d in report.digests if d.recipient_id == ids["D003"])
    kinds = {i.kind for i in priya.items} | {i.kind for i, _ in priya.held}
    # The one kind for the employee themself: what they want to talk about tomorrow.
    assert kinds == set(NudgeKind) - {NudgeKind.AGENDA_INVITE}
    margaret = next(d for d in report.digests if d.recipient_id == ids["D011"])
    assert [i.kind for i in margaret.items] == [NudgeKind.AGENDA_INVITE]
    rtw = next(i for i in priya.items if i.kind is NudgeKind.RTW_DUE)
    assert "Rhys Evans" in rtw.title and "due by 26 Nov 2026" in rtw.detail
