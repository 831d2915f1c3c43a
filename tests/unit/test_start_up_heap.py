"""Start-up's objects are frozen out of the cyclic garbage collector once the app has warmed,
and handed back to it when the app stops."""

from __future__ import annotations

import gc
from pathlib import Path

from aiohttp import web

from bot.app import WARMING, create_app
from bot.config import Settings


async def test_the_start_up_heap_is_frozen_after_warming_and_released_at_stop(
    tmp_path: Path,
) -> None:
    gc.unfreeze()
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'charter.db'}"), start_jobs=False
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await app[WARMING]
        assert gc.get_freeze_count() > 0
        # Made after start-up: the collector still finds it.
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() > 0
    finally:
        await runner.cleanup()
    assert gc.get_freeze_count() == 0
