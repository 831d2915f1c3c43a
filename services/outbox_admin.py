"""What HR asks of the reminder outbox from the admin command: how many digests are in each
state, which could not be delivered, and which managers Charter has never reached."""

from __future__ import annotations

from dataclasses import dataclass

from domain.records import ProblemDigest
from storage import outbox_status as outbox
from storage.database import Database

# The outbox's states, in the order a digest passes through them.
STATES = ("queued", "sending", "sent", "undeliverable", "dead")


@dataclass(frozen=True)
class OutboxStatus:
    counts: dict[str, int]
    problems: list[ProblemDigest]
    emails: dict[int, str]


@dataclass(frozen=True)
class Manager:
    id: int
    email: str
    aad_object_id: str | None


@dataclass(frozen=True)
class Reach:
    """Who the bot cannot reach: undelivered digests, and managers with no chat yet."""

    undeliverable: list[ProblemDigest]
    emails: dict[int, str]
    with_reference: set[int]
    managers: list[Manager]


async def outbox_status(database: Database) -> OutboxStatus:
    """Digests per state, and the dead or undeliverable ones (newest first)."""
    async with database.sessions() as session:
        counts = await outbox.status_counts(session)
        problems = await outbox.problem_digests(session, ("dead", "undeliverable"))
        emails = await outbox.emails_by_id(session)
    return OutboxStatus(counts, problems, emails)


async def reach(database: Database) -> Reach:
    """People the bot cannot reach, for HR to act on (install the app, or unblock it)."""
    async with database.sessions() as session:
        problems = await outbox.problem_digests(session, ("undeliverable",))
        emails = await outbox.emails_by_id(session)
        with_reference = await outbox.reachable_employee_ids(session)
        managers = await outbox.current_managers(session)
    return Reach(
        problems,
        emails,
        with_reference,
        [Manager(pk, email, aad) for pk, email, aad in managers],
    )


async def names_by_id(database: Database) -> dict[int, str]:
    """Everyone's name by primary key (for printing who a digest is for)."""
    async with database.sessions() as session:
        return await outbox.names_by_id(session)
