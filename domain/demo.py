"""The demo organisation: a fictional council's Community Services, for trying Charter out.

Everything here is made up and marked as such: every email is ``@demo-council.example``, the
rows are stored with ``is_demo`` set, and the Azure AD object ids are fixed placeholders the
Teams emulator configuration refers to (Priya Shah, ``…0003``, is the emulator's user).
"""

from __future__ import annotations

import csv
import io
from datetime import date

from domain.org_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, OrgImportResult, import_org
from storage.database import Database

DEMO_DOMAIN = "demo-council.example"
COMMUNITY = "Community Services"
CORPORATE = "Corporate Resources"


def demo_aad_object_id(number: int) -> str:
    """``00000000-0000-4000-8000-000000000003`` for 3: the emulator's fixed ids."""
    return f"00000000-0000-4000-8000-{number:012d}"


# (number, name, job title, department, manager's number, start date, roles)
_PEOPLE: tuple[tuple[int, str, str, str, int | None, str, str], ...] = (
    (1, "Helen Okafor", "HR Business Partner", CORPORATE, None, "2013-06-24", "hr_admin"),
    (2, "David Marsh", "Head of Community Services", COMMUNITY, None, "2008-02-04", ""),
    (3, "Priya Shah", "Libraries Team Manager", COMMUNITY, 2, "2014-03-17", ""),
    (4, "Tom Griffiths", "Waste and Recycling Team Manager", COMMUNITY, 2, "2012-09-03", ""),
    (5, "Aisha Khan", "Customer Services Team Manager", COMMUNITY, 2, "2016-04-11", ""),
    # Libraries, managed by Priya Shah
    (11, "Margaret Hughes", "Senior Library Officer", COMMUNITY, 3, "2009-04-14", ""),
    (12, "Oluwaseun Adeyemi", "Library Assistant", COMMUNITY, 3, "2015-09-01", ""),
    (13, "Rhys Evans", "Library Assistant", COMMUNITY, 3, "2019-06-10", ""),
    (14, "Mei Ling Chen", "Digital Inclusion Officer", COMMUNITY, 3, "2022-02-07", ""),
    (15, "Callum Fraser", "Library Assistant", COMMUNITY, 3, "2026-09-07", ""),  # in probation
    # Waste and Recycling, managed by Tom Griffiths
    (16, "Gary Whitfield", "Waste Services Officer", COMMUNITY, 4, "2011-03-21", ""),
    (17, "Bilal Hussain", "Recycling Officer", COMMUNITY, 4, "2016-10-03", ""),
    (18, "Siobhan Murphy", "Waste Services Officer", COMMUNITY, 4, "2018-01-15", ""),
    (19, "Daniel Kowalski", "Waste Services Supervisor", COMMUNITY, 4, "2013-07-08", ""),
    (20, "Grace Mensah", "Environmental Education Officer", COMMUNITY, 4, "2024-05-20", ""),
    # Customer Services, managed by Aisha Khan
    (21, "Sarah Thompson", "Senior Customer Advisor", COMMUNITY, 5, "2010-11-29", ""),
    (22, "Jamal Ahmed", "Customer Advisor", COMMUNITY, 5, "2017-08-14", ""),
    (23, "Emma Clarke", "Customer Advisor", COMMUNITY, 5, "2020-03-02", ""),
    (24, "Arjun Patel", "Customer Advisor", COMMUNITY, 5, "2023-01-09", ""),
    (25, "Niamh O'Brien", "Complaints Officer", COMMUNITY, 5, "2025-06-16", ""),
)


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
    emails = {number: demo_email(name) for number, name, *_ in _PEOPLE}
    return [
        {
            "employee_id": f"D{number:03d}",
            "name": name,
            "email": emails[number],
            "manager_email": emails[manager] if manager is not None else "",
            "department": department,
            "job_title": job_title,
            "start_date": start_date,
            "aad_object_id": demo_aad_object_id(number),
            "roles": roles,
        }
        for number, name, job_title, department, manager, start_date, roles in _PEOPLE
    ]


def demo_org_csv() -> str:
    """The demo organisation as an org file, e.g. to show HR what one looks like."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS])
    writer.writeheader()
    writer.writerows(demo_org_rows())
    return out.getvalue()


async def seed_demo(database: Database, as_of: date) -> OrgImportResult:
    """Load the demo organisation; running it again changes nothing."""
    return await import_org(
        database, io.StringIO(demo_org_csv()), full=False, as_of=as_of, demo=True
    )
