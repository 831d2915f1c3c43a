"""A 09:00 burst against `charter run` as deployed: one process and ``--workers 2``.

    .venv/bin/python bench/burst.py [--turns 200] [--users 50] [--workers 1 2]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

Each configuration serves a fresh demo database (SQLite, then PostgreSQL if given) through
``python -m cli.main run --workers N``; ``--users`` people (demo people, plus synthetic Teams
links on other demo employees when the demo has fewer linked) each send ``who am I`` at
once, ``--turns`` in all. Reported: p50/p95 from POST to reply at the Bot Connector
stand-in, errors, duplicate replies and unanswered turns. Target: p95 <= 3 s, none of the
rest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_database import demo_database
from bench.turn_latency import burst, link_people

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 120.0


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def serve(db_url: str, workers: int, workdir: Path) -> Served:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("Microsoft", "CHARTER_", "HOST", "PORT"))
    }
    env.update(DATABASE_URL=db_url, PYTHONPATH=str(ROOT), CHARTER_LOG_LEVEL="WARNING")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "run", "--workers", str(workers), "--port", str(port)],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    served = Served(process, f"http://127.0.0.1:{port}/api/messages")
    seen: set[object] = set()
    deadline = time.monotonic() + STARTUP_SECONDS
    while len(seen) < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            served.stop()
            raise SystemExit(f"charter run --workers {workers} did not start")
        try:
            connector = aiohttp.TCPConnector(force_close=True)
            async with (
                aiohttp.ClientSession(connector=connector) as session,
                session.get(f"http://127.0.0.1:{port}/healthz") as response,
            ):
                seen.add((await response.json()).get("worker"))
        except (aiohttp.ClientError, OSError):
            await asyncio.sleep(0.3)
    return served


async def run_backend(label: str, server_url: str | None, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with demo_database(server_url, Path(tmp)) as db_url:
            await link_people(db_url, args.users)
            for workers in args.workers:
                served = await serve(db_url, workers, Path(tmp))
                try:
                    result = await burst(served, db_url, args.turns, args.users)  # type: ignore[arg-type]
                finally:
                    served.stop()
                print(
                    f"{label}, --workers {workers}: {result.turns} turns from {result.users} "
                    f"users at once: p50 {result.p50:.0f} ms, p95 {result.p95:.0f} ms, "
                    f"{result.errors} errors, {result.duplicates} duplicate replies, "
                    f"{result.missing} unanswered, {result.seconds:.1f} s in all",
                    flush=True,
                )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--database-url", help="a PostgreSQL server to run on as well")
    parser.add_argument("--only-postgresql", action="store_true")
    args = parser.parse_args()
    if not args.only_postgresql:
        await run_backend("SQLite", None, args)
    if args.database_url:
        await run_backend("PostgreSQL", args.database_url, args)


if __name__ == "__main__":
    asyncio.run(main())
