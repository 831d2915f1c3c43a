"""`charter db upgrade`: apply the database migrations."""

from __future__ import annotations

import argparse

from bot.runtime import upgrade_database
from cli.support import Commands, cli_settings


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    upgrade_database(cli_settings())
    print("database is up to date")
    return 0


def register(commands: Commands) -> None:
    db = commands.group("db")
    db.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
