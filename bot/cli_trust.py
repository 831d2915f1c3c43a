"""`charter audit`, `charter retention`, `charter sar` and `charter erase` (issue #9)."""

from __future__ import annotations

import argparse


def register(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    reports: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    """Add this module's subcommands to `charter` and `charter report`."""
