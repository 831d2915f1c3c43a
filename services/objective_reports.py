"""HR's bulk views of objectives and APRs: the two exports and the golden-thread report, read
from storage; their rows and formats are ``domain.objective_exports`` and
``domain.golden_thread``.
"""

from __future__ import annotations

from datetime import date

from domain.golden_thread import (
    COUNCIL_TOTAL,
    LIVE_STATUSES,
    GoldenThreadReport,
    golden_thread_columns,
    golden_thread_json,
    golden_thread_report,
    golden_thread_rows,
    golden_thread_text,
)
from domain.objective_exports import APR_COLUMNS, OBJECTIVE_COLUMNS, apr_row, objective_row
from storage import aprs as apr_repo
from storage import objectives as repo
from storage.database import Database

# Compatible names: the rows and formats live in the domain.
__all__ = [
    "APR_COLUMNS",
    "COUNCIL_TOTAL",
    "OBJECTIVE_COLUMNS",
    "GoldenThreadReport",
    "export_aprs",
    "export_objectives",
    "golden_thread",
    "golden_thread_columns",
    "golden_thread_json",
    "golden_thread_rows",
    "golden_thread_text",
]


async def export_objectives(database: Database) -> list[dict[str, object]]:
    """Every objective, by employee, as rows keyed by ``OBJECTIVE_COLUMNS``."""
    async with database.sessions() as session:
        rows = await repo.export_rows(session)
    return [objective_row(row) for row in rows]


async def export_aprs(database: Database) -> list[dict[str, object]]:
    """Every APR, oldest first, as rows keyed by ``APR_COLUMNS``: counts, never free text."""
    async with database.sessions() as session:
        rows = await apr_repo.export_rows(session)
    return [apr_row(row) for row in rows]


async def golden_thread(database: Database, as_of: date) -> GoldenThreadReport:
    async with database.sessions() as session:
        counts = await repo.agreed_counts_by_department(session, as_of, LIVE_STATUSES)
        headcount = await repo.headcount_by_department(session, as_of)
        people = await repo.people_with_objective_by_department(session, as_of, LIVE_STATUSES)
        active = [choice.title for choice in await repo.priorities(session)]
    return golden_thread_report(as_of, counts, headcount, people, active)
