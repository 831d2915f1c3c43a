"""Authentication on, with nothing leaving the machine: the one local stand-in for the Bot
Framework's OpenID metadata and signing keys, used by every test and benchmark that turns
authentication on.

- :class:`OpenIdStandIn` serves an OpenID configuration and a JWKS with one RSA key endorsed
  for ``msteams``, and signs channel tokens as the Bot Framework does, so the SDK validates
  inbound requests exactly as in production.
- :func:`settings_with_local_openid` points the SDK's (parameterized) public-cloud settings
  at the stand-in for inbound validation; outbound values keep their public-cloud names.
- :class:`CountingTokenIssuer` replaces MSAL's confidential client inside the SDK's
  credentials and counts token acquisitions. Like MSAL, each client application keeps its
  own token cache, so a process that makes new credentials per reply acquires per reply.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.config import Settings
from bot.teams.service_urls import DEFAULT_SERVICE_HOSTS

ISSUER = "https://api.botframework.com"
APP_ID = "11111111-2222-4333-8444-555555555555"
APP_PASSWORD = "not-a-real-secret"


class OpenIdStandIn:
    """Serves from a thread of its own: the SDK fetches the keys with blocking ``requests``
    calls from inside the event loop, so a stand-in on that loop could never answer.

    The key is endorsed for ``endorsements`` (Teams' channel id by default): the SDK refuses
    a token whose key is not endorsed for the activity's channel."""

    def __init__(self, endorsements: tuple[str, ...] = ("msteams",)) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = uuid.uuid4().hex
        self.endorsements = list(endorsements)
        self.metadata_requests = 0
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    def start(self) -> OpenIdStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.endswith("/openidconfiguration"):
                    stand_in.metadata_requests += 1
                    body = stand_in._metadata()
                elif self.path.endswith("/keys"):
                    body = stand_in._keys()
                else:
                    self.send_error(404)
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _metadata(self) -> dict[str, Any]:
        return {
            "issuer": ISSUER,
            "jwks_uri": f"{self.url}/v1/.well-known/keys",
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def _keys(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": self._kid, "use": "sig", "endorsements": self.endorsements})
        return {"keys": [jwk]}

    def token(self, *, app_id: str = APP_ID, service_url: str, lifetime: int = 3600) -> str:
        """A token as the Bot Framework channel signs it for a request to the bot: for this
        app, bound to this serviceUrl."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": app_id,
            "serviceurl": service_url,
            "nbf": now - 60,
            "exp": now + lifetime,
        }
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})

    def channel_token(self, service_url: str, *, app_id: str = APP_ID) -> str:
        return self.token(app_id=app_id, service_url=service_url)

    def authorization(self, service_url: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.channel_token(service_url)}"}


def settings_with_local_openid(metadata_url: str, **fields: Any) -> Settings:
    """Settings for an authenticated bot whose inbound tokens are checked against the
    stand-in (the SDK's own configuration names, read with ``getattr``)."""

    class LocalOpenIdSettings(Settings):
        TO_CHANNEL_FROM_BOT_LOGIN_URL = "https://login.microsoftonline.com/botframework.com"
        TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = "https://api.botframework.com"
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = ISSUER
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = metadata_url
        TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = metadata_url
        OAUTH_URL = "https://api.botframework.com"

    fields.setdefault("app_id", APP_ID)
    # The stand-in connectors listen on this machine, beside the real Teams hosts.
    fields.setdefault("service_hosts", ("127.0.0.1", *DEFAULT_SERVICE_HOSTS))
    fields.setdefault("app_password", APP_PASSWORD)
    return LocalOpenIdSettings(**fields)


class CountingTokenIssuer:
    """Stands in for ``msal.ConfidentialClientApplication``: one cache per instance."""

    acquisitions: ClassVar[int] = 0
    applications: ClassVar[int] = 0

    def __init__(self, client_id: str, client_credential: str, authority: str, **_: Any) -> None:
        type(self).applications += 1
        self._cache: dict[tuple[str, ...], dict[str, Any]] = {}

    def acquire_token_silent(self, scopes: list[str], account: Any = None) -> dict[str, Any] | None:
        cached = self._cache.get(tuple(scopes))
        if cached and cached["expires_at"] > time.time():
            return cached
        return None

    def acquire_token_for_client(self, scopes: list[str], **_: Any) -> dict[str, Any]:
        type(self).acquisitions += 1
        token = {"access_token": f"token-{uuid.uuid4().hex}", "expires_at": time.time() + 3600}
        self._cache[tuple(scopes)] = token
        return token

    @classmethod
    def reset(cls) -> None:
        cls.acquisitions = 0
        cls.applications = 0

    @classmethod
    @contextlib.contextmanager
    def installed(cls) -> Iterator[type[CountingTokenIssuer]]:
        """Put the counter in place of MSAL inside the SDK's credentials."""
        from botframework.connector.auth import microsoft_app_credentials

        original = microsoft_app_credentials.ConfidentialClientApplication
        microsoft_app_credentials.ConfidentialClientApplication = cls  # type: ignore[misc]
        cls.reset()
        try:
            yield cls
        finally:
            microsoft_app_credentials.ConfidentialClientApplication = original  # type: ignore[misc]
