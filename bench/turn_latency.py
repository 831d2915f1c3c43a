"""Turn cost over HTTP: Charter against the SDK's echo bot, interleaved in one run.

Three servers, each in its own process (bench/turn_server.py), share one run:

- the SDK's echo bot as its samples run it (new connector client and credentials per turn),
- the same echo bot keeping its connector clients (one per service URL) but otherwise as the
  SDK ships it: its transport (requests in a thread) and serialisation; the issue measured
  this one as "the SDK echo bot with its connector clients reused" (column "vs SDK reuse"),
- the same echo bot with Charter's shared clients, asyncio transport and activity bodies, the
  strictest baseline (column "vs reuse echo"),
- Charter answering ``who am I`` on the demo organisation.

Rounds alternate between them, so a noisy neighbour on the machine hits all three alike. A
turn is timed from the POST to /api/messages until its reply reaches the local Bot Connector
stand-in; server CPU per turn is the server process's user+system time over the round.

Then, against Charter alone: a burst of 200 turns from 50 users at once (p95, errors,
duplicate replies), and 1,000 turns (growth of the server's resident memory).

    .venv/bin/python bench/turn_latency.py [--rounds 20] [--per-round 25]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

With --database-url, SQLite runs first and then PostgreSQL (a fresh database of its own on
that server, dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, update

from bench.bench_database import demo_database
from storage.database import Database
from storage.models import Employee
from tests.support.people import PRIYA_MANAGER
from tests.support.teams import ConnectorStandIn, TeamsUser, activity

SERVER = str(Path(__file__).with_name("turn_server.py"))
TICKS = os.sysconf("SC_CLK_TCK")
KINDS = (
    ("echo-samples", "echo bot (as the samples run it)", "hello"),
    ("echo-sdk-reuse", "echo bot (SDK's clients reused)", "hello"),
    ("echo-reuse", "echo bot (clients reused)", "hello"),
    ("charter", "Charter: who am I", "who am I"),
)


@dataclass
class Server:
    kind: str
    process: subprocess.Popen[str]
    url: str

    def cpu_ms(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / TICKS

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def start_server(kind: str, db_url: str) -> Server:
    process = subprocess.Popen(
        [sys.executable, SERVER, kind, db_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    return Server(kind, process, f"http://127.0.0.1:{port}/api/messages")


@dataclass
class Samples:
    latency_ms: list[float] = field(default_factory=list)
    cpu_ms: float = 0.0
    turns: int = 0


async def one_turn(
    session: aiohttp.ClientSession,
    server: Server,
    connector: ConnectorStandIn,
    user: TeamsUser,
    text: str,
) -> float:
    connector.clear()
    body = activity(user, connector.url, text=text)
    started = time.perf_counter()
    async with session.post(server.url, json=body) as response:
        await response.read()
        if response.status >= 300:
            raise SystemExit(f"{server.kind} answered {response.status}")
    [reply] = await connector.wait_for(1)
    return (reply["_arrived"] - started) * 1000


async def interleaved(
    servers: list[Server], connector: ConnectorStandIn, rounds: int, per_round: int
) -> dict[str, Samples]:
    results = {server.kind: Samples() for server in servers}
    texts = {kind: text for kind, _, text in KINDS}
    async with aiohttp.ClientSession() as session:
        for server in servers:  # warm-up: imports, first clients, content pack
            for _ in range(per_round):
                await one_turn(session, server, connector, PRIYA_MANAGER, texts[server.kind])
        for round_number in range(rounds):
            order = servers if round_number % 2 == 0 else list(reversed(servers))
            for server in order:
                samples = results[server.kind]
                cpu_before = server.cpu_ms()
                for _ in range(per_round):
                    samples.latency_ms.append(
                        await one_turn(
                            session, server, connector, PRIYA_MANAGER, texts[server.kind]
                        )
                    )
                samples.cpu_ms += server.cpu_ms() - cpu_before
                samples.turns += per_round
    return results


async def link_people(db_url: str, count: int) -> None:
    """At least ``count`` employees linked to a Teams account: the demo's linked people, then
    synthetic Teams ids on its other employees, then synthetic employees (in a demo team)."""
    database = Database(db_url)
    try:
        async with database.transaction() as session:
            linked_to_teams = Employee.aad_object_id.is_not(None)
            linked = (await session.scalars(select(Employee.id).where(linked_to_teams))).all()
            missing = count - len(linked)
            if missing <= 0:
                return
            unlinked = (
                await session.scalars(
                    select(Employee.id)
                    .where(Employee.aad_object_id.is_(None), Employee.left_on.is_(None))
                    .order_by(Employee.id)
                    .limit(missing)
                )
            ).all()
            for employee_id in unlinked:
                await session.execute(
                    update(Employee)
                    .where(Employee.id == employee_id)
                    .values(aad_object_id=str(uuid.uuid4()))
                )
            manager = await session.get(Employee, linked[0])
            assert manager is not None
            for number in range(missing - len(unlinked)):
                session.add(
                    Employee(
                        employee_id=f"BENCH{number:04d}",
                        name=f"Bench Person {number}",
                        email=f"bench.person.{number}@example.org",
                        manager_id=manager.id,
                        department=manager.department,
                        job_title="Officer",
                        start_date=date(2020, 1, 6),
                        aad_object_id=str(uuid.uuid4()),
                        is_demo=True,
                    )
                )
    finally:
        await database.dispose()


async def demo_users(db_url: str, count: int) -> list[TeamsUser]:
    database = Database(db_url)
    try:
        async with database.sessions() as session:
            rows = (
                await session.execute(
                    select(Employee.name, Employee.aad_object_id, Employee.email)
                    .where(Employee.aad_object_id.is_not(None))
                    .order_by(Employee.id)
                    .limit(count)
                )
            ).all()
    finally:
        await database.dispose()
    return [TeamsUser(name, aad, email) for name, aad, email in rows]


@dataclass
class Burst:
    users: int
    turns: int
    p50: float
    p95: float
    errors: int
    duplicates: int
    missing: int
    seconds: float


async def burst(server: Server, db_url: str, turns: int, user_count: int) -> Burst:
    await link_people(db_url, user_count)
    users = await demo_users(db_url, user_count)
    connector = await ConnectorStandIn().start()
    sent_at: dict[str, float] = {}
    statuses: list[int] = []

    async def send(session: aiohttp.ClientSession, index: int) -> None:
        user = users[index % len(users)]
        body = activity(user, connector.url, text="who am I")
        sent_at[body["id"]] = time.perf_counter()
        try:
            async with session.post(
                server.url, json=body, timeout=aiohttp.ClientTimeout(total=60)
            ) as response:
                await response.read()
                statuses.append(response.status)
        except (aiohttp.ClientError, TimeoutError):
            statuses.append(0)

    try:
        started = time.perf_counter()
        connector_limit = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector_limit) as session:
            await asyncio.gather(*(send(session, i) for i in range(turns)))
        await asyncio.sleep(0.5)  # replies still on their way
        with_reply = Counter(m["_reply_to"] for m in connector.received)
        latencies = sorted(
            (m["_arrived"] - sent_at[m["_reply_to"]]) * 1000
            for m in connector.received
            if m["_reply_to"] in sent_at
        )
        return Burst(
            users=len(users),
            turns=turns,
            p50=percentile(latencies, 50) if latencies else float("nan"),
            p95=percentile(latencies, 95) if latencies else float("nan"),
            errors=sum(1 for status in statuses if status == 0 or status >= 300),
            duplicates=sum(n - 1 for n in with_reply.values() if n > 1),
            missing=sum(1 for activity_id in sent_at if activity_id not in with_reply),
            seconds=time.perf_counter() - started,
        )
    finally:
        await connector.stop()


async def memory_growth(server: Server, turns: int) -> tuple[float, float]:
    connector = await ConnectorStandIn().start()
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(50):
                await one_turn(session, server, connector, PRIYA_MANAGER, "who am I")
            before = server.rss_mb()
            for _ in range(turns):
                await one_turn(session, server, connector, PRIYA_MANAGER, "who am I")
            return before, server.rss_mb()
    finally:
        await connector.stop()


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


async def run_backend(label: str, server_url: str | None, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with demo_database(server_url, Path(tmp)) as db_url:
            servers = [start_server(kind, db_url) for kind, _, _ in KINDS]
            connector = await ConnectorStandIn().start()
            try:
                results = await interleaved(servers, connector, args.rounds, args.per_round)
                charter = servers[-1]
                burst_result = None
                if not args.turns_only:
                    burst_result = await burst(charter, db_url, args.burst_turns, args.burst_users)
                    before, after = await memory_growth(charter, args.memory_turns)
            finally:
                await connector.stop()
                for server in servers:
                    server.stop()

    names = {kind: name for kind, name, _ in KINDS}
    shipped = results["echo-samples"]
    reused = results["echo-reuse"]
    sdk_reused = results["echo-sdk-reuse"]

    def cpu(samples: Samples) -> float:
        return samples.cpu_ms / samples.turns

    print(f"\n== {label}: {args.rounds} interleaved rounds of {args.per_round} turns per bot ==")
    print(
        f"{'bot':<34}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms/turn':>13}"
        f"{'CPU vs shipped echo':>21}{'CPU vs reuse echo':>19}{'p50 vs shipped':>16}"
        f"{'p50 vs reuse':>14}{'CPU vs SDK reuse':>18}{'p50 vs SDK reuse':>18}"
    )
    for kind, samples in results.items():
        p50 = percentile(samples.latency_ms, 50)
        print(
            f"{names[kind]:<34}{p50:>8.2f}{percentile(samples.latency_ms, 99):>8.2f}"
            f"{cpu(samples):>13.2f}{cpu(samples) / cpu(shipped):>20.2f}x"
            f"{cpu(samples) / cpu(reused):>18.2f}x"
            f"{p50 / percentile(shipped.latency_ms, 50):>15.2f}x"
            f"{p50 / percentile(reused.latency_ms, 50):>13.2f}x"
            f"{cpu(samples) / cpu(sdk_reused):>17.2f}x"
            f"{p50 / percentile(sdk_reused.latency_ms, 50):>17.2f}x"
        )
    if burst_result is None:
        return
    b = burst_result
    print(
        f"burst: {b.turns} turns from {b.users} users at once: p50 {b.p50:.0f} ms, "
        f"p95 {b.p95:.0f} ms, {b.errors} errors, {b.duplicates} duplicate replies, "
        f"{b.missing} unanswered, {b.seconds:.1f} s in all"
    )
    print(
        f"memory: {args.memory_turns} turns, RSS {before:.1f} -> {after:.1f} MB "
        f"({after - before:+.1f} MB)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=25)
    parser.add_argument("--burst-turns", type=int, default=200)
    parser.add_argument("--burst-users", type=int, default=50)
    parser.add_argument("--memory-turns", type=int, default=1000)
    parser.add_argument("--database-url", help="a PostgreSQL server to run on as well")
    parser.add_argument("--only-postgresql", action="store_true")
    parser.add_argument(
        "--turns-only", action="store_true", help="the interleaved turns only: no burst or RSS"
    )
    args = parser.parse_args()
    if not args.only_postgresql:
        await run_backend("SQLite", None, args)
    if args.database_url:
        await run_backend("PostgreSQL", args.database_url, args)


if __name__ == "__main__":
    asyncio.run(main())
