"""The demo teams' one-to-one agendas in progress (``data/agendas.yaml``): open talking points,
the managers' prep notes and the next planned one-to-ones, one of them on the next working
day so the day-before prep card is there to try."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from domain.agenda import AddedBy
from domain.working_days import add_working_days
from services.demo.org import demo_teams
from storage import agenda as repo
from storage.database import Database

COUNCIL_ZONE = ZoneInfo("Europe/London")


async def seed_demo_agendas(database: Database, as_of: date) -> int:
    """Add the demo agendas (nothing if any agenda point exists already); returns the number
    of points added."""
    data: dict[str, Any] = yaml.safe_load(
        files("services.demo").joinpath("data", "agendas.yaml").read_text(encoding="utf-8")
    )
    async with database.transaction() as session:
        if await repo.any_points(session):
            return 0
        reports = {
            f"D{number:03d}": (report, manager)
            for manager, team in await demo_teams(session, as_of)
            for number, report in team.items()
        }
        added = 0
        for code, points in (data.get("points") or {}).items():
            if code not in reports:
                continue
            report, manager = reports[code]
            for point in points:
                by = AddedBy(point["by"])
                await repo.add_point(
                    session,
                    employee_pk=report.id,
                    text=point["text"],
                    added_by=by,
                    added_by_pk=report.id if by is AddedBy.EMPLOYEE else manager.id,
                    now=_at(as_of - timedelta(days=int(point["days_ago"])), time(11, 15)),
                )
                added += 1
        now = _at(as_of, time(8, 0))
        for code, note in (data.get("prep_notes") or {}).items():
            if code in reports:
                report, manager = reports[code]
                await repo.set_prep_note(session, report.id, manager.id, note, now)
        for code, plan in (data.get("planned") or {}).items():
            if code in reports:
                report, manager = reports[code]
                day = add_working_days(as_of, int(plan["working_days_ahead"]))
                await repo.add_plan(
                    session,
                    employee_pk=report.id,
                    manager_pk=manager.id,
                    starts_at=_at(day, time.fromisoformat(plan["at"])),
                    set_by_pk=manager.id,
                    proposed=False,
                    now=now,
                )
    return added


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=COUNCIL_ZONE).astimezone(UTC)
