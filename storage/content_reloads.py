"""`charter content reload` tells running bots to re-read the content pack.

The request is a generation number in the state store (one small row): the command bumps it,
and each running bot compares it with the generation it last acted on every few seconds.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from storage.database import Database
from storage.state_store import EtagConflict, ItemWrite, StateStore

RELOAD_KEY = "charter:content-pack:reload"


class ContentReloadRequests:
    def __init__(self, database: Database) -> None:
        self._store = StateStore(database)

    async def generation(self) -> int:
        """How many reloads have ever been requested (0 when none)."""
        item = (await self._store.read([RELOAD_KEY])).get(RELOAD_KEY)
        return _generation_of(item.data) if item else 0

    async def request(self) -> int:
        """Ask every running bot to reload; returns the new generation."""
        for _attempt in range(10):
            item = (await self._store.read([RELOAD_KEY])).get(RELOAD_KEY)
            generation = (_generation_of(item.data) if item else 0) + 1
            data = json.dumps(
                {"generation": generation, "requested_at": datetime.now(UTC).isoformat()}
            )
            # Compare-and-swap, so two commands at once both count.
            expected = item.etag if item else None
            try:
                if expected is None:
                    await self._store.write({RELOAD_KEY: ItemWrite(data)})
                else:
                    await self._store.write({RELOAD_KEY: ItemWrite(data, expected)})
            except EtagConflict:
                continue
            return generation
        raise RuntimeError("could not record the reload request: too many at once")


def _generation_of(data: str) -> int:
    try:
        value = json.loads(data).get("generation", 0)
    except (ValueError, AttributeError):
        return 0
    return value if isinstance(value, int) else 0
