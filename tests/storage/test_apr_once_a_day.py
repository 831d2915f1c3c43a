"""An APR is saved once per person and day, whatever card it comes from (#13 Medium 12).

Two presses of one card are caught by its form token; a card from before tokens existed, or
a second card for the same meeting, by the APR's natural key: one person, one day.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domain.clock import FixedClock
from services.aprs import AprNotAllowed
from services.demo import seed_demo
from services.registry import Services
from storage.database import Database
from storage.models import Apr
from tests.storage.test_trust import BILAL, NOW, TOM, person


@pytest.fixture
async def demo(database: Database) -> Database:
    await seed_demo(database, NOW.date())
    return database


async def _aprs(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Apr)) or 0)


@pytest.mark.parametrize(
    "tokens", [(None, None), ("first-card-token-0001", "second-card-token-0002")]
)
async def test_a_second_apr_for_the_same_day_is_refused_and_saves_nothing(
    demo: Database,
    tokens: tuple[str | None, str | None],
) -> None:
    services = Services.build(demo, FixedClock(NOW))
    tom, bilal = await person(demo, TOM), await person(demo, BILAL)
    _, reviewable, _ = await services.aprs.recording_context(tom, bilal.employee_id)
    values: dict[str, object] = {"held_on": NOW.date().isoformat(), "overall_comments": "Good"}
    values |= {f"outcome_{o.id}": "continuing" for o in reviewable}
    first, second = ({**values, "form_token": t} if t else values for t in tokens)
    await services.aprs.record(tom, bilal.employee_id, first)
    before = await _aprs(demo)
    with pytest.raises(AprNotAllowed, match="already recorded"):
        await services.aprs.record(tom, bilal.employee_id, second)
    assert await _aprs(demo) == before
