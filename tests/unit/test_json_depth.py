"""The request body's nesting check (bot.app._depth_exceeds), at and around its limit."""

from __future__ import annotations

import json

import pytest

from bot.app import MAX_JSON_DEPTH, _depth_exceeds


def nested(depth: int, shape: str) -> object:
    """``depth`` containers, one inside the other (dicts, lists or both), around a string."""
    value: object = "leaf"
    for level in range(depth):
        use_list = shape == "list" or (shape == "mixed" and level % 2 == 1)
        value = [1, value, "x"] if use_list else {"a": 1, "b": value, "c": None}
    return value


@pytest.mark.parametrize("shape", ["dict", "list", "mixed"])
def test_a_body_as_deep_as_the_limit_passes_and_one_deeper_does_not(shape: str) -> None:
    assert not _depth_exceeds(nested(MAX_JSON_DEPTH, shape), MAX_JSON_DEPTH)
    assert _depth_exceeds(nested(MAX_JSON_DEPTH + 1, shape), MAX_JSON_DEPTH)


def test_depth_counts_the_deepest_branch_not_the_size() -> None:
    wide: dict[str, list[dict[str, object]]] = {f"k{i}": [{"v": i}] * 50 for i in range(200)}
    assert not _depth_exceeds(wide, 3)
    wide["k7"] = [{"v": [[]]}]
    assert _depth_exceeds(wide, 4)
    assert not _depth_exceeds(wide, 5)


@pytest.mark.parametrize("value", ["text", 3, 2.5, None, True])
def test_a_scalar_has_no_depth(value: object) -> None:
    assert not _depth_exceeds(json.loads(json.dumps(value)), 0)


def test_an_empty_container_still_counts_as_a_level() -> None:
    assert _depth_exceeds({"a": {"b": {}}}, 2)
    assert not _depth_exceeds({"a": {"b": {}}}, 3)
