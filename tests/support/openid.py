"""A local stand-in for the Bot Framework's OpenID metadata and signing keys.

With ``MicrosoftAppId`` set, the SDK validates each inbound activity's JWT against the keys
listed at an OpenID metadata URL. Pointing that URL (the SDK's
``TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL`` setting) at this server and signing tokens with
its test RSA key lets end-to-end tests run with authentication on, offline.

The SDK fetches the metadata with blocking ``requests`` calls from the event loop, so this
server runs in its own thread (an aiohttp server on the test's loop would deadlock).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

# The issuer Teams' tokens carry; only a string here, compared by the SDK.
ISSUER = "https://api.botframework.com"
KEY_ID = "charter-test-key"


@dataclass
class OpenIdStandIn:
    """Serves /openid-configuration and /keys; signs tokens as the Bot Framework would."""

    endorsements: list[str] = field(default_factory=lambda: ["msteams"])
    _key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    _server: ThreadingHTTPServer | None = None
    url: str = ""

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/openid-configuration"

    def start(self) -> OpenIdStandIn:
        public = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        keys = {
            "keys": [{**public, "kid": KEY_ID, "use": "sig", "endorsements": self.endorsements}]
        }
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/openid-configuration":
                    body: dict[str, Any] = {"issuer": ISSUER, "jwks_uri": f"{stand_in.url}/keys"}
                elif self.path == "/keys":
                    body = keys
                else:
                    self.send_error(404)
                    return
                raw = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def token(self, *, app_id: str, service_url: str, lifetime: int = 600) -> str:
        """A channel token as Teams sends it: for this app, bound to this serviceUrl."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": app_id,
            "serviceurl": service_url,
            "nbf": now - 5,
            "exp": now + lifetime,
        }
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": KEY_ID})
