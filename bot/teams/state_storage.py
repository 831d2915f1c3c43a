"""Bot Framework ``Storage`` on Charter's database, with optimistic concurrency.

Conversation and user state (including dialog stacks) are serialised with jsonpickle, as the
SDK's own Cosmos DB and Blob storages do, and kept in ``storage.state_store.StateStore``. An
item read with an eTag must be written back with it: a stale write raises
:class:`StateConflict` and nothing is written.
"""

from __future__ import annotations

from typing import Any

import jsonpickle
from botbuilder.core import Storage, StoreItem

from storage.state_store import EtagConflict, ItemWrite, StateStore


class StateConflict(KeyError):
    """Another turn changed the same state first (Teams double-clicks do this)."""


def _etag_of(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("e_tag")
    return getattr(value, "e_tag", None)


class DatabaseStorage(Storage):  # type: ignore[misc]  # botbuilder is untyped
    def __init__(self, store: StateStore) -> None:
        super().__init__()
        self._store = store

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        found = await self._store.read(keys)
        items: dict[str, Any] = {}
        for key, stored in found.items():
            value = jsonpickle.decode(stored.data, keys=True)
            if isinstance(value, dict):
                value["e_tag"] = stored.etag
            elif isinstance(value, StoreItem) or hasattr(value, "__dict__"):
                value.e_tag = stored.etag
            items[key] = value
        return items

    async def write(self, changes: dict[str, Any]) -> None:
        if changes is None:
            raise ValueError("changes are required when writing")
        if not changes:
            return
        writes: dict[str, ItemWrite] = {}
        for key, value in changes.items():
            etag = _etag_of(value)
            if etag == "":
                raise ValueError(f"state item {key!r} has an empty eTag")
            writes[key] = ItemWrite(_encode(value), expected_etag=etag)
        try:
            new_etags = await self._store.write(writes)
        except EtagConflict as conflict:
            raise StateConflict(conflict.key) from conflict
        for key, value in changes.items():
            if isinstance(value, dict):
                value["e_tag"] = new_etags[key]
            elif hasattr(value, "__dict__"):
                value.e_tag = new_etags[key]

    async def delete(self, keys: list[str]) -> None:
        await self._store.delete(list(keys))


def _encode(value: Any) -> str:
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "e_tag"}
    elif hasattr(value, "__dict__"):
        value = {**value.__dict__}
        value.pop("e_tag", None)
    encoded: str = jsonpickle.encode(value, keys=True, warn=True)
    return encoded
