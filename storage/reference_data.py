"""Reference data every Charter database starts with; HR can change it afterwards.

The council priorities are the Strategic Plan headings the People Strategy 2014-2017 lists
(the top of the golden thread). Written with plain SQL so the migration can call it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

DEFAULT_PRIORITIES: tuple[str, ...] = (
    "Transforming public services",
    "Enabling economic growth",
    "Better care, health and care integration",
    "Supporting children and families",
    "Safer communities and a better environment",
)

_priority = sa.table(
    "council_priority",
    sa.column("title", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("position", sa.Integer),
)


def seed_reference_data(connection: Connection) -> None:
    """Add the default priorities if the table is empty (idempotent)."""
    existing = connection.execute(sa.select(sa.func.count()).select_from(_priority)).scalar()
    if existing:
        return
    connection.execute(
        sa.insert(_priority),
        [
            {"title": title, "active": True, "position": index}
            for index, title in enumerate(DEFAULT_PRIORITIES, start=1)
        ],
    )
