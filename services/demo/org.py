"""The demo organisation's people (``data/people.csv``) and the teams its history belongs to."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Person
from domain.working_days import is_working_day
from services.demo import load
from services.org_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from storage import employees

DEMO_DOMAIN = "demo-council.example"
COMMUNITY = "Community Services"
CORPORATE = "Corporate Resources"


def demo_aad_object_id(number: int) -> str:
    """``00000000-0000-4000-8000-000000000003`` for 3: the emulator's fixed ids."""
    return f"00000000-0000-4000-8000-{number:012d}"


def demo_email(name: str) -> str:
    """``Niamh O'Brien`` → ``niamh.obrien@demo-council.example``."""
    first, *rest = name.lower().split()
    last = "".join(rest)
    if len(rest) > 1:  # "Mei Ling Chen": the given names run together
        first, last = first + "".join(rest[:-1]), rest[-1]
    clean = "".join(ch for ch in f"{first}.{last}" if ch.isalnum() or ch == ".")
    return f"{clean}@{DEMO_DOMAIN}"


def demo_org_rows() -> list[dict[str, str]]:
    """The demo organisation as org-file rows (all columns, as strings)."""
    return [dict(row) for row in load.people_rows()]


def demo_org_csv() -> str:
    """The demo organisation as an org file, e.g. to show HR what one looks like."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS])
    writer.writeheader()
    writer.writerows(demo_org_rows())
    return out.getvalue()


async def demo_teams(session: AsyncSession, as_of: date) -> list[tuple[Person, dict[int, Person]]]:
    """Each demo team manager with their active demo reports, by demo number."""
    emails = {load.demo_number(row["employee_id"]): row["email"] for row in load.people_rows()}
    teams = []
    for number in load.team_managers():
        manager = await employees.get_person_by_email(session, emails[number])
        if manager is None:
            continue
        reports = {
            int(p.employee_id[1:]): p
            for p in await employees.active_direct_reports(session, manager.id, as_of)
            if p.email.endswith(f"@{DEMO_DOMAIN}") and p.employee_id[1:].isdigit()
        }
        teams.append((manager, reports))
    return teams


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour``:``minute`` UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def meeting_day(day: date) -> date:
    """The day a demo meeting was held: ``day``, or the working day before it when ``day`` is
    a weekend or bank holiday, so the history looks real whatever day the demo is seeded."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
