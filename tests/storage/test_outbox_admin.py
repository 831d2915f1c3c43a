"""What HR reads of the reminder outbox: states counted, the digests that did not arrive as
records (newest first, with Teams' reason), and who Charter has never reached."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from domain.records import ProblemDigest
from services import outbox_admin
from storage.database import Database
from storage.models import Employee, NudgeDigest

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _digest(
    database: Database, recipient_id: int, day: date, status: str, error: str | None
) -> None:
    async with database.transaction() as session:
        session.add(
            NudgeDigest(
                recipient_id=recipient_id,
                run_date=day,
                status=status,
                next_attempt_at=NOW,
                last_error=error,
                created_at=NOW,
            )
        )


async def test_problem_digests_are_records_newest_first(demo_org: Database) -> None:
    async with demo_org.sessions() as session:
        priya = await session.scalar(select(Employee.id).where(Employee.employee_id == "D003"))
        rhys = await session.scalar(select(Employee.id).where(Employee.employee_id == "D004"))
    assert isinstance(priya, int) and isinstance(rhys, int)
    await _digest(demo_org, priya, date(2020, 1, 6), "sent", None)
    await _digest(demo_org, priya, date(2020, 1, 7), "dead", "timed out")
    await _digest(demo_org, rhys, date(2020, 1, 8), "undeliverable", "403 blocked")

    status = await outbox_admin.outbox_status(demo_org)
    assert status.counts.get("dead") == 1 and status.counts.get("undeliverable") == 1
    assert status.problems == [
        ProblemDigest(rhys, "undeliverable", date(2020, 1, 8), "403 blocked"),
        ProblemDigest(priya, "dead", date(2020, 1, 7), "timed out"),
    ]
    found = await outbox_admin.reach(demo_org)
    assert found.undeliverable == [status.problems[0]]
    assert priya in {manager.id for manager in found.managers}
