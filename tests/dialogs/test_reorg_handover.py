"""Issue 13, item 7: after a reorganisation, what someone says about their old records goes
to whoever manages them now, and the manager's actions about them move with them.

Priya holds a one-to-one (with an action for herself), an APR and a return to work with
Rhys; then Rhys moves to Tom's team. Rhys's comments on all three go to Tom (or to the
acting manager while Tom's team is delegated), never to Priya; Priya no longer has, nor can
close, the action about Rhys, and Tom does and can."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from domain.clock import FixedClock
from services.delegation import DelegationService
from services.one_to_ones import ActionDraft, OneToOneDraft
from services.registry import Services
from storage import absences as absence_repo
from storage.database import Database
from storage.models import Employee, OneToOneAction
from tests.support.chat import NOW, Chat, RecordingNotifier
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF, TOM_MANAGER

TODAY = NOW.date()


async def pk(database: Database, employee_id: str) -> int:
    async with database.sessions() as session:
        return int(
            await session.scalar(select(Employee.id).where(Employee.employee_id == employee_id))
        )


async def person(services: Services, employee_id: str) -> Any:
    from storage import employees

    async with services.database.sessions() as session:
        return await employees.get_person_by_employee_id(session, employee_id, as_of=TODAY)


async def priyas_records_about_rhys(database: Database) -> dict[str, int]:
    """A one-to-one with an action Priya owns, an APR and a return to work, all by Priya."""
    services = Services.build(database, FixedClock(NOW))
    priya = await person(services, "D003")
    logged = await services.one_to_ones.log(
        priya,
        "D013",
        OneToOneDraft(
            held_on=TODAY - timedelta(days=20),
            notes={"wellbeing": "Back pain since the move of the stacks."},
            actions=(ActionDraft("Book a workstation assessment", "manager", None),),
        ),
    )
    _, reviewable, _ = await services.aprs.recording_context(priya, "D013")
    apr = await services.aprs.record(
        priya,
        "D013",
        {
            "held_on": (TODAY - timedelta(days=15)).isoformat(),
            "overall_comments": "A good year.",
            **{f"outcome_{o.id}": "continuing" for o in reviewable},
        },
    )
    async with database.transaction() as session:
        absence_id = await absence_repo.add_absence(
            session,
            employee_pk=await pk(database, "D013"),
            start_date=TODAY - timedelta(days=12),
            end_date=TODAY - timedelta(days=11),
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
    chat = Chat(database, PRIYA_MANAGER)
    saved = await chat.submit(
        {
            "form": "rtw",
            "absence_id": absence_id,
            "held_on": (TODAY - timedelta(days=10)).isoformat(),
            "reason_category": "Cold, cough or flu",
            "notes": "Back pain",
            "reported_correctly": "true",
            "work_related": "false",
            "accident_at_work": "false",
            "underlying_condition": "false",
            "adjustments_needed": "false",
            "support_offered": "",
            "outcome": "no_further_action",
            "employee_comments": "",
        }
    )
    assert "Saved: return to work" in Chat.text_of(saved), Chat.text_of(saved)
    async with database.sessions() as session:
        from storage.models import ReturnToWork

        rtw_id = await session.scalar(
            select(ReturnToWork.id).where(ReturnToWork.absence_id == absence_id)
        )
        action_id = await session.scalar(
            select(OneToOneAction.id).where(OneToOneAction.one_to_one_id == logged.record.id)
        )
    assert rtw_id is not None and action_id is not None
    return {
        "one_to_one": logged.record.id,
        "apr": apr.apr.id,
        "rtw": int(rtw_id),
        "action": int(action_id),
    }


async def move_rhys_to_tom(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(
            update(Employee)
            .where(Employee.employee_id == "D013")
            .values(manager_id=await pk(database, "D004"))
        )


COMMENTS = [
    ("one_to_one", {"form": "one_to_one_comment", "record_id": None}),
    ("apr", {"form": "apr_comment", "apr_id": None}),
    ("rtw", {"form": "rtw_comment", "rtw_id": None}),
]


def comment_on(records: dict[str, int], kind: str, template: dict[str, Any]) -> dict[str, Any]:
    key = next(k for k in template if k.endswith("_id"))
    return {**template, key: records[kind], "comment": "My back still hurts at the desk."}


async def test_comments_on_old_records_go_to_the_current_manager(demo_org: Database) -> None:
    records = await priyas_records_about_rhys(demo_org)
    await move_rhys_to_tom(demo_org)
    priya, tom = await pk(demo_org, "D003"), await pk(demo_org, "D004")
    for kind, template in COMMENTS:
        notifier = RecordingNotifier()
        rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
        said = Chat.text_of(await rhys.submit(comment_on(records, kind, template)))
        assert "your comment is saved" in said, (kind, said)
        assert [to for to, _, _ in notifier.sent] == [tom], kind
        assert priya not in [to for to, _, _ in notifier.sent]


async def test_while_the_new_team_is_delegated_the_acting_manager_is_told(
    demo_org: Database,
) -> None:
    records = await priyas_records_about_rhys(demo_org)
    await move_rhys_to_tom(demo_org)
    services = Services.build(demo_org, FixedClock(NOW))
    tom, david = await person(services, "D004"), await person(services, "D002")
    await DelegationService(demo_org, FixedClock(NOW)).create(
        tom, tom, david, ends_on=TODAY + timedelta(days=7)
    )
    notifier = RecordingNotifier()
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    await rhys.submit(comment_on(records, "rtw", COMMENTS[2][1]))
    assert [to for to, _, _ in notifier.sent] == [david.id]


async def test_the_managers_actions_move_with_the_person(demo_org: Database) -> None:
    records = await priyas_records_about_rhys(demo_org)
    services = Services.build(demo_org, FixedClock(NOW))
    priya = await person(services, "D003")
    assert records["action"] in [a.id for a in await services.one_to_ones.my_actions(priya)]
    await move_rhys_to_tom(demo_org)
    services = Services.build(demo_org, FixedClock(NOW))
    priya, tom = await person(services, "D003"), await person(services, "D004")

    assert records["action"] not in [a.id for a in await services.one_to_ones.my_actions(priya)]
    assert records["action"] in [a.id for a in await services.one_to_ones.my_actions(tom)]
    done = {"form": "action_done", "action_id": records["action"]}
    said = Chat.text_of(await Chat(demo_org, PRIYA_MANAGER).submit(done))
    assert "isn't one of yours" in said
    async with demo_org.sessions() as session:
        status = await session.scalar(
            select(OneToOneAction.status).where(OneToOneAction.id == records["action"])
        )
    assert status == "open"
    await Chat(demo_org, TOM_MANAGER).submit(done)
    async with demo_org.sessions() as session:
        status = await session.scalar(
            select(OneToOneAction.status).where(OneToOneAction.id == records["action"])
        )
    assert status == "done"
