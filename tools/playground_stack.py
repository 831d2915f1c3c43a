"""What the walkthrough runs against: the bot on a fresh demo database and the real Microsoft
365 Agents Playground, each on its given port, started and stopped by process id; and the
demo database, read with read-only SQL (SQLite opened ``mode=ro``)."""

from __future__ import annotations

import csv
import os
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHARTER = ROOT / ".venv" / "bin" / "charter"
PLAYGROUND = "@microsoft/m365agentsplayground@0.2.28"  # the version `make playground` runs
CONFIG = ROOT / ".m365agentsplayground.yml"
PEOPLE = ROOT / "services" / "demo" / "data" / "people.csv"


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_http(url: str, timeout: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited ({process.returncode}) before {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a process this script started, and its children (its own process group)."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Stack:
    """The bot (``charter run``) on a fresh demo SQLite database, and the Playground."""

    def __init__(self, bot_port: int, playground_port: int) -> None:
        self.bot_port, self.playground_port = bot_port, playground_port
        self.dir = Path(tempfile.mkdtemp(prefix="charter-walkthrough-"))
        self.database = self.dir / "demo.db"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "PORT": str(bot_port),
        }
        self.bot: subprocess.Popen[bytes] | None = None
        self.playground: subprocess.Popen[bytes] | None = None

    @property
    def playground_url(self) -> str:
        return f"http://localhost:{self.playground_port}"

    def charter(self, *args: str) -> str:
        done = subprocess.run(
            [str(CHARTER), *args], env=self.env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"charter {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def start_bot(self) -> None:
        for port in (self.bot_port, self.playground_port):
            if not port_free(port):
                raise RuntimeError(f"port {port} is in use: stop what runs there first")
        self.charter("db", "upgrade")
        self.charter("demo")
        log = (self.dir / "bot.log").open("wb")
        self.bot = subprocess.Popen(
            [str(CHARTER), "run"], env=self.env, cwd=ROOT, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
        wait_http(f"http://127.0.0.1:{self.bot_port}/healthz", 120, self.bot)

    def start_playground(self, config: Path = CONFIG) -> None:
        """The Playground with ``config`` (its current user and chats), on our port only."""
        stop(self.playground)
        deadline = time.monotonic() + 20
        while not port_free(self.playground_port) and time.monotonic() < deadline:
            time.sleep(0.5)
        env = {
            **self.env,
            "APPLICATION_INSIGHTS_NO_STATSBEAT": "true",
            "TEAMSAPPTESTER_BROWSER": "none",
            "TEAMSAPPTESTER_PORT": str(self.playground_port),
            "M365_AGENTS_PLAYGROUND_CONFIG_PATH": str(config),
            "M365_AGENTS_PLAYGROUND_LOGFILE": str(self.dir / "playground-devtools.log"),
        }
        endpoint = f"http://localhost:{self.bot_port}/api/messages"
        log = (self.dir / "playground.log").open("ab")
        self.playground = subprocess.Popen(
            ["npx", "-y", PLAYGROUND, "-e", endpoint, "-c", "msteams", "--disable-telemetry",
             "-p", str(self.playground_port)],
            env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        # It would fall back to a random port if ours were taken; ours was free, so answering
        # here means it is ours.
        wait_http(f"{self.playground_url}/_internal/v1/config", 300, self.playground)

    def stop(self) -> None:
        stop(self.playground)
        stop(self.bot)

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read-only SQL on the demo database."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            return db.execute(sql, params).fetchall()

    def one(self, sql: str, *params: Any) -> Any:
        rows = self.query(sql, *params)
        return rows[0][0] if rows else None


def demo_person(employee_id: str) -> dict[str, str]:
    with PEOPLE.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["employee_id"] == employee_id:
                return row
    raise LookupError(employee_id)


def playground_config_as(employee_id: str, into: Path) -> Path:
    """A copy of the Playground's demo configuration whose current user is this demo person
    (the Playground 0.2.28 takes its current user from the configuration file when it starts;
    it has no switch on the page). Whoever was the current user joins the roster in their
    place, so the roster keeps the five people its schema wants."""
    config = yaml.safe_load(CONFIG.read_text())
    person = demo_person(employee_id)
    given, _, surname = person["name"].partition(" ")
    slug = person["email"].split("@")[0].replace(".", "-")
    me = {
        "id": f"29:demo-{slug}",
        "name": person["name"],
        "userPrincipleName": person["email"],  # the schema's spelling
        "aadObjectId": person["aad_object_id"],
        "givenName": given,
        "surname": surname,
        "email": person["email"],
    }
    config["users"] = [u for u in config["users"] if u["id"] != me["id"]][:4]
    config["users"].append(config["currentUser"])
    config["currentUser"] = me
    config["personalChat"] = {"id": f"a:charter-demo-personal-{slug}"}
    path = into / f"playground-as-{slug}.yml"
    path.write_text("# DEMO DATA ONLY: fictitious people.\n" + yaml.safe_dump(config))
    return path
