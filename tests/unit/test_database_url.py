from __future__ import annotations

import pytest

from storage.database import DatabaseUrlError, normalise_database_url


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("sqlite:///charter.db", "sqlite+aiosqlite:///charter.db"),
        (
            "sqlite:////var/lib/charter/charter.db",
            "sqlite+aiosqlite:////var/lib/charter/charter.db",
        ),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        (
            "postgresql://postgres@127.0.0.1:5432/test",
            "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
        ),
        ("postgres://u:p@db/charter", "postgresql+asyncpg://u:p@db/charter"),
        ("postgresql+asyncpg://u@db/charter", "postgresql+asyncpg://u@db/charter"),
        (
            "postgresql://u@db/charter?sslmode=require",
            "postgresql+asyncpg://u@db/charter?ssl=require",
        ),
    ],
)
def test_urls_people_write_are_normalised_to_async_drivers(written: str, expected: str) -> None:
    url = normalise_database_url(written)
    assert url.render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    "bad",
    ["mysql://root@localhost/test", "postgresql+psycopg2://u@db/x", "not a url", "oracle://x"],
)
def test_unsupported_urls_are_refused(bad: str) -> None:
    with pytest.raises(DatabaseUrlError):
        normalise_database_url(bad)
