"""Activities (and the other Bot Framework models) as JSON, the way msrest writes them, without
msrest's cost.

Sending a reply, msrest's ``Serializer.body`` first rebuilds the whole activity through its
Deserializer, validates it, and then serialises it attribute by attribute through a chain of
generic calls: for Charter's replies (an Adaptive Card in an attachment) that was the largest
single cost of a turn, more than the HTTP call. Here a model is written straight from its
``_attribute_map``, for the value types the models actually hold (exact ``str``, ``int``,
``float``, ``bool``, timestamps, nested models, and JSON-shaped dicts and lists in ``object``
fields). Anything else (a dict where a model is expected, a flattened key, a
value of an unexpected type) raises :class:`NotPlain`, and the caller falls back to msrest,
so the JSON on the wire is msrest's own in every case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum
from functools import lru_cache
from typing import Any

from botbuilder.schema import Activity
from isodate import UTC
from isodate.isotzinfo import build_tzinfo
from msrest.serialization import Deserializer, Model, Serializer

_PLAIN = (str, int, float, bool)

# msrest's functions are untyped: named here once, as what they are.
_SERIALIZE_ISO: Callable[[datetime], str] = Serializer.serialize_iso
_MSREST_BODY: Callable[..., Any] = Serializer.body


class NotPlain(Exception):
    """The value holds something only msrest knows how to write: let msrest write it."""


def model_json(model: Model) -> dict[str, Any]:
    """``model`` as msrest's ``Serializer`` writes it to JSON (raises :class:`NotPlain`)."""
    cls = type(model)
    plan = _plan(cls)
    out: dict[str, Any] = {}
    for attr, key, data_type in plan.fields:
        value = getattr(model, attr, None)
        if value is None:
            continue
        if plan.unplain is not None and attr in plan.unplain:
            raise NotPlain(f"{cls.__name__}.{attr}")
        out[key] = _typed(value, data_type)
    return out


@dataclass(frozen=True)
class _Plan:
    """A model class's attribute map, read once per process rather than once per model.

    ``fields`` are (attribute, JSON key, msrest type) in the map's order; ``unplain`` names
    the attributes whose key msrest flattens or leaves out (a model holding a value there is
    msrest's to write), ``keys`` the JSON keys the map covers."""

    fields: tuple[tuple[str, str, str], ...]
    unplain: frozenset[str] | None
    keys: frozenset[str]


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    """The class's plan (raises :class:`NotPlain` for a class msrest validates or subtypes)."""
    plan = _PLANS.get(cls)
    return plan if plan is not None else _PLANS.setdefault(cls, _make_plan(cls))


def _make_plan(cls: type) -> _Plan:
    if getattr(cls, "_validation", None) or getattr(cls, "_subtype_map", None):
        raise NotPlain(cls.__name__)
    attribute_map: dict[str, dict[str, str]] = cls._attribute_map  # type: ignore[attr-defined]
    fields = tuple(
        (attr, description["key"], description["type"])
        for attr, description in attribute_map.items()
    )
    unplain = frozenset(attr for attr, key, _ in fields if not key or "." in key)
    return _Plan(fields, unplain or None, frozenset(key for _, key, _ in fields))


def _typed(value: Any, data_type: str) -> Any:
    kind = type(value)
    if data_type == "str" and isinstance(value, Enum):
        # msrest writes an enum member (ActivityTypes.message, InputHints...) as its value.
        if type(value.value) is not str:
            raise NotPlain(data_type)
        return value.value
    if data_type in ("str", "bool", "int", "float"):
        if kind.__name__ != data_type:  # exactly that type: no enums, no bools as ints
            raise NotPlain(data_type)
        return value
    if data_type == "object":
        return _object(value)
    if data_type == "iso-8601":
        if kind is not datetime:
            raise NotPlain(data_type)
        return _SERIALIZE_ISO(value)
    if data_type.startswith("[") and data_type.endswith("]"):
        if kind is not list:
            raise NotPlain(data_type)
        item_type = data_type[1:-1]
        return [None if item is None else _typed(item, item_type) for item in value]
    if isinstance(value, Model) and type(value).__name__ == data_type:
        return model_json(value)
    raise NotPlain(data_type)


def _object(value: Any) -> Any:
    """A JSON-shaped value in an ``object`` field, as msrest's ``serialize_object`` writes it."""
    kind = type(value)
    if value is None or kind in _PLAIN:
        return value
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise NotPlain("object key")
            out[key] = _object(item)
        return out
    if kind is list:
        return [_object(item) for item in value]
    raise NotPlain(kind.__name__)


class ActivityBodySerializer(Serializer):
    """The connector client's serializer, writing activity bodies by :func:`model_json` (and
    everything else, and any activity it cannot write, exactly as msrest does)."""

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        if data_type == "Activity" and type(data) is Activity and not kwargs:
            try:
                return model_json(data)
            except NotPlain:
                pass
        return _MSREST_BODY(self, data, data_type, **kwargs)


def use_fast_activity_bodies(client: Any) -> None:
    """Make a ConnectorClient's conversation operations write activities by :func:`model_json`."""
    operations = client.conversations
    original: Serializer = operations._serialize
    serializer: Serializer = _make_serializer(original.dependencies)
    serializer.client_side_validation = original.client_side_validation
    serializer.key_transformer = original.key_transformer
    operations._serialize = serializer


_make_serializer: Callable[[dict[str, type]], Serializer] = ActivityBodySerializer


# --- the other way: an incoming activity from JSON ---------------------------------------------

# The model classes msrest resolves type names against when it reads an Activity.
_MODELS: dict[str, type] = Activity._infer_class_models()
_DESERIALIZE_ISO: Callable[[str], datetime] = Deserializer.deserialize_iso
_BUILD_TZINFO: Callable[[str, str, int, int], tzinfo] = build_tzinfo
# A timestamp as the Bot Connector writes one: ``timestamp`` in UTC ("Z"), ``localTimestamp``
# with the sender's offset ("+01:00"). Read without msrest's chain (isodate's regular
# expressions and Decimal arithmetic), to the same value: its tzinfo is isodate's UTC object,
# or an isodate FixedOffset named as written, as msrest's is, and digits past microseconds
# are dropped, as msrest drops them.
_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,20}))?"
    r"(Z|([+-])([0-9]{2}):([0-9]{2}))"
)


@lru_cache(maxsize=64)
def _offset(name: str, sign: str, hours: int, minutes: int) -> tzinfo:
    """isodate's tzinfo for an offset as written (msrest makes an equal one per timestamp)."""
    made: tzinfo = _BUILD_TZINFO(name, sign, hours, minutes)
    return made


def _timestamp(value: str) -> datetime:
    """msrest's ``deserialize_iso``, quicker for the forms the Bot Connector writes."""
    match = _TIMESTAMP.fullmatch(value)
    if match is not None:
        year, month, day, hour, minute, second, fraction, zone, sign, zh, zm = match.groups()
        micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
        if zone == "Z":
            zone_info: tzinfo = UTC
        elif int(zh) > 23 or int(zm) > 59 or year in ("0001", "9999"):
            # An offset datetime cannot hold, or may not convert to UTC within years 1 to
            # 9999: msrest says what it says.
            return _DESERIALIZE_ISO(value)
        else:
            zone_info = _offset(zone, sign, int(zh), int(zm))
        try:
            parsed = datetime(
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second),
                micro,
                zone_info,
            )
        except ValueError:
            pass  # out of range (a 13th month, a leap second): msrest says what it says
        else:
            return parsed
    return _DESERIALIZE_ISO(value)


def activity_from_json(body: dict[str, Any]) -> Activity:
    """``Activity().deserialize(body)``, built straight from the attribute maps.

    msrest's Deserializer takes most of a millisecond for an activity as Teams sends it (a
    chain of generic calls per attribute); the SDK's echo bot pays that too. Here each model is
    made as msrest makes it (its constructor given every mapped attribute, keys it does not
    map kept in ``additional_properties``, JSON objects and lists copied, timestamps parsed by
    msrest's own parser), for values already of the declared type. Anything msrest would have
    to coerce or refuse (a number where a string is declared, a string where an object is)
    raises :class:`NotPlain`: the caller lets msrest read it, errors and all.
    """
    return _model_from_json(Activity, body)


def _model_from_json(cls: type, data: Any) -> Model:
    if type(data) is not dict:
        raise NotPlain(cls.__name__)
    plan = _plan(cls)
    if plan.unplain is not None:
        raise NotPlain(f"{cls.__name__}.{sorted(plan.unplain)[0]}")
    kwargs: dict[str, Any] = {}
    for attr, key, data_type in plan.fields:
        value = data.get(key)
        kwargs[attr] = None if value is None else _value_from_json(value, data_type)
    model: Model = cls(**kwargs)
    unmapped = data.keys() - plan.keys
    if unmapped:
        model.additional_properties = {key: data[key] for key in unmapped}
    return model


def _value_from_json(value: Any, data_type: str) -> Any:
    kind = type(value)
    if data_type in ("str", "bool", "int"):
        if kind.__name__ != data_type:  # exactly that type: msrest would coerce anything else
            raise NotPlain(data_type)
        return value
    if data_type == "object":
        return _object_from_json(value)
    if data_type == "iso-8601":
        if kind is not str:
            raise NotPlain(data_type)
        return _timestamp(value)
    if data_type.startswith("[") and data_type.endswith("]"):
        if kind is not list:
            raise NotPlain(data_type)
        item_type = data_type[1:-1]
        return [None if item is None else _value_from_json(item, item_type) for item in value]
    model_class = _MODELS.get(data_type)
    if model_class is None or not issubclass(model_class, Model):
        raise NotPlain(data_type)  # a dict of models, an enum, a type msrest knows and we don't
    return _model_from_json(model_class, value)


def _object_from_json(value: Any) -> Any:
    """msrest's ``deserialize_object``: JSON objects and lists copied, scalars as they are."""
    kind = type(value)
    if kind is dict:
        return {key: _object_from_json(item) for key, item in value.items()}
    if kind is list:
        return [_object_from_json(item) for item in value]
    if value is None or kind in _PLAIN:
        return value
    raise NotPlain(kind.__name__)
