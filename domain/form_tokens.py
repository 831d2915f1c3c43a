"""Form-instance tokens: one card saves once, however many times (or how fast) it is pressed.

Each form card gets a random token when it is built, carried in its submit data. The service
records the token (``storage.duplicates.claim_form``) in the same transaction as the record
it saves, under a unique constraint, so a second press of the same card finds it and is told
politely that it was already saved. Forms without a natural key need this: an APR, an
objective, a progress update could otherwise be saved once per press.

When the chat sends a form it also stamps the moment it was issued (``issued``, by the
service clock, beside the token): a form left open for longer than ``MAX_FORM_AGE`` was
filled in against what was true then, so it is expired politely instead of saved. The same
form shown again (with its problems) keeps both its token and its issue time.

A submit without a token (a card sent before tokens existed) is saved as before, and one
without an issue time (a card sent to someone proactively, such as an Acknowledge) never
expires: answering it late is still an answer.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

FORM_TOKEN = "form_token"
FORM_ISSUED = "form_issued"
ALREADY_SAVED = "That was already saved (the form was sent more than once); use Edit to change it."
# A form older than this is expired, not saved: what it was filled in against may have changed.
MAX_FORM_AGE = timedelta(days=7)
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
    again, e.g. with its problems or as a SMART check), or a new one. The issue time comes
    along with a carried token, so showing a form again does not make it younger."""
    token = token_of(carried_from) if carried_from is not None else None
    result: dict[str, object] = {**data, FORM_TOKEN: token or new_token()}
    issued = issued_at(carried_from) if token is not None and carried_from else None
    if issued is not None:
        result[FORM_ISSUED] = issued.isoformat()
    return result


def issue(data: dict[str, object], now: datetime) -> None:
    """Stamp a token-bearing form's submit data with when it is sent (if it isn't already)."""
    if token_of(data) is not None and issued_at(data) is None:
        data[FORM_ISSUED] = now.isoformat(timespec="seconds")


def issued_at(values: Mapping[str, object]) -> datetime | None:
    """When the form was sent, if it says so in a shape we wrote (time-zone aware)."""
    value = values.get(FORM_ISSUED)
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def is_expired(values: Mapping[str, object], now: datetime) -> bool:
    """Whether this submit comes from a form that was left open too long to save."""
    issued = issued_at(values)
    return issued is not None and now - issued > MAX_FORM_AGE
