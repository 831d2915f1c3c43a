"""Calls to the Bot Connector: one client per (app id, service URL, audience), one set of
credentials per app, one HTTP session, for the whole process.

The SDK builds a new ConnectorClient, new credentials (and so a new MSAL token cache) and a
new UserTokenClient for every turn and every proactive message. In production that is one
token request to Entra ID per reply, and a few milliseconds of CPU building clients. Here the
SDK's own extension points are used instead:

- the credentials factory (``credentials_factory=``) hands out one credentials object per
  (app id, scope, login endpoint), so its MSAL cache holds the token for its hour;
- the connector factory (``authenticate_request`` / ``create_connector_factory``) hands out
  one client per (app id, service URL, audience), whose msrest pipeline sends through
  :mod:`bot.teams.connector_transport` (aiohttp, bounded, no retries, no redirects);
- each client writes activity bodies by :mod:`bot.teams.activity_json` (msrest's JSON,
  a fraction of its cost);
- the user-token client (OAuth sign-in, which Charter does not use) is made once per app id.

Turns, proactive messages (``continue_conversation``) and the reminder sender all get their
clients here, from one :class:`CharterBotFrameworkAuthentication`.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.integration.aiohttp.configuration_service_client_credential_factory import (
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
)
from botframework.connector.auth.user_token_client import UserTokenClient
from msrest.authentication import Authentication

from bot.teams.activity_json import use_fast_activity_bodies
from bot.teams.connector_transport import ConnectorTransport

# Service URLs come from inbound activities; in local mode anyone can name one. A bounded
# cache keeps a flood of made-up URLs from growing the process (clients are cheap to remake).
MAX_CLIENTS = 64


class ServiceUrlRefused(LookupError):
    """No client (and so no bearer token) for a serviceUrl bot.teams.service_urls refuses."""


class SharedCredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]  # untyped SDK
    """The SDK's credentials, made once per (app id, scope, endpoint) and then reused."""

    def __init__(self, inner: ServiceClientCredentialsFactory) -> None:
        self._inner = inner
        self._made: dict[tuple[str, str, str, bool], Authentication] = {}
        self._lock = asyncio.Lock()

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(await self._inner.is_valid_app_id(app_id))

    async def is_authentication_disabled(self) -> bool:
        return bool(await self._inner.is_authentication_disabled())

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Authentication:
        key = (app_id or "", oauth_scope or "", login_endpoint or "", bool(validate_authority))
        made = self._made.get(key)
        if made is None:
            async with self._lock:
                made = self._made.get(key)
                if made is None:
                    made = await self._inner.create_credentials(
                        app_id, oauth_scope, login_endpoint, validate_authority
                    )
                    self._made[key] = made
        return made


class ConnectorClients:
    """The process's connector clients, keyed by (app id, service URL, audience)."""

    def __init__(self, transport: ConnectorTransport, *, limit: int = MAX_CLIENTS) -> None:
        self.transport = transport
        self._limit = limit
        self._clients: OrderedDict[tuple[str, str, str], ConnectorClient] = OrderedDict()

    def __len__(self) -> int:
        return len(self._clients)

    async def get(
        self,
        app_id: str,
        service_url: str,
        audience: str | None,
        make: ConnectorFactory,
    ) -> ConnectorClient:
        key = (app_id or "", service_url, audience or "")
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        # The SDK's factory makes the client (credentials, user agent, base URL); only the
        # pipeline it sends through is replaced.
        client = await make.create(service_url, audience)
        client.config.pipeline = self.transport.pipeline(client.config)
        # Activities are written to JSON straight from the model (msrest's own JSON).
        use_fast_activity_bodies(client)
        client = self._clients.setdefault(key, client)
        while len(self._clients) > self._limit:
            self._clients.popitem(last=False)
        return client

    async def close(self) -> None:
        self._clients.clear()
        await self.transport.close()


class SharedConnectorFactory(ConnectorFactory):  # type: ignore[misc]  # untyped SDK
    """A connector factory for one app id whose clients come from :class:`ConnectorClients`."""

    def __init__(
        self,
        inner: ConnectorFactory,
        app_id: str,
        clients: ConnectorClients,
        default_audience: str | None,
        refusal: Callable[[str], str | None],
    ) -> None:
        self._refusal = refusal
        self._inner = inner
        self._app_id = app_id
        self._clients = clients
        self._default_audience = default_audience

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        # No client, and so no bearer token, for a serviceUrl bot.teams.service_urls refuses.
        if problem := self._refusal(service_url):
            raise ServiceUrlRefused(problem)
        # A turn names the channel's audience; continue_conversation passes none and gets
        # the same default from the SDK: both are one client.
        return await self._clients.get(
            self._app_id, service_url, audience or self._default_audience, self._inner
        )


class CharterBotFrameworkAuthentication(
    ConfigurationBotFrameworkAuthentication,  # type: ignore[misc]  # untyped SDK
):
    """The SDK's configuration-driven authentication, with shared clients and credentials
    and a bounded asyncio transport for every outbound call."""

    def __init__(
        self,
        configuration: Any,
        *,
        timeout_seconds: float,
        credentials_factory: ServiceClientCredentialsFactory | None = None,
        **kwargs: Any,
    ) -> None:
        credentials = SharedCredentialsFactory(
            credentials_factory or ConfigurationServiceClientCredentialFactory(configuration)
        )
        super().__init__(configuration, credentials_factory=credentials, **kwargs)
        self.timeout_seconds = timeout_seconds
        self.clients = ConnectorClients(ConnectorTransport(timeout_seconds))
        self._user_token_clients: dict[str, UserTokenClient] = {}
        # Settings (bot.config): the one rule for which serviceUrl may get a client and token.
        self._refusal: Callable[[str], str | None] = configuration.service_url_refusal

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = SharedConnectorFactory(
                result.connector_factory,
                _app_id(result.claims_identity),
                self.clients,
                self.get_originating_audience(),
                self._refusal,
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        inner = super().create_connector_factory(claims_identity)
        return SharedConnectorFactory(
            inner,
            _app_id(claims_identity),
            self.clients,
            self.get_originating_audience(),
            self._refusal,
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        client = self._user_token_clients.get(app_id)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            client = self._user_token_clients.setdefault(app_id, client)
        return client

    async def close(self) -> None:
        await self.clients.close()


def _app_id(claims_identity: ClaimsIdentity | None) -> str:
    """The bot's app id as the SDK's connector factory reads it: audience, else appid."""
    if claims_identity is None:
        return ""
    claims = claims_identity.claims or {}
    for name in ("aud", "appid"):
        value = claims.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


# The name the CLI's notifier set-up (and older call sites) know it by.
BoundedBotFrameworkAuthentication = CharterBotFrameworkAuthentication
