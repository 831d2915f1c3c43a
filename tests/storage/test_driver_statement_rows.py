"""A driver's rows converted as SQLAlchemy converts them (storage.driver_statements), without a
database: the converted columns only, in place, the others as the driver gave them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.driver_statements import DriverStatement

_PEOPLE = Table(
    "people",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("start_date", Date),
    Column("active", Boolean),
)


def test_sqlite_rows_have_their_dates_and_booleans_converted_and_the_rest_untouched() -> None:
    statement = DriverStatement(select(_PEOPLE))
    rows = statement.rows(sqlite.dialect(), [(1, "Priya", "2020-01-06", 1), (2, "Sam", None, 0)])
    assert rows == [(1, "Priya", date(2020, 1, 6), True), (2, "Sam", None, False)]
    assert all(type(row) is tuple for row in rows)
    assert statement.rows(sqlite.dialect(), []) == []


def test_a_dialect_without_conversions_passes_rows_through_as_tuples() -> None:
    statement = DriverStatement(select(_PEOPLE.c.id, _PEOPLE.c.name))
    assert statement.rows(postgresql.dialect(), [[1, "Priya"]]) == [(1, "Priya")]


def test_a_row_of_the_wrong_width_is_an_error_not_a_shifted_row() -> None:
    statement = DriverStatement(select(_PEOPLE))
    with pytest.raises(ValueError):
        statement.rows(sqlite.dialect(), [(1, "Priya", "2020-01-06")])
