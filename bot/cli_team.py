"""`charter report compliance|scorecard` and `charter delegate` (issue #8)."""

from __future__ import annotations

import argparse


def register(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    reports: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    """Add this module's subcommands to `charter` and `charter report`."""
