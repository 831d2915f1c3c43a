"""Looking people up in the org chart, and linking Teams identities to them."""

from __future__ import annotations

from domain.clock import Clock
from domain.name_match import match_people
from domain.people import Person
from storage import employees
from storage.database import Database


class IdentityMismatch(Exception):
    """An email matched an employee already linked to a different Teams identity."""


class Directory:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    async def by_aad_object_id(self, aad_object_id: str) -> Person | None:
        return await employees.read_person_by_aad_object_id(
            self._db, aad_object_id, as_of=self._clock.today()
        )

    async def by_pk(self, pk: int) -> Person | None:
        return await employees.read_person(self._db, pk=pk, as_of=self._clock.today())

    async def by_email(self, email: str) -> Person | None:
        return await employees.read_person(self._db, email=email, as_of=self._clock.today())

    async def link_teams_identity(self, person: Person, aad_object_id: str) -> Person:
        """Remember the person's aadObjectId so later turns find them directly.

        An employee already linked to another aadObjectId is not re-linked: an email match
        must never move someone's records to a different account.
        """
        async with self._db.transaction() as session:
            current = await employees.get_person(session, person.id, as_of=self._clock.today())
            if current is None:
                return person
            if current.aad_object_id not in (None, aad_object_id):
                raise IdentityMismatch(person.employee_id)
            if current.aad_object_id is None:
                try:
                    await employees.set_aad_object_id(session, person.id, aad_object_id)
                except employees.AadObjectIdInUse as clash:
                    raise IdentityMismatch(person.employee_id) from clash
        return person

    async def active_people_named(self, name: str) -> list[Person]:
        """People in post today whose name could be the one typed, best match first."""
        async with self._db.sessions() as session:
            candidates = await employees.active_people_named(session, name, self._clock.today())
        return match_people(name, candidates)

    async def direct_reports(self, person: Person) -> list[Person]:
        return await employees.read_active_direct_reports(self._db, person.id, self._clock.today())

    def is_current(self, person: Person) -> bool:
        return person.is_active(self._clock.today())
