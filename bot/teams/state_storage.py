"""Bot Framework ``Storage`` on Charter's database, with optimistic concurrency.

Conversation and user state (including dialog stacks) are serialised with jsonpickle, as the
SDK's own Cosmos DB and Blob storages do, and kept in ``storage.state_store.StateStore``. An
item read with an eTag must be written back with it: a stale write raises
:class:`StateConflict` and nothing is written.
"""

from __future__ import annotations

import pickle
from collections import OrderedDict
from typing import Any

import jsonpickle
from botbuilder.core import ConversationState, Storage, StoreItem, TurnContext, UserState
from botbuilder.core.bot_state import CachedBotState

from storage.state_store import EtagConflict, ItemWrite, StateStore


class StateConflict(KeyError):
    """Another turn changed the same state first (Teams double-clicks do this)."""


def _etag_of(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("e_tag")
    return getattr(value, "e_tag", None)


class DecodedItems:
    """State items this process decoded lately, by eTag, kept pickled.

    jsonpickle decodes in Python, object by object; pickle in C. An item read again unchanged
    (same eTag, same stored text: every turn of a conversation whose state did not change) is
    made from the pickle of what jsonpickle made of that text, new objects each time, as a
    fresh decode would give. A bounded number of items is kept.
    """

    def __init__(self, limit: int = 2048) -> None:
        self._limit = limit
        self._items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()

    def decode(self, data: str, etag: str) -> Any:
        kept = self._items.get(etag)
        if kept is not None and kept[0] == data:
            self._items.move_to_end(etag)
            return pickle.loads(kept[1])
        value = jsonpickle.decode(data, keys=True)
        try:
            pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something pickle cannot write: decoded afresh each time
            return value
        self._items[etag] = (data, pickled)
        self._items.move_to_end(etag)
        while len(self._items) > self._limit:
            self._items.popitem(last=False)
        return value


class DatabaseStorage(Storage):  # type: ignore[misc]  # botbuilder is untyped
    def __init__(self, store: StateStore) -> None:
        super().__init__()
        self._store = store
        self._decoded = DecodedItems()

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        found = await self._store.read(keys)
        items: dict[str, Any] = {}
        for key, stored in found.items():
            value = self._decoded.decode(stored.data, stored.etag)
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


class _FingerprintedState(CachedBotState):  # type: ignore[misc]  # botbuilder is untyped
    """The SDK's cached state, whose "has it changed?" fingerprint is the state pickled (C
    code) rather than flattened by jsonpickle (Python code walking every object): computed
    when the state is read and again at the end of every turn, it cost more than the read.
    Equal fingerprints mean nothing was changed; a state pickle cannot write falls back to the
    SDK's own fingerprint (two fingerprints of different kinds never match: it is written)."""

    def compute_hash(self, obj: object) -> object:
        try:
            return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return super().compute_hash(obj)


async def _load(state: Any, turn_context: TurnContext, force: bool) -> None:
    """``BotState.load`` as the SDK writes it, caching a :class:`_FingerprintedState`."""
    cached = state.get_cached_state(turn_context)
    key = state.get_storage_key(turn_context)
    if force or not cached or not cached.state:
        items = await state._storage.read([key])
        turn_context.turn_state[state._context_service_key] = _FingerprintedState(items.get(key))


class CharterConversationState(ConversationState):  # type: ignore[misc]  # untyped SDK
    """The SDK's conversation state with a cheaper change check (see _FingerprintedState)."""

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        await _load(self, turn_context, force)


class CharterUserState(UserState):  # type: ignore[misc]  # untyped SDK
    """The SDK's user state with a cheaper change check (see _FingerprintedState)."""

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        await _load(self, turn_context, force)
