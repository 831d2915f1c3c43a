"""The real service in its own process: it starts quickly, survives SIGKILL mid-conversation
(dialog state is in the database) and shuts down gracefully on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from services.demo import seed_demo
from storage.database import Database
from storage.models import Feedback
from tests.support.people import PRIYA_MANAGER
from tests.support.teams import ConnectorStandIn, activity

pytestmark = pytest.mark.slow

STARTUP_LIMIT_S = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_service(command: list[str], db_url: str, port: int, cwd: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "MicrosoftAppId": "",
        "CHARTER_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


async def wait_healthy(
    session: aiohttp.ClientSession, port: int, process: subprocess.Popen[bytes]
) -> float:
    started = time.monotonic()
    while time.monotonic() - started < STARTUP_LIMIT_S:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"service exited with {process.returncode}:\n{output}")
        try:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as resp:
                if resp.status == 200:
                    return time.monotonic() - started
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"/healthz not 200 within {STARTUP_LIMIT_S} s")


async def test_sigkill_mid_conversation_then_restart_continues_the_dialog(
    db_url: str, tmp_path: Path
) -> None:
    database = Database(db_url)
    await seed_demo(database, date.today())
    charter = str(Path(sys.executable).parent / "charter")
    port = free_port()
    connector = await ConnectorStandIn().start()
    url = f"http://127.0.0.1:{port}/api/messages"
    first = start_service([charter, "run"], db_url, port, tmp_path)
    second = None
    try:
        async with aiohttp.ClientSession() as session:
            assert await wait_healthy(session, port, first) < STARTUP_LIMIT_S

            async def say(text: str) -> None:
                body = activity(PRIYA_MANAGER, connector.url, text=text)
                async with session.post(url, json=body) as resp:
                    assert resp.status in (200, 201)

            await say("feedback")
            await connector.wait_for(1)
            assert "What would you like HR to know" in connector.texts()[0]

            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)

            second = start_service([sys.executable, "-m", "bot"], db_url, port, tmp_path)
            await wait_healthy(session, port, second)
            await say("Reminders on Fridays would help")
            await connector.wait_for(2)
            assert "send that to HR" in str(connector.received[1])
            await say("yes")
            await connector.wait_for(3)
            assert "passed that on to HR" in connector.texts()[2]

            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=15) == 0, "SIGTERM should stop the service cleanly"
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        await connector.stop()

    async with database.sessions() as session:
        saved = (await session.scalars(select(Feedback.text))).all()
    await database.dispose()
    assert saved == ["Reminders on Fridays would help"]
