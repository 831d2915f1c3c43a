"""Benchmark the nudge pipeline: planning for a 50,000-person council, and delivering digests
to a stand-in for Teams that enforces its limits.

    .venv/bin/python bench/nudges.py                                  # SQLite only
    .venv/bin/python bench/nudges.py --database-url postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/nudges.py --digests 500 --rows 10000

(a) Planning. The org chart is bench/org_import.py's generator (50,000 people, about 6,000
managers), bulk-inserted with SQLAlchemy core, with realistic due items: one-to-ones last held
at varied dates (many overdue), APR history with some overdue, a few hundred sickness
absences (some ended without a return-to-work record, some long-term and ongoing), draft
objectives, cadence overrides and last week's digests in the outbox. ``NudgeService.plan``
is timed on SQLite (a temp file) and, with --database-url, on PostgreSQL (a fresh database
``charter_bench_<random>`` is created beside the one named and dropped at the end), with the
longest time its event loop went without serving anything else, as a turn at 09:00 would.

(b) Delivery. ``--digests`` of the planned digests are queued with storage.nudges.queue_digest,
each recipient with a stored conversation reference of their own, and sent by the real
NudgeSender, TeamsDelivery and CloudAdapter to tests/support/throttled_connector.py (50
messages a second per tenant, 7 per conversation, 429 with Retry-After: 1). The stand-in runs
in its own process, as the real Bot Connector is elsewhere. Delivery uses PostgreSQL when
given, else SQLite (--delivery-backend to choose).

(c) A year of outbox: with --history-weeks (52 by default), last week's sent digests and
nudges are copied back week by week (INSERT ... SELECT), and planning is timed again: the
rules read only this week, the repeat window and the escalation window, so it should cost
what it did with one week.

(d) Scale: with --scale-rows N (e.g. 400000) a second council of N people is seeded on each
database and planning is timed there too, against the target of at most N/50,000 x 1.0625
(8.5x for 400,000) times the 50,000 plan's median. The two councils are planned in turns
(50,000, N, 50,000, ...) in the same process, so the load of a shared machine and the state
of the process fall on both alike; timed minutes apart, the ratio measured the neighbours.

(e) Two instances (PostgreSQL only, --two-instances): a council of --instances-rows people
(5,000: about 600 digests) in a fresh database; two bot processes, each serving HTTP on its
own port as `charter run` does, fire the scheduler's 09:00 cycle job at the same instant and
then a sweep each; every digest must reach the stand-in exactly once. Meanwhile users talk to
the bot: --instances-turns `who am I` turns from --instances-users people (none of them a
digest recipient, so their turns move no digest's conversation), spread over the cycle and
split between the two ports turn by turn; each must be answered once, without an HTTP error.

    .venv/bin/python bench/nudges.py --database-url postgresql://postgres@127.0.0.1:5432/test \
        --scale-rows 400000 --two-instances

Progress goes to stderr; the results are one table on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from sqlalchemy import func, insert, select, text

from bench.org_import import generate
from bot.config import Settings
from bot.jobs.nudge_sender import NudgeSender, SendReport, TeamsDelivery
from domain.clock import Clock, FixedClock
from domain.nudge_rules import NudgePolicy, idempotency_key, repeat_window_start
from services.nudge_planner import PlanSettings
from services.nudges import NudgeService, PlannedDigest
from storage import nudges as outbox
from storage import outbox_status
from storage.conversation_refs import ConversationReferences
from storage.database import Database, execute_as_server_admin, normalise_database_url
from storage.migrate import upgrade
from storage.models import (
    Absence,
    Apr,
    CadenceOverride,
    ConversationReferenceRecord,
    Employee,
    Nudge,
    NudgeDigest,
    Objective,
    OneToOne,
    ReturnToWork,
)
from storage.nudges import QueuedNudge
from tests.support.teams import TeamsUser, activity

AS_OF = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
PLAN_TARGET = 2.0  # seconds
RATIO_TARGET = 1.15
SCALE_SLACK = 8.5 / 8  # planning 8x the people may cost at most 8.5x the time


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The synthetic council ---------------------------------------------------------------------


def load_org(folder: Path, rows: int, managers: int) -> list[dict[str, Any]]:
    """Employee rows (primary key i + 1 for person B<i>), managers before their reports."""
    path = folder / "org.csv"
    generate(path, rows, managers)
    with path.open(newline="", encoding="utf-8") as file:
        records = list(csv.DictReader(file))
    number = {r["email"]: int(r["employee_id"][1:]) for r in records}
    rng = random.Random(7)
    people = []
    for r in records:
        started = r["start_date"]
        start = (
            date.fromisoformat(started)
            if "-" in started
            else datetime.strptime(started, "%d/%m/%Y").date()
        )
        boss = r["manager_email"]
        people.append(
            {
                "id": int(r["employee_id"][1:]) + 1,
                "employee_id": r["employee_id"],
                "name": r["name"],
                "email": r["email"],
                "manager_id": number[boss] + 1 if boss else None,
                "department": r["department"],
                "job_title": r["job_title"],
                "start_date": start,
                "aad_object_id": r["aad_object_id"] or None,
                "roles": r["roles"],
                "left_on": AS_OF - timedelta(days=rng.randrange(1, 200))
                if rng.random() < 0.01
                else None,
                "is_demo": False,
                "working_pattern": rng.choice(("Mon,Tue,Wed", "Mon,Wed,Fri", "Tue-Fri"))
                if rng.random() < 0.1
                else "",
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
    people.sort(key=lambda p: p["id"])  # a manager's number is always below their reports'
    return people


@dataclass
class Seeded:
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


async def _bulk(session: Any, model: Any, rows: list[dict[str, Any]], seeded: Seeded) -> None:
    for start in range(0, len(rows), 5_000):
        await session.execute(insert(model), rows[start : start + 5_000])
    seeded.counts[model.__tablename__] += len(rows)


async def seed(database: Database, people: list[dict[str, Any]]) -> Seeded:
    """Bulk-insert the org and its history with SQLAlchemy core (executemany)."""
    began = time.perf_counter()
    seeded = Seeded()
    rng = random.Random(2026)
    staff = [p for p in people if p["manager_id"] is not None]
    managers = sorted({p["manager_id"] for p in staff})

    one_to_ones, aprs = [], []
    for p in staff:
        if rng.random() < 0.08:
            continue  # no one-to-one logged yet
        # Days since the last one: most within the 28-day cadence, many (40%) past it.
        ago = rng.randrange(1, 28) if rng.random() < 0.6 else rng.randrange(29, 150)
        last = AS_OF - timedelta(days=ago)
        for held in (last, last - timedelta(days=rng.randrange(21, 45))):
            if held >= p["start_date"]:
                one_to_ones.append(
                    {
                        "employee_id": p["id"],
                        "manager_id": p["manager_id"],
                        "held_on": held,
                        "logged_at": NOW,
                        "updated_at": NOW,
                    }
                )
    for p in staff:
        roll = rng.random()
        if roll < 0.05:
            continue  # never had one
        helds = [date(2025, 4, 1) + timedelta(days=rng.randrange(91))]
        if roll >= 0.15:  # this year's (2026/27) done; the rest are overdue
            helds.append(date(2026, 4, 1) + timedelta(days=rng.randrange(91)))
        for held in helds:
            if held >= p["start_date"]:
                aprs.append(
                    {
                        "employee_id": p["id"],
                        "manager_id": p["manager_id"],
                        "held_on": held,
                        "created_at": NOW,
                    }
                )

    absentees = rng.sample(staff, min(560, len(staff) // 4))
    absences: list[dict[str, Any]] = []
    ended_with_rtw: list[int] = []  # index into absences

    def absence(p: dict[str, Any], start: date, end: date | None, **extra: Any) -> None:
        absences.append(
            {
                "employee_id": p["id"],
                "start_date": start,
                "end_date": end,
                "absence_type": "sickness",
                "working_days_lost": None if end is None else (end - start).days + 1,
                "last_contact_on": extra.get("last_contact_on"),
                "source": "import",
                "created_at": NOW,
                "updated_at": NOW,
            }
        )

    for n, p in enumerate(absentees):
        if n < 180:  # ended recently, no return-to-work record: due or overdue
            end = AS_OF - timedelta(days=rng.randrange(0, 40))
            absence(p, end - timedelta(days=rng.randrange(0, 12)), end)
        elif n < 330:  # ended recently, return to work held
            end = AS_OF - timedelta(days=rng.randrange(1, 60))
            absence(p, end - timedelta(days=rng.randrange(0, 10)), end)
            ended_with_rtw.append(len(absences) - 1)
        elif n < 410:  # long-term and ongoing; contact kept up with some of them
            start = AS_OF - timedelta(days=rng.randrange(29, 240))
            contact = None if rng.random() < 0.5 else AS_OF - timedelta(days=rng.randrange(1, 30))
            absence(p, start, None, last_contact_on=contact)
        elif n < 460:  # ongoing, short so far
            absence(p, AS_OF - timedelta(days=rng.randrange(0, 10)), None)
        else:  # long ago, never followed up: outside the look-back
            end = AS_OF - timedelta(days=rng.randrange(150, 700))
            absence(p, end - timedelta(days=rng.randrange(0, 10)), end)

    objectives = []
    for p in rng.sample(staff, min(6_000, len(staff) // 2)):
        draft = rng.random() < 0.4
        objectives.append(
            {
                "employee_id": p["id"],
                "title": f"Improve {rng.choice(('response times', 'case quality', 'uptake'))}",
                "status": "draft" if draft else "agreed",
                "proposed_by": "manager" if rng.random() < 0.2 else "owner",
                "created_at": NOW - timedelta(days=rng.randrange(1, 60)),
                "updated_at": NOW,
            }
        )
    overrides = [
        {"employee_id": p["id"], "interval_days": rng.choice((14, 42, 56)), "set_at": NOW}
        for p in rng.sample(staff, min(400, len(staff) // 10))
    ] + [
        {"team_manager_id": m, "interval_days": rng.choice((14, 21)), "set_at": NOW}
        for m in rng.sample(managers, min(150, len(managers) // 4))
    ]

    async with database.transaction() as session:
        await _bulk(session, Employee, people, seeded)
        await _bulk(session, OneToOne, one_to_ones, seeded)
        await _bulk(session, Apr, aprs, seeded)
        await _bulk(session, Absence, absences, seeded)
        await _bulk(session, Objective, objectives, seeded)
        await _bulk(session, CadenceOverride, overrides, seeded)
        ids = dict((await session.execute(select(Absence.employee_id, Absence.id))).all())
        rtws = []
        for index in ended_with_rtw:
            row = absences[index]
            rtws.append(
                {
                    "absence_id": ids[row["employee_id"]],
                    "employee_id": row["employee_id"],
                    "held_on": row["end_date"] + timedelta(days=1),
                    "outcome": "fit to return",
                    "created_at": NOW,
                }
            )
        await _bulk(session, ReturnToWork, rtws, seeded)
        if database.backend == "postgresql":  # ids were given explicitly
            await session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('employee', 'id'), max(id)) FROM employee"
                )
            )
    seeded.seconds = time.perf_counter() - began
    return seeded


async def seed_last_week(database: Database, seeded: Seeded) -> None:
    """Last Monday's cycle, already sent: the outbox history the budget reads."""
    began = time.perf_counter()
    last_week = AS_OF - timedelta(days=7)
    policy = NudgePolicy()
    service = NudgeService(database, FixedClock(NOW - timedelta(days=7)), policy, PlanSettings())
    _due, digests, _histories = await service.plan(last_week)
    sent = [d for d in digests if d.items]
    sent_at = NOW - timedelta(days=7)
    async with database.transaction() as session:
        rows = [
            {
                "recipient_id": d.recipient_id,
                "run_date": last_week,
                "status": "sent",
                "attempts": 1,
                "next_attempt_at": sent_at,
                "created_at": sent_at,
                "sent_at": sent_at,
            }
            for d in sent
        ]
        await _bulk(session, NudgeDigest, rows, seeded)
        digest_ids = dict(
            (
                await session.execute(
                    select(NudgeDigest.recipient_id, NudgeDigest.id).where(
                        NudgeDigest.run_date == last_week
                    )
                )
            ).all()
        )
        nudges = [
            {
                "idempotency_key": idempotency_key(item, last_week),
                "digest_id": digest_ids[d.recipient_id],
                "recipient_id": d.recipient_id,
                "subject_id": item.subject_id,
                "kind": item.kind.value,
                "item_key": item.item_key,
                "title": item.title[:300],
                "detail": item.detail[:500],
                "due_since": item.due_since,
                "escalated": item.escalated,
                "created_at": sent_at,
            }
            for d in sent
            for item in d.items
        ]
        await _bulk(session, Nudge, nudges, seeded)
    seeded.seconds += time.perf_counter() - began


# --- (a) Planning ------------------------------------------------------------------------------


@dataclass
class PlanResult:
    seconds: list[float]
    due_items: int
    recipients: int
    digests: list[PlannedDigest]
    # This process's CPU (both threads: the event loop and SQLite's): steadier than wall
    # time on a shared machine. PostgreSQL's own CPU is in its server processes, not here.
    cpu: list[float] = field(default_factory=list)
    # The longest time the event loop went without a turn (a tick every millisecond) while
    # planning ran: what a Teams turn arriving at 09:00 could wait for this process.
    stalls: list[float] = field(default_factory=list)


@asynccontextmanager
async def loop_stalls(longest: list[float]) -> AsyncIterator[None]:
    """Append to ``longest`` the longest gap between ticks of a task that asks the event loop
    every millisecond, over the block."""
    gaps = [0.0]

    async def tick() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps[0] = max(gaps[0], now - last - 0.001)
            last = now

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0)
    try:
        yield
    finally:
        ticker.cancel()
        longest.append(gaps[0])


async def time_plan(database: Database, runs: int) -> PlanResult:
    return (await time_plans([database], runs))[0]


async def time_plans(databases: list[Database], runs: int) -> list[PlanResult]:
    """``runs`` timed plans of each database, taken in turns (the first database, the second,
    the first, ...), so that a neighbour's load on a shared machine falls on each alike and
    their ratio means something."""
    services = [
        NudgeService(database, FixedClock(NOW), NudgePolicy(), PlanSettings())
        for database in databases
    ]
    timings: list[tuple[list[float], list[float], list[float]]] = [([], [], []) for _ in databases]
    last: list[tuple[int, list[PlannedDigest]]] = [(0, []) for _ in databases]
    for _ in range(runs):
        for index, service in enumerate(services):
            last[index] = (0, [])  # let the last run's results go first, as a fresh cycle would
            gc.collect()
            began, began_cpu = time.perf_counter(), time.process_time()
            async with loop_stalls(timings[index][2]):
                due, digests, _histories = await service.plan(AS_OF)
            timings[index][0].append(time.perf_counter() - began)
            timings[index][1].append(time.process_time() - began_cpu)
            del _histories
            last[index] = (due, digests)
    results = []
    for (seconds, cpu, stalls), (due, digests) in zip(timings, last, strict=True):
        with_items = [d for d in digests if d.items]
        results.append(PlanResult(seconds, due, len(with_items), with_items, cpu, stalls))
    return results


# --- (b) Delivery ------------------------------------------------------------------------------


async def analyze(database: Database) -> None:
    """Fresh planner statistics after bulk loading, as autovacuum would gather (committed:
    ANALYZE in a transaction that is rolled back leaves the planner with none)."""
    if database.backend == "postgresql":
        async with database.engine.begin() as conn:
            await conn.execute(text("ANALYZE"))


def _serve_connector(pipe: Any) -> None:
    """The stand-in Bot Connector, in a process of its own."""
    from tests.support.throttled_connector import ThrottledConnector

    async def main() -> None:
        stand_in = await ThrottledConnector().start()
        pipe.send(stand_in.url)
        await asyncio.to_thread(pipe.recv)  # until told to stop
        pipe.send((dict(stand_in.delivered), stand_in.throttled, len(stand_in.created)))
        await stand_in.stop()

    asyncio.run(main())


@dataclass
class DeliveryResult:
    backend: str
    queued: int
    seconds: float
    delivered: int
    throttled: int
    duplicates: int
    lost: int
    report: SendReport
    statuses: dict[str, int]


def _references(people: list[int], url: str) -> list[dict[str, Any]]:
    return [
        {
            "user_id": f"29:bench-{pk}",
            "aad_object_id": None,
            "tenant_id": "bench-tenant",
            "employee_id": pk,
            "channel_id": "msteams",
            "service_url": url,
            "conversation_id": f"a:bench-{pk}",
            "bot_id": "28:charter",
            "reference_json": (
                '{"bot": {"id": "28:charter"}, "channelId": "msteams", '
                f'"conversation": {{"id": "a:bench-{pk}"}}, '
                f'"serviceUrl": "{url}", "user": {{"id": "29:bench-{pk}"}}}}'
            ),
            "updated_at": NOW,
        }
        for pk in people
    ]


async def queue_digests(database: Database, digests: list[PlannedDigest], url: str) -> int:
    policy = NudgePolicy()
    async with database.transaction() as session:
        for digest in digests:
            await outbox.queue_digest(
                session,
                recipient_id=digest.recipient_id,
                run_date=AS_OF,
                nudges=[
                    QueuedNudge(
                        idempotency_key=idempotency_key(
                            item, repeat_window_start(None, AS_OF, policy.repeat_days)
                        ),
                        kind=item.kind.value,
                        item_key=item.item_key,
                        subject_id=item.subject_id,
                        title=item.title,
                        detail=item.detail,
                        due_since=item.due_since,
                        escalated=item.escalated,
                    )
                    for item in digest.items
                ],
                now=NOW,
            )
        # Everyone has opened the bot: a conversation of their own with the stand-in.
        await session.execute(
            insert(ConversationReferenceRecord),
            _references([d.recipient_id for d in digests], url),
        )
        return int(
            await session.scalar(
                select(func.count()).select_from(NudgeDigest).where(NudgeDigest.status == "queued")
            )
            or 0
        )


async def deliver(
    database: Database, backend: str, plan: PlanResult, count: int, concurrency: int | None
) -> DeliveryResult:
    if len(plan.digests) < count:
        raise SystemExit(f"only {len(plan.digests)} recipients have items; asked for {count}")
    context = multiprocessing.get_context("spawn")
    here, there = context.Pipe()
    process = context.Process(target=_serve_connector, args=(there,), daemon=True)
    process.start()
    try:
        url = await asyncio.to_thread(here.recv)
        chosen = plan.digests[:count]
        queued = await queue_digests(database, chosen, url)
        say(f"  queued {queued:,} digests; delivering to the stand-in at {url}")
        adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Settings()))
        delivery = TeamsDelivery(
            adapter, "", ConversationReferences(database), database, service_url=url
        )
        options = {} if concurrency is None else {"concurrency": concurrency}
        sender = NudgeSender(
            database, delivery, now=lambda: datetime.now(UTC), worker="bench", **options
        )
        began = time.perf_counter()
        report = await sender.send_pending()
        seconds = time.perf_counter() - began
        here.send("stop")
        delivered, throttled, _created = await asyncio.to_thread(here.recv)
    finally:
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()
    async with database.sessions() as session:
        statuses = await outbox_status.status_counts(session)
    expected = {f"a:bench-{d.recipient_id}" for d in chosen}
    return DeliveryResult(
        backend=backend,
        queued=queued,
        seconds=seconds,
        delivered=sum(delivered.values()),
        throttled=throttled,
        duplicates=sum(1 for n in delivered.values() if n > 1),
        lost=sum(1 for c in expected if not delivered.get(c)),
        report=report,
        statuses=statuses,
    )


# --- (c) A year of outbox history --------------------------------------------------------------


async def seed_history(database: Database, weeks: int, seeded: Seeded) -> None:
    """Copy last week's sent digests and nudges ``weeks`` - 1 more weeks back, in SQL."""
    began = time.perf_counter()
    last_week = AS_OF - timedelta(days=7)
    shift = (
        "run_date - {days}"
        if database.backend == "postgresql"
        else "date(run_date, '-{days} days')"
    )
    async with database.transaction() as session:
        for week in range(1, weeks):
            days = 7 * week
            run_date = shift.format(days=days)
            await session.execute(
                text(
                    "INSERT INTO nudge_digest (recipient_id, run_date, status, attempts, "
                    "next_attempt_at, created_at, sent_at, parts_sent) "
                    f"SELECT recipient_id, {run_date}, status, attempts, next_attempt_at, "
                    "created_at, sent_at, 0 FROM nudge_digest WHERE run_date = :last_week"
                ),
                {"last_week": last_week},
            )
            await session.execute(
                text(
                    "INSERT INTO nudge (idempotency_key, digest_id, recipient_id, subject_id, "
                    "kind, item_key, title, detail, due_since, escalated, created_at) "
                    "SELECT n.idempotency_key || :suffix, old.id, n.recipient_id, n.subject_id, "
                    "n.kind, n.item_key, n.title, n.detail, n.due_since, n.escalated, "
                    "n.created_at FROM nudge n "
                    "JOIN nudge_digest d ON d.id = n.digest_id AND d.run_date = :last_week "
                    "JOIN nudge_digest old ON old.recipient_id = d.recipient_id "
                    "AND old.run_date = :then"
                ),
                {
                    "suffix": f"#{week}",
                    "last_week": last_week,
                    "then": last_week - timedelta(days=days),
                },
            )
        counts = {
            table: int(await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
            for table in ("nudge_digest", "nudge")
        }
    seeded.counts.update({f"{t} (a year)": n for t, n in counts.items()})
    seeded.seconds += time.perf_counter() - began


# --- (e) Two instances on one PostgreSQL ------------------------------------------------------


class RunningClock(Clock):
    """Monday 09:00 in the council's time zone when the process starts, then real time."""

    def __init__(self, start: datetime) -> None:
        super().__init__(ZoneInfo("Europe/London"))
        self._start, self._began = start, time.monotonic()

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=time.monotonic() - self._began)).astimezone(self.tz)


def _serve_instance(database_url: str, service_url: str, pipe: Any) -> None:
    """One bot instance: the real app on its own port, then the scheduler's jobs on cue."""
    from aiohttp import web

    from bot.app import RUNTIME, create_app
    from bot.jobs.reminders import scheduled_cycle, scheduled_sweep

    async def main() -> None:
        settings = Settings(database_url=database_url, teams_service_url=service_url)
        clock = RunningClock(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London")))
        app = create_app(settings, clock=clock, start_jobs=False)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        pipe.send(port)
        go_at = await asyncio.to_thread(pipe.recv)
        await asyncio.sleep(max(0.0, go_at - time.time()))  # both fire at the same instant
        outcome = await scheduled_cycle(app[RUNTIME])
        swept = await scheduled_sweep(app[RUNTIME])
        pipe.send(
            (
                None if outcome is None else outcome.planned.queued_digests,
                None if outcome is None or outcome.sent is None else outcome.sent.sent,
                None if swept is None else swept.sent,
            )
        )
        await asyncio.to_thread(pipe.recv)  # still serving users' turns until told to stop
        await runner.cleanup()

    asyncio.run(main())


async def _bystanders(database: Database, count: int) -> list[TeamsUser]:
    """People with a Teams account whom no digest can be for today: nobody's manager (every
    one-to-one, APR, RTW, keep-in-touch and escalation goes to a manager) and with no
    objective their manager proposed (the one item that goes to its owner). Their turns
    move their stored conversation reference, so they are kept apart from the recipients."""
    async with database.sessions() as session:
        rows = (
            await session.execute(
                select(Employee.name, Employee.aad_object_id, Employee.email)
                .where(
                    Employee.aad_object_id.is_not(None),
                    Employee.left_on.is_(None),
                    Employee.id.not_in(
                        select(Employee.manager_id).where(Employee.manager_id.is_not(None))
                    ),
                    Employee.id.not_in(
                        select(Objective.employee_id).where(Objective.proposed_by == "manager")
                    ),
                )
                .order_by(Employee.id)
                .limit(count)
            )
        ).all()
    return [TeamsUser(name, aad, email) for name, aad, email in rows]


@dataclass
class Traffic:
    turns: int = 0
    errors: int = 0  # HTTP status other than 2xx, or no answer within 60 s
    by_port: Counter[int] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)  # 0: no answer
    seconds: list[float] = field(default_factory=list)  # POST to its answer (reply sent)


async def _split_traffic(
    ports: list[int], users: list[TeamsUser], connector_url: str, turns: int, seconds: float
) -> Traffic:
    """``turns`` of ``who am I`` spread evenly over ``seconds``, the users' turns alternating
    between the instances (turn n to ports[n % 2]), as a load balancer would split them."""
    traffic = Traffic()

    async def one(session: aiohttp.ClientSession, n: int) -> None:
        await asyncio.sleep(n * seconds / turns)
        port = ports[n % len(ports)]
        body = activity(users[n % len(users)], connector_url, text="who am I")
        traffic.by_port[port] += 1
        began = time.perf_counter()
        try:
            async with session.post(
                f"http://127.0.0.1:{port}/api/messages",
                json=body,
                timeout=aiohttp.ClientTimeout(total=60),
            ) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        ok = 200 <= status < 300
        traffic.statuses[status] += 1
        traffic.seconds.append(time.perf_counter() - began)
        traffic.turns += 1
        traffic.errors += 0 if ok else 1

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(one(session, n) for n in range(turns)))
    return traffic


@dataclass
class TwoInstances:
    ports: list[int]
    outcomes: list[tuple[int | None, int | None, int | None]]
    digests: int
    delivered: int
    duplicates: int
    lost: int
    seconds: float
    traffic: Traffic
    users: int
    replies: int  # messages the stand-in took in the users' own conversations
    unanswered: int  # turns with no reply
    extra_replies: int  # replies beyond one per turn
    recipients_among_users: int  # must be 0: the users' turns moved no digest elsewhere


async def two_instances(server_url: str, rows: int, turns: int, users: int) -> TwoInstances:
    name = f"charter_bench_{uuid.uuid4().hex[:12]}"
    await execute_as_server_admin(server_url, f'CREATE DATABASE "{name}"')
    plain = (
        normalise_database_url(server_url)
        .set(database=name)
        .render_as_string(hide_password=False)
        .replace("+asyncpg", "")
    )
    context = multiprocessing.get_context("spawn")
    processes: list[Any] = []
    try:
        await asyncio.to_thread(upgrade, plain)
        database = Database(plain)
        here, there = context.Pipe()
        connector = context.Process(target=_serve_connector, args=(there,), daemon=True)
        connector.start()
        processes.append(connector)
        url = await asyncio.to_thread(here.recv)
        with tempfile.TemporaryDirectory(prefix="charter-bench-") as tmp:
            seeded = await seed(database, load_org(Path(tmp), rows, max(10, rows * 6 // 50)))
        async with database.transaction() as session:
            people = list((await session.scalars(select(Employee.id))).all())
            await session.execute(insert(ConversationReferenceRecord), _references(people, url))
        bystanders = await _bystanders(database, users)
        say(f"two instances: seeded {seeded.counts['employee']:,} people; starting two bots")
        pipes = []
        for _ in range(2):
            mine, theirs = context.Pipe()
            instance = context.Process(target=_serve_instance, args=(plain, url, theirs))
            instance.start()
            processes.append(instance)
            pipes.append(mine)
        ports = [await asyncio.to_thread(p.recv) for p in pipes]
        go_at = time.time() + 1.0
        began = time.perf_counter()
        for p in pipes:
            p.send(go_at)
        # Users talk to the bot while both instances plan and send: turns start with the
        # cycle and spread over the time the digests take at the tenant's rate.
        await asyncio.sleep(max(0.0, go_at - time.time()))
        traffic_task = asyncio.create_task(
            _split_traffic(ports, bystanders, url, turns, seconds=rows / 8 / 50)
        )
        outcomes = [await asyncio.to_thread(p.recv) for p in pipes]
        traffic = await traffic_task
        seconds = time.perf_counter() - began
        for p in pipes:
            p.send("stop")
        await asyncio.sleep(1.0)  # the last replies on their way
        here.send("stop")
        delivered, _throttled, _created = await asyncio.to_thread(here.recv)
        async with database.sessions() as session:
            recipients = list((await session.scalars(select(NudgeDigest.recipient_id))).all())
            users_linked = set(
                (
                    await session.scalars(
                        select(Employee.id).where(
                            Employee.aad_object_id.in_([u.aad_object_id for u in bystanders])
                        )
                    )
                ).all()
            )
        await database.dispose()
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
        await execute_as_server_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    expected = {f"a:bench-{r}" for r in recipients}
    digests = {c: n for c, n in delivered.items() if c.startswith("a:bench-")}
    turns_by_user = Counter(bystanders[n % len(bystanders)].conversation_id for n in range(turns))
    replies = {c: delivered.get(c, 0) for c in turns_by_user}
    return TwoInstances(
        ports=ports,
        outcomes=outcomes,
        digests=len(expected),
        delivered=sum(digests.values()),
        duplicates=sum(1 for n in digests.values() if n > 1),
        lost=sum(1 for c in expected if not digests.get(c)),
        seconds=seconds,
        traffic=traffic,
        users=len(bystanders),
        replies=sum(replies.values()),
        unanswered=sum(max(0, turns_by_user[c] - n) for c, n in replies.items()),
        extra_replies=sum(max(0, n - turns_by_user[c]) for c, n in replies.items()),
        recipients_among_users=len(users_linked & set(recipients)),
    )


# --- Running it --------------------------------------------------------------------------------


@dataclass
class BackendResult:
    label: str
    seeded: Seeded
    plan: PlanResult
    with_history: PlanResult | None = None
    at_scale: PlanResult | None = None


async def run(args: argparse.Namespace) -> None:
    backends: list[tuple[str, str]] = []
    created: str | None = None
    with tempfile.TemporaryDirectory(prefix="charter-bench-") as tmp:
        began = time.perf_counter()
        people = load_org(Path(tmp), args.rows, args.managers)
        say(f"generated {len(people):,} people in {time.perf_counter() - began:.1f} s")
        size = (len(people), len({p["manager_id"] for p in people} - {None}))
        del people  # not kept alive (and scanned by every garbage collection) while timing
        backends.append(("SQLite", f"sqlite:///{Path(tmp) / 'charter.db'}"))
        if args.database_url:
            created = f"charter_bench_{uuid.uuid4().hex[:12]}"
            await execute_as_server_admin(args.database_url, f'CREATE DATABASE "{created}"')
            url = normalise_database_url(args.database_url).set(database=created)
            plain = url.render_as_string(hide_password=False).replace("+asyncpg", "")
            backends.append(("PostgreSQL", plain))
        delivery_on = args.delivery_backend or backends[-1][0].lower()
        results: list[BackendResult] = []
        delivery: DeliveryResult | None = None
        try:
            for label, url in backends:
                await asyncio.to_thread(upgrade, url)
                database = Database(url)
                try:
                    seeded = await seed(database, load_org(Path(tmp), args.rows, args.managers))
                    await seed_last_week(database, seeded)
                    await analyze(database)
                    say(
                        f"{label}: seeded "
                        + ", ".join(f"{n:,} {t}" for t, n in seeded.counts.items())
                        + f" in {seeded.seconds:.1f} s"
                    )
                    result = await plan_both_sizes(Path(tmp), label, url, database, seeded, args)
                    results.append(result)
                    plan = result.plan
                    if args.history_weeks > 1:
                        await seed_history(database, args.history_weeks, seeded)
                        await analyze(database)
                        say(f"{label}: a year of outbox seeded; {seeded.counts}")
                        result.with_history = await time_plan(database, args.runs)
                        say(f"{label}: plan with history {result.with_history.seconds}")
                    if label.lower() == delivery_on and args.digests > 0:
                        delivery = await deliver(
                            database, label, plan, args.digests, args.concurrency
                        )
                finally:
                    await database.dispose()
        finally:
            if created:
                await execute_as_server_admin(
                    args.database_url, f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'
                )
    pair = None
    if args.two_instances:
        pair = await two_instances(
            args.database_url, args.instances_rows, args.instances_turns, args.instances_users
        )
    print_table(size, results, delivery, args, pair)


async def plan_both_sizes(
    folder: Path,
    label: str,
    url: str,
    database: Database,
    seeded: Seeded,
    args: argparse.Namespace,
) -> BackendResult:
    """(a) and, with --scale-rows, (d): the council planned ``args.runs`` times, and the bigger
    one as often, in turns."""
    if not args.scale_rows:
        plan = await time_plan(database, args.runs)
        at_scale = None
    else:
        async with scale_database(folder, label, url, args) as big:
            plan, at_scale = await time_plans([database, big], args.runs)
        say(f"{label}: plan at {args.scale_rows:,}: {at_scale.seconds}")
    say(
        f"{label}: plan "
        + ", ".join(f"{s:.2f}" for s in plan.seconds)
        + f" s; {plan.due_items:,} due items for {plan.recipients:,} recipients"
    )
    return BackendResult(label, seeded, plan, at_scale=at_scale)


@asynccontextmanager
async def scale_database(
    folder: Path, label: str, base_url: str, args: argparse.Namespace
) -> AsyncIterator[Database]:
    """A second, bigger council in a database of its own, seeded as the first was."""
    created = None
    if label == "SQLite":
        url = f"sqlite:///{folder / 'charter-scale.db'}"
    else:
        created = f"charter_bench_{uuid.uuid4().hex[:12]}"
        await execute_as_server_admin(args.database_url, f'CREATE DATABASE "{created}"')
        url = (
            normalise_database_url(args.database_url)
            .set(database=created)
            .render_as_string(hide_password=False)
            .replace("+asyncpg", "")
        )
    try:
        await asyncio.to_thread(upgrade, url)
        database = Database(url)
        try:
            managers = args.managers * args.scale_rows // args.rows
            seeded = await seed(database, load_org(folder, args.scale_rows, managers))
            await seed_last_week(database, seeded)
            await analyze(database)
            say(f"{label}: seeded {args.scale_rows:,} people in {seeded.seconds:.1f} s")
            yield database
        finally:
            await database.dispose()
    finally:
        if created:
            await execute_as_server_admin(
                args.database_url, f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'
            )


def print_table(
    size: tuple[int, int],
    results: list[BackendResult],
    delivery: DeliveryResult | None,
    args: argparse.Namespace,
    pair: TwoInstances | None = None,
) -> None:
    people, managers = size
    rows: list[tuple[str, str, str, str]] = []

    def row(what: str, value: str, target: str = "", ok: bool | None = None) -> None:
        rows.append((what, value, target, "" if ok is None else ("PASS" if ok else "FAIL")))

    for r in results:
        median = statistics.median(r.plan.seconds)
        row(f"plan, {r.label} (median of {len(r.plan.seconds)})", f"{median:.2f} s")
        slowest = max(r.plan.seconds)
        row("  slowest run", f"{slowest:.2f} s", f"< {PLAN_TARGET:g} s", slowest < PLAN_TARGET)
        row("  CPU here, median", f"{statistics.median(r.plan.cpu):.2f} s")
        row("  longest event-loop stall", f"{max(r.plan.stalls) * 1000:.0f} ms")
        row("  due items / digests", f"{r.plan.due_items:,} / {r.plan.recipients:,}")
        if r.with_history is not None:
            slowest = max(r.with_history.seconds)
            row(
                f"  with {args.history_weeks} weeks of outbox: median / slowest",
                f"{statistics.median(r.with_history.seconds):.2f} / {slowest:.2f} s",
                f"< {PLAN_TARGET:g} s",
                slowest < PLAN_TARGET,
            )
        if r.at_scale is not None:
            scaled = statistics.median(r.at_scale.seconds)
            ratio = scaled / median
            limit = args.scale_rows / args.rows * SCALE_SLACK
            row(
                f"  at {args.scale_rows:,} people: median / slowest",
                f"{scaled:.2f} / {max(r.at_scale.seconds):.2f} s",
            )
            row("    longest event-loop stall", f"{max(r.at_scale.stalls) * 1000:.0f} ms")
            cpu_ratio = statistics.median(r.at_scale.cpu) / statistics.median(r.plan.cpu)
            row(
                "    CPU here, median / ratio",
                f"{statistics.median(r.at_scale.cpu):.2f} s / {cpu_ratio:.2f}x",
            )
            row(
                f"    ratio to the {args.rows:,} plan",
                f"{ratio:.2f}x",
                f"<= {limit:.1f}x",
                ratio <= limit,
            )
            row(
                "    due items / digests",
                f"{r.at_scale.due_items:,} / {r.at_scale.recipients:,}",
            )
    if delivery is not None:
        floor = delivery.delivered / args.tenant_limit if delivery.delivered else 0.0
        floor = max(floor, delivery.queued / args.tenant_limit)
        ratio = delivery.seconds / floor if floor else float("inf")
        row(
            f"deliver {delivery.queued:,} digests ({delivery.backend})",
            f"{delivery.seconds:.1f} s",
            f"<= {floor * RATIO_TARGET:.1f} s",
            ratio <= RATIO_TARGET,
        )
        row(f"  floor at {args.tenant_limit}/s", f"{floor:.1f} s")
        row("  ratio to floor", f"{ratio:.2f}x", f"<= {RATIO_TARGET:.2f}x", ratio <= RATIO_TARGET)
        row("  messages delivered", f"{delivery.delivered:,}")
        row("  429s received", f"{delivery.throttled:,}")
        row("  duplicates", f"{delivery.duplicates:,}", "0", delivery.duplicates == 0)
        row("  lost", f"{delivery.lost:,}", "0", delivery.lost == 0)
        row(
            "  outbox afterwards",
            ", ".join(f"{n:,} {s}" for s, n in sorted(delivery.statuses.items()) if s != "sent")
            or "all sent",
        )
    if pair is not None:
        runs = sum(1 for queued, _sent, _swept in pair.outcomes if queued is not None)
        row(
            f"two instances, ports {pair.ports[0]} and {pair.ports[1]}: cycle run by",
            f"{runs} of 2",
            "1",
            runs == 1,
        )
        row("  digests / messages delivered", f"{pair.digests:,} / {pair.delivered:,}")
        row("  duplicates", f"{pair.duplicates:,}", "0", pair.duplicates == 0)
        row("  lost", f"{pair.lost:,}", "0", pair.lost == 0)
        row("  wall time", f"{pair.seconds:.1f} s")
        by_port = " + ".join(f"{pair.traffic.by_port[p]:,}" for p in pair.ports)
        row(
            f"  users' turns meanwhile ({pair.users} users), split",
            f"{pair.traffic.turns:,} ({by_port})",
        )
        statuses = ", ".join(
            f"{n:,} x {s or 'none'}" for s, n in sorted(pair.traffic.statuses.items())
        )
        waits = sorted(pair.traffic.seconds) or [0.0]
        p50, p95 = waits[len(waits) // 2], waits[min(len(waits) - 1, len(waits) * 95 // 100)]
        row("    POST to answer, p50 / p95", f"{p50:.2f} / {p95:.2f} s")
        row("    HTTP errors", f"{pair.traffic.errors:,}", "0", pair.traffic.errors == 0)
        row("    answers (HTTP status)", statuses)
        row("    unanswered turns", f"{pair.unanswered:,}", "0", pair.unanswered == 0)
        row(
            "    replies beyond one per turn",
            f"{pair.extra_replies:,}",
            "0",
            pair.extra_replies == 0,
        )
        row(
            "    users who were also digest recipients",
            f"{pair.recipients_among_users:,}",
            "0",
            pair.recipients_among_users == 0,
        )
    widths = [max(len(r[i]) for r in [("measure", "value", "target", ""), *rows]) for i in range(4)]
    print(
        f"nudge pipeline: {people:,} employees, {managers:,} managers, as of {AS_OF:%a %-d %b %Y}"
    )
    # Timings on a shared machine mean little without how busy it was.
    print(
        f"load average at the end (1, 5, 15 min): {', '.join(f'{n:.2f}' for n in os.getloadavg())}"
    )
    header = ("measure", "value", "target", "")
    for r in [header, *rows]:
        print(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server database; a fresh database is created beside it and dropped",
    )
    parser.add_argument("--digests", type=int, default=2_000, help="digests to deliver (0: none)")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--managers", type=int, default=6_000)
    parser.add_argument("--runs", type=int, default=3, help="timed planning runs per backend")
    parser.add_argument("--delivery-backend", choices=("sqlite", "postgresql"))
    parser.add_argument(
        "--history-weeks", type=int, default=52, help="weeks of outbox for (c); 0 or 1: skip"
    )
    parser.add_argument("--scale-rows", type=int, default=0, help="(d): e.g. 400000; 0: skip")
    parser.add_argument("--two-instances", action="store_true", help="(e), PostgreSQL only")
    parser.add_argument("--instances-rows", type=int, default=5_000)
    parser.add_argument(
        "--instances-turns", type=int, default=200, help="(e): users' turns, split between the two"
    )
    parser.add_argument("--instances-users", type=int, default=50, help="(e): users sending them")
    parser.add_argument("--concurrency", type=int, help="NudgeSender concurrency (its default)")
    parser.add_argument("--tenant-limit", type=int, default=50, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.delivery_backend == "postgresql" and not args.database_url:
        parser.error("--delivery-backend postgresql needs --database-url")
    if args.two_instances and not args.database_url:
        parser.error("--two-instances needs --database-url (PostgreSQL)")
    asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
