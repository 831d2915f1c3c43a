"""HR's one-to-one interval overrides, as `charter cadence` sets them and the team view
reads them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from cli.main import main
from domain.clock import FixedClock
from services.one_to_ones import OneToOneDraft, OneToOnePolicy, OneToOneService
from storage import employees
from storage.database import Database
from tests.support.chat import NOW


def service(database: Database) -> OneToOneService:
    return OneToOneService(database, FixedClock(NOW), OneToOnePolicy())


async def priya(database: Database):  # type: ignore[no-untyped-def]
    async with database.sessions() as session:
        return await employees.get_person_by_email(session, "priya.shah@demo-council.example")


async def test_team_cadence_uses_employee_then_team_then_default(demo_org: Database) -> None:
    one_to_ones = service(demo_org)
    manager = await priya(demo_org)
    await one_to_ones.log(
        manager,
        "D013",
        OneToOneDraft(held_on=NOW.date() - timedelta(days=20), notes={"managing": "ok"}),
    )
    await one_to_ones.set_cadence(employee_email=None, team_email=manager.email, days=14)
    await one_to_ones.set_cadence(
        employee_email="margaret.hughes@demo-council.example", team_email=None, days=42
    )
    team = {m.person.employee_id: m for m in await one_to_ones.team_cadence(manager)}
    assert team["D011"].interval_days == 42
    assert team["D013"].interval_days == 14
    assert team["D013"].status.state == "overdue"
    assert team["D013"].status.days_overdue == 6
    assert team["D015"].status.state == "overdue"  # started 7 Sep, never held, 14-day team rule

    await one_to_ones.set_cadence(employee_email=None, team_email=manager.email, days=None)
    team = {m.person.employee_id: m for m in await one_to_ones.team_cadence(manager)}
    assert team["D013"].interval_days == 28
    assert team["D013"].status.state == "on_track"  # 8 days left of 28
    assert team["D013"].status.next_due == NOW.date() + timedelta(days=8)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"employee_email": "nobody@x.example", "team_email": None, "days": 14}, "Nobody"),
        (
            {"employee_email": None, "team_email": "rhys.evans@demo-council.example", "days": 14},
            "no direct reports",
        ),
        (
            {"employee_email": "rhys.evans@demo-council.example", "team_email": None, "days": 0},
            "between 1 and 366",
        ),
    ],
)
async def test_bad_overrides_are_refused(demo_org: Database, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        await service(demo_org).set_cadence(**kwargs)


async def test_charter_cadence_cli(
    demo_org: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    args = ["cadence", "set", "--team", "priya.shah@demo-council.example", "--days", "14"]
    assert await asyncio.to_thread(main, args) == 0
    assert "Priya Shah's team: every 14 days" in capsys.readouterr().out
    bad = ["cadence", "set", "--employee", "nobody@x.example", "--days", "14"]
    assert await asyncio.to_thread(main, bad) == 1
    assert "Nobody in the organisation chart" in capsys.readouterr().err
    clear = ["cadence", "clear", "--team", "priya.shah@demo-council.example"]
    assert await asyncio.to_thread(main, clear) == 0
    assert "back to the default (28 days)" in capsys.readouterr().out
