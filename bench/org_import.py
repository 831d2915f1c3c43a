"""Benchmark the org import: a 50,000-person council into a fresh database.

    .venv/bin/python bench/org_import.py                     # SQLite in a temp dir
    .venv/bin/python bench/org_import.py --rows 10000
    .venv/bin/python bench/org_import.py --database-url postgresql://user@host/empty_db

The generated org chart is a realistic tree (about 6,000 managers, rows in random order so
reports often come before their managers). The file is imported three times (each with
--full): the first import creates everyone, the second finds nothing changed, the third
changes everyone's job title. A --database-url must name an empty
database; it is migrated first.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from services.org_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, import_org, progress_bar
from storage.database import Database
from storage.migrate import upgrade


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Amelia Oliver Priya Mohammed Olivia Jack Aisha Harry Chloe Kwame Sophie Rhys Fatima George "
    "Megan Tomasz Grace Arjun Emily Callum Zainab Daniel Niamh Oluwaseun Hannah Liam Mei Bilal "
    "Ruth Dylan Siobhan Imran Lucy Kofi Ellie Marek Jasmine Owen Leah Hamza"
)
LAST = _words(
    "Smith Jones Patel Williams Khan Taylor Brown Evans Okafor Wilson Hughes Ahmed Murphy Clarke "
    "Kowalski Walker Shah Robinson Mensah Wright Thompson Hussain Lewis Chen O'Brien Griffiths "
    "Begum Davies Fraser Adeyemi Morgan Ali Edwards Nowak Price Singh Kelly Roberts"
)
DEPARTMENTS = (
    "Community Services",
    "Adult Social Care",
    "Children's Services",
    "Corporate Resources",
    "Environment and Highways",
    "Housing",
    "Planning and Regeneration",
)
MANAGER_TITLES = ("Team Manager", "Service Manager", "Team Leader", "Head of Service")
STAFF_TITLES = (
    "Customer Advisor",
    "Library Assistant",
    "Social Worker",
    "Waste Services Officer",
    "Housing Officer",
    "Planning Officer",
    "Finance Assistant",
    "Care Worker",
    "Highways Inspector",
    "Business Support Officer",
)


def generate(path: Path, rows: int, managers: int, *, acting: bool = False) -> None:
    """Write an org file of ``rows`` people, the first ``managers`` of whom manage others.

    With ``acting``, the same people, everyone's job title prefixed "Acting".
    """
    rng = random.Random(2026)
    managers = max(1, min(managers, rows))
    manager_of: list[int | None] = [None]
    for i in range(1, rows):
        # Managers form a random tree under person 0; everyone else reports to a manager.
        manager_of.append(rng.randrange(i) if i < managers else rng.randrange(managers))
    department = [DEPARTMENTS[0]] * rows
    for i in range(1, rows):
        parent = manager_of[i]
        assert parent is not None
        department[i] = rng.choice(DEPARTMENTS) if parent == 0 else department[parent]

    names = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(rows)]
    emails = [
        f"{first}.{last}.{i}@bench-council.example".lower().replace("'", "")
        for i, (first, last) in enumerate(names)
    ]
    start = date(1995, 1, 1)
    order = list(range(rows))
    rng.shuffle(order)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS])
        for i in order:
            parent = manager_of[i]
            started = start + timedelta(days=rng.randrange(11_600))
            writer.writerow(
                [
                    f"B{i:06d}",
                    " ".join(names[i]),
                    emails[i],
                    emails[parent] if parent is not None else "",
                    department[i],
                    ("Acting " if acting else "")
                    + rng.choice(MANAGER_TITLES if i < managers else STAFF_TITLES),
                    started.isoformat() if i % 3 else started.strftime("%d/%m/%Y"),
                    f"00000000-0000-4000-9000-{i:012d}" if i % 2 else "",
                    "hr_admin" if i % 5000 == 1 else "",
                ]
            )


async def run_import(url: str, path: Path, args: argparse.Namespace) -> None:
    database = Database(url)
    try:
        for label in ("first import", "same file again", "every job title changed"):
            if label == "every job title changed":
                generate(path, args.rows, args.managers, acting=True)
            began = time.perf_counter()
            result = await import_org(
                database,
                path,
                full=True,
                as_of=date.today(),
                progress=progress_bar(force=True) if args.progress else None,
            )
            seconds = time.perf_counter() - began
            if result.problems:
                for problem in result.problems[:20]:
                    print(problem, file=sys.stderr)
                raise SystemExit(f"{len(result.problems)} problems; the benchmark file is wrong")
            print(
                f"{label}: {result.rows:,} rows in {seconds:.2f} s "
                f"({result.rows / seconds:,.0f} rows/s) — {result.created:,} created, "
                f"{result.updated:,} updated, {result.unchanged:,} unchanged"
            )
    finally:
        await database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--managers", type=int, default=6_000)
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temp dir)")
    parser.add_argument("--progress", action="store_true", help="show the progress bar")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="charter-bench-") as tmp:
        path = Path(tmp) / "org.csv"
        began = time.perf_counter()
        generate(path, args.rows, args.managers)
        size = path.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size:.1f} MB) in {time.perf_counter() - began:.1f} s"
        )
        url = args.database_url or f"sqlite:///{Path(tmp) / 'charter.db'}"
        upgrade(url)  # blocking: outside the event loop
        print(f"database: {url.split('@')[-1] if args.database_url else 'SQLite (temp file)'}")
        asyncio.run(run_import(url, path, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
