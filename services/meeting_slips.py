"""HR's figures on planned one-to-ones (#18): held on the planned date, moved or missed over
the compliance report's period, by department, with small groups suppressed. The rules are
:mod:`domain.meeting_slips`'; the compliance report can carry them as a section."""

from __future__ import annotations

from datetime import date, timedelta

from domain.compliance import PERIOD_DAYS
from domain.meeting_slips import SlipReport, slip_report
from storage.agenda_reports import settled_plans
from storage.database import Database


async def meeting_slips(database: Database, as_of: date) -> SlipReport:
    """The figures for the year to ``as_of`` (the compliance report's period)."""
    period_start = as_of - timedelta(days=PERIOD_DAYS)
    async with database.sessions() as session:
        plans = await settled_plans(session, period_start, as_of)
    return slip_report(plans, period_start, as_of)
