"""The employee table: the org import's snapshot and bulk writes, and the bot's look-ups.

Everything here is set-based: the org import reads every employee in one query and writes in
a handful of bulk statements, and each look-up is a single SELECT.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Select,
    Subquery,
    Table,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

# Kept importable from here for the importers that read the chart through storage.
from domain.org_chart import EmployeeRecord as EmployeeRecord
from domain.org_chart import OrgChanges as OrgChanges
from domain.org_chart import normalise_aad_object_id as normalise_aad_object_id
from domain.people import Person, normalise_email, parse_roles
from storage.database import Database
from storage.driver_statements import DriverStatement
from storage.models import Employee

# Rows per bulk statement: small enough to report progress, large enough to stay fast.
CHUNK_SIZE = 5000

Progress = Callable[[int, int], None]  # progress(done, total)


class AadObjectIdInUse(ValueError):
    """The Azure AD object id already belongs to another employee."""


# --- the org import ---------------------------------------------------------------------------


async def load_employee_records(session: AsyncSession) -> list[EmployeeRecord]:
    """Every employee, leavers included, in one query."""
    manager = aliased(Employee)
    stmt = select(
        Employee.id,
        Employee.employee_id,
        Employee.name,
        Employee.email,
        manager.employee_id,
        Employee.department,
        Employee.job_title,
        Employee.start_date,
        Employee.aad_object_id,
        Employee.roles,
        Employee.left_on,
        Employee.is_demo,
        Employee.erased_at.is_not(None),
    ).outerjoin(manager, Employee.manager_id == manager.id)
    result = await session.execute(stmt)
    return [EmployeeRecord(*row) for row in result.all()]


async def apply_org_changes(
    session: AsyncSession, changes: OrgChanges, *, progress: Progress | None = None
) -> None:
    """Write an org import's changes in bulk, inside the caller's transaction."""
    new_ids = {row["employee_id"] for row in changes.new_rows}
    new_managers = {e: m for e, m in changes.managers if e in new_ids and m is not None}
    relinks = [(e, m) for e, m in changes.managers if e not in new_ids]
    total = (
        len(changes.release_email)
        + len(changes.release_aad_object_id)
        + len(changes.changed_rows)
        + len(changes.new_rows)
        + len(changes.left)
        + len(relinks)
    )
    writer = _BulkWriter(session, total, progress)
    await writer.update([{"id": pk, "email": f"~released~{pk}"} for pk in changes.release_email])
    await writer.update([{"id": pk, "aad_object_id": None} for pk in changes.release_aad_object_id])
    await writer.update(changes.changed_rows)
    pks = dict(changes.existing_pks)
    relinks += await writer.insert_managers_first(changes.new_rows, new_managers, pks)
    await writer.update([{"id": pk, "left_on": changes.left_on} for pk in changes.left])
    await writer.update(
        [
            {"id": pks[employee_id], "manager_id": pks[manager] if manager else None}
            for employee_id, manager in relinks
        ]
    )
    writer.finish()


class _BulkWriter:
    """Executes bulk statements in chunks, reporting progress as it goes."""

    # New rows are inserted in waves, managers before their reports, so that nearly every row
    # gets its manager_id in the INSERT: a second UPDATE pass costs SQLite several times more.
    # Rows deeper than this many waves are linked by that UPDATE pass instead.
    MAX_WAVES = 40

    def __init__(self, session: AsyncSession, total: int, progress: Progress | None) -> None:
        self.session = session
        self.total = total
        self.done = 0
        self.progress = progress

    def _advance(self, rows: int) -> None:
        self.done += rows
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    async def update(self, rows: Sequence[dict[str, Any]]) -> None:
        """UPDATE … WHERE id = :id for each dict (an executemany; all dicts have the same keys)."""
        # Core rather than the ORM's bulk UPDATE: same SQL, a fraction of the Python overhead.
        table = _employee_table()
        stmt = update(table).where(table.c.id == bindparam("pk"))
        for start in range(0, len(rows), CHUNK_SIZE):
            chunk = rows[start : start + CHUNK_SIZE]
            params = [
                {"pk": row["id"], **{k: v for k, v in row.items() if k != "id"}} for row in chunk
            ]
            await self.session.execute(stmt, params)
            self._advance(len(chunk))

    async def insert_managers_first(
        self,
        rows: Sequence[dict[str, Any]],
        manager_of: dict[str, str],
        pks: dict[str, int],
    ) -> list[tuple[str, str | None]]:
        """INSERT new rows, adding their keys to ``pks``; returns links still to be made."""

        def manager_pk(row: dict[str, Any]) -> int | None:
            manager = manager_of.get(row["employee_id"])
            return pks.get(manager) if manager is not None else None

        def ready(row: dict[str, Any]) -> bool:
            manager = manager_of.get(row["employee_id"])
            return manager is None or manager in pks

        pending = list(rows)
        for _ in range(self.MAX_WAVES):
            wave = [{**row, "manager_id": manager_pk(row)} for row in pending if ready(row)]
            if not wave:
                break
            await self._insert(wave, pks)
            pending = [row for row in pending if row["employee_id"] not in pks]
        await self._insert([{**row, "manager_id": None} for row in pending], pks)
        return [(row["employee_id"], manager_of[row["employee_id"]]) for row in pending]

    async def _insert(self, rows: Sequence[dict[str, Any]], pks: dict[str, int]) -> None:
        # A plain executemany, then one SELECT per chunk for the keys: the ORM's bulk
        # INSERT … RETURNING is many times slower for tens of thousands of rows.
        for start in range(0, len(rows), CHUNK_SIZE):
            chunk = rows[start : start + CHUNK_SIZE]
            await self.session.execute(insert(_employee_table()), chunk)
            ids = [row["employee_id"] for row in chunk]
            result = await self.session.execute(
                select(Employee.employee_id, Employee.id).where(Employee.employee_id.in_(ids))
            )
            pks.update((employee_id, pk) for employee_id, pk in result.all())
            self._advance(len(chunk))

    def finish(self) -> None:
        if self.progress is not None and self.done < self.total:
            self.progress(self.total, self.total)


# --- look-ups for the bot ---------------------------------------------------------------------


def _active(table: Any, as_of: Any) -> Any:
    return or_(table.left_on.is_(None), table.left_on > as_of)


def _build_person_select() -> Select[Any]:
    """A person's columns (as :class:`Person` takes them), their manager's name and their
    active report count; built once, parameterised by as_of. Plain columns of the table, not
    the mapped class: a turn reads a person or two, and building ORM objects to copy them
    into a Person cost more than the query."""
    employee = Employee.__table__
    assert isinstance(employee, Table)
    manager = employee.alias("manager")
    report = employee.alias("report")
    c = employee.c
    active_reports = (
        select(func.count(report.c.id))
        .where(report.c.manager_id == c.id, _active(report.c, bindparam("as_of", type_=Date)))
        .correlate(employee)
        .scalar_subquery()
    )
    return select(
        c.id,
        c.employee_id,
        c.name,
        c.email,
        c.department,
        c.job_title,
        c.start_date,
        c.manager_id,
        manager.c.name,
        c.roles,
        c.left_on,
        active_reports,
        c.aad_object_id,
    ).outerjoin(manager, c.manager_id == manager.c.id)


# Built once at import: constructing the aliased, correlated query costs more than running it.
_PERSON = _build_person_select()
_C = Employee.__table__.c
_PERSON_BY_PK = _PERSON.where(_C.id == bindparam("key"))
_PERSON_BY_EMAIL = _PERSON.where(_C.email == bindparam("key"))
_PERSON_BY_AAD = _PERSON.where(_C.aad_object_id == bindparam("key"))
_PERSON_BY_EMPLOYEE_ID = _PERSON.where(_C.employee_id == bindparam("key"))
_ACTIVE_REPORTS = _PERSON.where(
    _C.manager_id == bindparam("key"), _active(_C, bindparam("as_of", type_=Date))
).order_by(_C.name, _C.id)


def _to_person(row: Sequence[Any]) -> Person:
    """A row of :data:`_PERSON` as a Person."""
    (pk, employee_id, name, email, department, job_title, start_date, manager_id) = row[:8]
    manager_name, roles, left_on, report_count, aad_object_id = row[8:]
    return Person(
        id=pk,
        employee_id=employee_id,
        name=name,
        email=email,
        department=department,
        job_title=job_title,
        start_date=start_date,
        manager_id=manager_id,
        manager_name=manager_name,
        roles=parse_roles(roles),
        left_on=left_on,
        active_report_count=report_count or 0,
        aad_object_id=aad_object_id,
    )


async def _one_person(
    session: AsyncSession, stmt: Select[Any], key: object, as_of: date | None
) -> Person | None:
    params = {"key": key, "as_of": as_of or date.today()}
    row = (await session.execute(stmt, params)).first()
    return _to_person(row) if row is not None else None


async def get_person(
    session: AsyncSession, employee_pk: int, *, as_of: date | None = None
) -> Person | None:
    """The employee with this primary key, leaver or not."""
    return await _one_person(session, _PERSON_BY_PK, employee_pk, as_of)


async def get_person_by_email(
    session: AsyncSession, email: str, *, as_of: date | None = None
) -> Person | None:
    """The employee with this email (matched case-insensitively), leaver or not."""
    return await _one_person(session, _PERSON_BY_EMAIL, normalise_email(email), as_of)


async def ids_by_email(session: AsyncSession, emails: Sequence[str]) -> dict[str, int]:
    """{stored email: primary key} for these emails (as stored, lower case), in chunks."""
    found: dict[str, int] = {}
    wanted = sorted(set(emails))
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        rows = await session.execute(
            select(Employee.email, Employee.id).where(Employee.email.in_(chunk))
        )
        found.update({email: pk for email, pk in rows})
    return found


async def get_person_by_employee_id(
    session: AsyncSession, employee_id: str, *, as_of: date | None = None
) -> Person | None:
    """The employee with this HR employee id, leaver or not."""
    return await _one_person(session, _PERSON_BY_EMPLOYEE_ID, employee_id, as_of)


async def get_person_by_aad_object_id(
    session: AsyncSession, aad_object_id: str, *, as_of: date | None = None
) -> Person | None:
    """The employee with this Azure AD object id (as Teams sends it), leaver or not."""
    aad = normalise_aad_object_id(aad_object_id)
    if not aad:
        return None
    found, person = _take_prefetched(aad, as_of or date.today())
    if found:
        return person
    return await _one_person(session, _PERSON_BY_AAD, aad, as_of)


# --- the person a turn reads with its once-only check -------------------------------------------


class _PrefetchedPeople:
    def __init__(self) -> None:
        self.owner = asyncio.current_task()
        self.people: dict[tuple[str, date], Person | None] = {}


_PREFETCHED_PEOPLE: ContextVar[_PrefetchedPeople | None] = ContextVar(
    "charter_prefetched_people", default=None
)


@contextmanager
def prefetched_people() -> Iterator[None]:
    """Within the block, a person read by another statement's :func:`person_by_aad_columns`
    and recorded by :func:`remember_prefetched_person` answers this task's next
    :func:`get_person_by_aad_object_id` for them (same id, same day), without a query.

    Every turn reads the sender and checks it has not handled the activity before: one
    statement instead of two (one round trip on PostgreSQL). The person is as that read saw
    them, a moment earlier in the same turn, outside any transaction, as their own read is.
    """
    token = _PREFETCHED_PEOPLE.set(_PrefetchedPeople())
    try:
        yield
    finally:
        _PREFETCHED_PEOPLE.reset(token)


def _take_prefetched(aad: str, as_of: date) -> tuple[bool, Person | None]:
    """(True, the person) if this task's statement read them already (once only)."""
    prefetched = _PREFETCHED_PEOPLE.get()
    if prefetched is not None and prefetched.owner is asyncio.current_task():
        key = (aad, as_of)
        if key in prefetched.people:
            return True, prefetched.people.pop(key)
    return False, None


def person_by_aad_subquery() -> Subquery:
    """:func:`get_person_by_aad_object_id`'s row as a subquery, to be outer-joined into another
    statement; its parameters are ``key`` (the normalised id) and ``as_of``."""
    return _PERSON_BY_AAD.subquery("person")


def remember_prefetched_person(aad_object_id: str, as_of: date, row: Sequence[Any]) -> None:
    """Record the subquery's columns for ``aad_object_id`` (all NULL: nobody has that id)."""
    prefetched = _PREFETCHED_PEOPLE.get()
    if prefetched is not None and prefetched.owner is asyncio.current_task():
        person = _to_person(row) if row[0] is not None else None
        prefetched.people[(normalise_aad_object_id(aad_object_id), as_of)] = person


async def active_direct_reports(
    session: AsyncSession, manager_pk: int, as_of: date
) -> list[Person]:
    """The manager's direct reports who have not left by ``as_of``, by name."""
    result = await session.execute(_ACTIVE_REPORTS, {"key": manager_pk, "as_of": as_of})
    return [_to_person(row) for row in result.all()]


# --- the directory's reads, straight through the driver -----------------------------------------

# The same statements, run by Database.read_rows on the task's read connection (a turn's
# shared one): around a one- or few-row read, SQLAlchemy's session execution and result
# layers cost more CPU than the database's own work.
_PERSON_READ = {
    "pk": DriverStatement(_PERSON_BY_PK),
    "email": DriverStatement(_PERSON_BY_EMAIL),
    "aad": DriverStatement(_PERSON_BY_AAD),
}
_ACTIVE_REPORTS_READ = DriverStatement(_ACTIVE_REPORTS)


async def read_person(
    database: Database, *, pk: int | None = None, email: str | None = None, as_of: date
) -> Person | None:
    """:func:`get_person` (by ``pk``) or :func:`get_person_by_email`, outside a transaction."""
    key: object
    if pk is not None:
        by, key = "pk", pk
    elif email is not None:
        by, key = "email", normalise_email(email)
    else:
        raise TypeError("read_person needs pk= or email=")
    rows = await database.read_rows(_PERSON_READ[by], {"key": key, "as_of": as_of})
    return _to_person(rows[0]) if rows else None


async def read_person_by_aad_object_id(
    database: Database, aad_object_id: str, *, as_of: date
) -> Person | None:
    """:func:`get_person_by_aad_object_id` outside a transaction (prefetched people first)."""
    aad = normalise_aad_object_id(aad_object_id)
    if not aad:
        return None
    found, person = _take_prefetched(aad, as_of)
    if found:
        return person
    rows = await database.read_rows(_PERSON_READ["aad"], {"key": aad, "as_of": as_of})
    return _to_person(rows[0]) if rows else None


async def read_active_direct_reports(
    database: Database, manager_pk: int, as_of: date
) -> list[Person]:
    """:func:`active_direct_reports` outside a transaction."""
    rows = await database.read_rows(_ACTIVE_REPORTS_READ, {"key": manager_pk, "as_of": as_of})
    return [_to_person(row) for row in rows]


async def set_aad_object_id(session: AsyncSession, employee_pk: int, aad_object_id: str) -> None:
    """Remember the Azure AD object id Teams gave for this employee.

    Raises ``AadObjectIdInUse`` if another employee already has it: that is a data problem for
    HR to fix in the org file, not something to overwrite silently.
    """
    aad = normalise_aad_object_id(aad_object_id)
    holder = await session.scalar(
        select(Employee.employee_id).where(
            Employee.aad_object_id == aad, Employee.id != employee_pk
        )
    )
    if holder is not None:
        raise AadObjectIdInUse(f"aad_object_id {aad} already belongs to employee {holder}")
    await session.execute(
        update(Employee).where(Employee.id == employee_pk).values(aad_object_id=aad)
    )


async def active_people_named(
    session: AsyncSession, fragment: str, as_of: date, limit: int = 200
) -> list[Person]:
    """Active people whose name or email contains the fragment's first word (for HR look-ups;
    the caller ranks them with ``domain.name_match``)."""
    words = fragment.strip().lower().split()
    if not words:
        return []
    needle = words[0]
    stmt = (
        _PERSON.where(
            _active(_C, bindparam("as_of", type_=Date)),
            func.lower(_C.name).contains(needle) | _C.email.contains(needle),
        )
        .order_by(_C.name, _C.id)
        .limit(limit)
    )
    result = await session.execute(stmt, {"as_of": as_of})
    return [_to_person(row) for row in result.all()]


def _employee_table() -> Table:
    """The employee table for Core bulk statements (typed by SQLAlchemy as any FromClause)."""
    table = Employee.__table__
    assert isinstance(table, Table)
    return table


async def working_pattern_of(session: AsyncSession, employee_pk: int) -> str | None:
    """The employee's working pattern as HR wrote it (None or "" for the policy's default)."""
    return await session.scalar(select(Employee.working_pattern).where(Employee.id == employee_pk))
