"""A native asyncio HTTP transport for the Bot Connector client.

The SDK's ConnectorClient sends through msrest's ``requests`` pipeline: each call runs in the
event loop's default thread pool (a few threads, shared with everything else that uses it),
opens a new TCP connection, and retries reads three times around its timeout. One connector
that accepts a request and never answers then holds every thread, and every user waits.

Here the same client sends through an msrest ``AsyncPipeline`` (the SDK's own seam:
``ConnectorClient.config.pipeline``) whose last step is an aiohttp request on one shared,
keep-alive ``ClientSession``. Each call has a total-time bound, is made once (no hidden
retries), never follows a redirect (a 3xx is an answer, not an instruction to resend the body
and the bearer token elsewhere), and never turns userinfo in the service URL into an
``Authorization: Basic`` header.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import aiohttp
from msrest.authentication import Authentication
from msrest.exceptions import ClientRequestError
from msrest.pipeline import Request, Response
from msrest.pipeline.async_abc import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.async_abc import AsyncClientResponse
from multidict import CIMultiDict
from yarl import URL

log = logging.getLogger("charter.outbound")


class ConnectorUnavailable(ClientRequestError):
    """The Bot Connector could not be reached, or did not answer within the bound."""


class ConnectorTimeout(ConnectorUnavailable):
    """The Bot Connector accepted the call and did not answer within the bound."""


def is_connector_unavailable(error: BaseException) -> bool:
    """True if ``error`` (or anything it was raised from) is a failed connector call."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ConnectorUnavailable):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class ConnectorResponse(AsyncClientResponse):
    """A connector answer, read in full (the Bot Connector's answers are small JSON)."""

    def __init__(
        self, request: ClientRequest, response: aiohttp.ClientResponse, body: bytes
    ) -> None:
        super().__init__(request, response)
        self.status_code = response.status
        self.headers = CIMultiDict(response.headers)
        self.reason = response.reason
        self._body = body

    def body(self) -> bytes:
        return self._body

    def raise_for_status(self) -> None:
        if self.status_code is not None and self.status_code >= 400:
            raise ClientRequestError(f"HTTP {self.status_code}")


def without_userinfo(url: str) -> URL:
    """The URL with any ``user:password@`` removed: aiohttp would send it as Basic auth."""
    parsed = URL(url)
    if parsed.raw_user is not None or parsed.raw_password is not None:
        return parsed.with_user(None)
    return parsed


class ConnectorTransport:
    """One keep-alive HTTP session for every Bot Connector call the process makes.

    Created in the running event loop (``start``) and closed with the app (``close``).
    """

    def __init__(self, timeout_seconds: float, *, connections: int = 100) -> None:
        self.timeout_seconds = timeout_seconds
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None
        # MSAL fetches a token synchronously, once an hour per credentials: off the event
        # loop, in a thread of its own (not the default pool), so a slow Entra ID answer
        # stalls no turn that needs no new token.
        self.token_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charter-token")

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, keepalive_timeout=30),
                # A connector's cookies must not travel to another service URL.
                cookie_jar=aiohttp.DummyCookieJar(),
                # No proxy or .netrc credentials from the environment.
                trust_env=False,
                auto_decompress=True,
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        self.token_executor.shutdown(wait=False)

    def pipeline(self, config: Any) -> AsyncPipeline[ClientRequest, Any]:
        """The msrest pipeline for one ConnectorClient configuration."""
        return AsyncPipeline(
            [
                config.user_agent_policy,
                CredentialsPolicy(config.credentials, self.token_executor),
                RawDeserializer(),
                config.http_logger_policy,
            ],
            AioHttpConnectorSender(self),
        )


class CredentialsPolicy(AsyncHTTPPolicy[ClientRequest, Any]):
    """Puts the bot's bearer token on the request (nothing when authentication is off).

    Uses the credentials' own ``signed_session`` (msrest's contract for credentials), on a
    stand-in for a requests session, so every kind of SDK credentials works unchanged.
    """

    def __init__(self, credentials: Authentication | None, executor: ThreadPoolExecutor) -> None:
        super().__init__()
        self._credentials = credentials
        self._executor = executor

    async def send(
        self, request: Request[ClientRequest], **kwargs: Any
    ) -> Response[ClientRequest, Any]:
        if self._credentials is not None:
            header = await self._authorization()
            if header:
                request.http_request.headers["Authorization"] = header
            else:
                request.http_request.headers.pop("Authorization", None)
        assert self.next is not None, "a policy is never the last step of the pipeline"
        return await self.next.send(request, **kwargs)

    async def _authorization(self) -> str | None:
        holder = SimpleNamespace(headers={})
        # msrest's signed_session takes a requests session; it only ever sets headers on it.
        sign: Any = self._credentials.signed_session if self._credentials else None
        if sign is None:
            return None
        if not getattr(self._credentials, "microsoft_app_id", None):
            sign(holder)
        else:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._executor, sign, holder)
        value = holder.headers.get("Authorization")
        return value if isinstance(value, str) else None


class AioHttpConnectorSender(AsyncHTTPSender[ClientRequest, Any]):
    """The last step of the pipeline: one bounded aiohttp request, made once."""

    def __init__(self, transport: ConnectorTransport) -> None:
        self._transport = transport

    async def __aenter__(self) -> AioHttpConnectorSender:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        # The session belongs to the process, not to one client: closing a client (the
        # reminder sender does) must not close it for everyone else.
        return None

    def build_context(self) -> None:
        return None

    async def send(
        self, request: Request[ClientRequest], **_config: Any
    ) -> Response[ClientRequest, Any]:
        http_request: ClientRequest = request.http_request
        if http_request.files:
            raise ClientRequestError("multipart uploads are not sent to the Bot Connector")
        bound = self._transport.timeout_seconds
        try:
            async with self._transport.session.request(
                http_request.method,
                without_userinfo(http_request.url),
                headers=dict(http_request.headers),
                data=http_request.data,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=bound),
            ) as response:
                body = await response.read()
        except TimeoutError as error:
            log.warning("Bot Connector call gave up after %s s (no answer)", bound)
            raise ConnectorTimeout(f"no answer from the Bot Connector within {bound} s") from error
        except aiohttp.ClientError as error:
            log.warning("Bot Connector call failed: %s", type(error).__name__)
            raise ConnectorUnavailable(
                f"the Bot Connector could not be reached ({type(error).__name__})"
            ) from error
        return Response(request, ConnectorResponse(http_request, response, body))
