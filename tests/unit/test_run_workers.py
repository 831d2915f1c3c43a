"""`charter run --workers N`: N processes answer on one port, and only one runs the
scheduled jobs (a reminder cycle run by every worker would remind everyone N times)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _charter(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", *args]


async def _health(port: int) -> dict[str, object] | None:
    # A new connection each time: SO_REUSEPORT spreads connections, not requests.
    connector = aiohttp.TCPConnector(force_close=True)
    try:
        async with (
            aiohttp.ClientSession(connector=connector) as session,
            session.get(
                f"http://127.0.0.1:{port}/healthz", timeout=aiohttp.ClientTimeout(total=5)
            ) as response,
        ):
            return await response.json()  # type: ignore[no-any-return]
    except (aiohttp.ClientError, TimeoutError):
        return None


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="SO_REUSEPORT is Linux/BSD")
async def test_two_workers_answer_on_one_port_and_one_runs_the_jobs(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("Microsoft", "CHARTER_", "HOST", "PORT"))
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'charter.db'}", PYTHONPATH=str(ROOT))
    subprocess.run(_charter("db", "upgrade"), cwd=tmp_path, env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        _charter("run", "--workers", "2", "--port", str(port)),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: dict[object, dict[str, object]] = {}
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while len(seen) < 2 and time.monotonic() < deadline:
            assert server.poll() is None, "charter run --workers 2 stopped"
            health = await _health(port)
            if health is None:
                await asyncio.sleep(0.2)
                continue
            seen[health["worker"]] = health
        assert set(seen) == {0, 1}, f"answered by workers {sorted(map(str, seen))}"
        assert [seen[0]["scheduled_jobs"], seen[1]["scheduled_jobs"]] == [True, False]
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert output.count("scheduled jobs run here") == 1, output
    assert output.count("scheduled jobs run in worker 0") == 1, output
