"""Bounded outbound calls to the Bot Connector.

The SDK's ConnectorClient waits up to 100 seconds for Teams to answer (msrest's default),
so one connector that accepts a request and never replies would hold a turn, or a nudge
run, for minutes. Every client Charter makes, for replies in a turn, proactive messages and
the nudge sender alike, comes from the connector factory of one authentication object, so
the timeout is set here, in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    ClaimsIdentity,
    ConnectorFactory,
)


class ServiceUrlRefused(LookupError):
    """No client (and so no bearer token) for a serviceUrl bot.service_urls refuses."""


class BoundedConnectorFactory(ConnectorFactory):
    """Makes connector clients whose requests give up after ``timeout_seconds``, never follow
    a redirect, and exist only for a serviceUrl that ``refusal`` (bot.service_urls) allows."""

    def __init__(
        self,
        inner: ConnectorFactory,
        timeout_seconds: float,
        refusal: Callable[[str], str | None] = lambda _url: None,
    ) -> None:
        self._inner = inner
        self._timeout = timeout_seconds
        self._refusal = refusal

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        if problem := self._refusal(service_url):
            raise ServiceUrlRefused(problem)
        client = await self._inner.create(service_url, audience)  # type: ignore[arg-type]
        client.config.connection.timeout = self._timeout
        # A redirect would carry the activity (and the token) to a host nobody checked.
        client.config.redirect_policy.allow = False
        return client


class BoundedBotFrameworkAuthentication(ConfigurationBotFrameworkAuthentication):
    """The SDK's configuration-driven authentication, with a timeout on every outbound call."""

    def __init__(self, configuration: Any, *, timeout_seconds: float) -> None:
        super().__init__(configuration)
        self.timeout_seconds = timeout_seconds
        # Settings (bot.config): the one rule for which serviceUrl may get a client and token.
        self._refusal = configuration.service_url_refusal

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = BoundedConnectorFactory(
                result.connector_factory, self.timeout_seconds, self._refusal
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        inner = super().create_connector_factory(claims_identity)
        return BoundedConnectorFactory(inner, self.timeout_seconds, self._refusal)
