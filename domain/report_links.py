"""Signed, short-lived, single-person links to a page the bot serves (HR's compliance report
with charts), so HR gets it from Teams without running a server command.

A link carries who it was made for and when it expires, signed with HMAC-SHA256 under a key
only the bot holds. The page checks the signature and the expiry, then checks the person
again in the database (still in post, still an HR admin): the link proves who asked, never
what they may see.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

LINK_LIFETIME = timedelta(minutes=10)
COMPLIANCE_REPORT = "compliance"
_VERSION = "v1"


def derive_key(secret: str, purpose: str = "charter report links") -> bytes:
    """A key for links alone, derived from a secret the bot already has."""
    return hmac.new(secret.encode("utf-8"), purpose.encode("utf-8"), hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class ReportLinks:
    """Makes and checks tokens for ``base_url``'s report pages."""

    key: bytes
    base_url: str  # e.g. https://charter.example.gov.uk (no trailing slash)
    lifetime: timedelta = LINK_LIFETIME

    def _signature(self, report: str, person_pk: int, expires: int) -> str:
        message = f"{_VERSION}.{report}.{person_pk}.{expires}".encode("ascii")
        return _b64(hmac.new(self.key, message, hashlib.sha256).digest())

    def token(self, report: str, person_pk: int, now: datetime) -> str:
        expires = int((now + self.lifetime).timestamp())
        return f"{_VERSION}.{person_pk}.{expires}.{self._signature(report, person_pk, expires)}"

    def link(self, report: str, person_pk: int, now: datetime) -> str:
        token = self.token(report, person_pk, now)
        return f"{self.base_url.rstrip('/')}/reports/{report}?t={token}"

    def person_in(self, report: str, token: str | None, now: datetime) -> int | None:
        """Whose link this is, if it is ours, for this report and not expired; else None."""
        parts = (token or "").split(".")
        if len(parts) != 4 or parts[0] != _VERSION:
            return None
        _, pk_text, expires_text, signature = parts
        if not (pk_text.isdigit() and expires_text.isdigit()) or len(pk_text) > 12:
            return None
        person_pk, expires = int(pk_text), int(expires_text)
        expected = self._signature(report, person_pk, expires)
        if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace")):
            return None
        if now.timestamp() >= expires:
            return None
        return person_pk
