"""Form-instance tokens: one card saves once, however many times (or how fast) it is pressed.

Each form card gets a random token when it is built, carried in its submit data. The service
records the token (``storage.duplicates.claim_form``) in the same transaction as the record
it saves, under a unique constraint, so a second press of the same card finds it and is told
politely that it was already saved. Forms without a natural key need this: an APR, an
objective, a progress update could otherwise be saved once per press.

A submit without a token (a card sent before tokens existed) is saved as before.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

FORM_TOKEN = "form_token"
ALREADY_SAVED = "That was already saved (the form was sent more than once)."
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}", re.ASCII)


def new_token() -> str:
    return secrets.token_urlsafe(18)


def token_of(values: Mapping[str, object]) -> str | None:
    """The submitted token if it looks like one we made; None for anything else."""
    value = values.get(FORM_TOKEN)
    if isinstance(value, str) and _SHAPE.fullmatch(value):
        return value
    return None


def stamped(
    data: dict[str, object], carried_from: Mapping[str, object] | None = None
) -> dict[str, object]:
    """Submit data with a form token: the one ``carried_from`` had (the same form shown
    again, e.g. with its problems or as a SMART check), or a new one."""
    token = token_of(carried_from) if carried_from is not None else None
    return {**data, FORM_TOKEN: token or new_token()}
