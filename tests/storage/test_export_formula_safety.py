"""CSV exports never hand a spreadsheet a formula: a text cell starting with = + - @, a tab or
a carriage return is written with a leading apostrophe, in every `charter export` kind."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date

import pytest
from sqlalchemy import update

from cli.main import main
from services.demo import seed_demo
from services.one_to_one_export import write_export
from storage.database import Database
from storage.models import Absence, Apr, Employee, Objective, OneToOne

FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", '@HYPERLINK("http://x")', "\t=1", "\r=1"]
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORTS = [
    ["one-to-ones", "--with-notes"],
    ["objectives"],
    ["aprs"],
    ["absences"],
    ["return-to-work"],
]


async def _seed_with_formulas(db_url: str) -> None:
    async with Database(db_url) as database:
        await seed_demo(database, date(2026, 11, 23))
        async with database.transaction() as session:
            await session.execute(
                update(Employee).values(
                    name=FORMULAS[0],
                    department=FORMULAS[3],
                    employee_id="=" + Employee.employee_id,  # HR's ids: any text
                )
            )
            await session.execute(update(OneToOne).values(shared_notes=FORMULAS[1]))
            await session.execute(update(Objective).values(title=FORMULAS[2]))
            await session.execute(update(Apr).values(overall_comments=FORMULAS[4]))
            await session.execute(update(Absence).values(reason_category=FORMULAS[5]))


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_shared_writer_quotes_formula_cells(formula: str) -> None:
    out = io.StringIO()
    write_export([{"name": formula, "count": -3}], out, "csv")
    [_, row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["'" + formula, "-3"]  # numbers stay numbers


def test_every_csv_export_neutralises_formula_cells(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_seed_with_formulas(db_url))
    monkeypatch.setenv("DATABASE_URL", db_url)
    for args in EXPORTS:
        capsys.readouterr()
        assert main(["export", *args]) == 0, args
        cells = _cells(capsys.readouterr().out)
        assert any(cell.startswith("'") for cell in cells), f"{args}: no formula reached it"
        risky = [c for c in cells if c.startswith(DANGEROUS_STARTS) and not _is_number(c)]
        assert risky == [], f"{args[0]} exports formula cells: {risky[:3]}"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
