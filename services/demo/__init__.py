"""The demo organisation: a fictional council of five departments, for trying Charter out.

The people and their history are data files in ``services/demo/data/`` (an org file and YAML an
HR admin can read and edit); this package loads them through the same services and storage calls
the bot uses. Everything is made up and marked as such: every email is
``@demo-council.example``, the rows are stored with ``is_demo`` set, and the Azure AD object ids
are fixed placeholders the Teams emulator configuration refers to (Priya Shah, ``…0003``, is the
emulator's user).
"""

from __future__ import annotations

import io
from datetime import date

from domain.apr_cycle import AprCyclePolicy
from services.absence import AbsencePolicy
from services.demo.absence import seed_demo_absence
from services.demo.agendas import seed_demo_agendas
from services.demo.objectives import seed_demo_objectives
from services.demo.one_to_ones import seed_demo_one_to_ones
from services.demo.org import (
    COMMUNITY,
    CORPORATE,
    DEMO_DOMAIN,
    demo_aad_object_id,
    demo_email,
    demo_org_csv,
    demo_org_rows,
)
from services.org_import import OrgImportResult, import_org
from storage.database import Database

__all__ = [
    "COMMUNITY",
    "CORPORATE",
    "DEMO_DOMAIN",
    "demo_aad_object_id",
    "demo_email",
    "demo_org_csv",
    "demo_org_rows",
    "seed_demo",
    "seed_demo_absence",
    "seed_demo_objectives",
    "seed_demo_one_to_ones",
]


async def seed_demo(
    database: Database,
    as_of: date,
    *,
    apr_policy: AprCyclePolicy | None = None,
    absence_policy: AbsencePolicy | None = None,
) -> OrgImportResult:
    """Load the demo organisation, its one-to-ones, objectives, APRs and absence history;
    running it again changes nothing."""
    result = await import_org(
        database, io.StringIO(demo_org_csv()), full=False, as_of=as_of, demo=True
    )
    if result.ok:
        await seed_demo_one_to_ones(database, as_of)
        await seed_demo_objectives(database, as_of, policy=apr_policy)
        await seed_demo_absence(database, as_of, policy=absence_policy)
        await seed_demo_agendas(database, as_of)
    return result
