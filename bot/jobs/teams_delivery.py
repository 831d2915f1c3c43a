"""Delivering one card to one person in Teams, straight to the Bot Connector.

Used by every sender of Charter's outboxes (reminder digests, notices): a card goes to the
person's stored conversation reference, or to a one-to-one chat created from their
aadObjectId; the connector's answer comes back as a ``DeliveryResult`` for the sender's
retry policy (429 with its Retry-After, 403/404, 5xx, or no answer at all).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from botframework.connector.aio import ConnectorClient
from botframework.connector.models import ErrorResponseException

from bot.teams.throttling import connector_answer
from dialogs.cards import attachment
from storage.conversation_refs import ConversationReferences, StoredReference
from storage.database import Database


@dataclass(frozen=True)
class DeliveryResult:
    status: int | None  # HTTP status from the connector; None for a network error
    retry_after: float | None = None
    error: str = ""


def _result_from(error: Exception) -> DeliveryResult:
    status, retry_after = connector_answer(error)
    return DeliveryResult(status, retry_after, type(error).__name__)


@dataclass
class TeamsDelivery:
    """Delivers cards to one person in Teams.

    Sends go straight to the Bot Connector through one ConnectorClient per service URL (the
    SDK's continue_conversation builds a new client, and with it a new HTTP session, for every
    message, which at 50 messages a second costs more CPU than the sending). They also bypass
    the adapter's turn pipeline on purpose: its on_turn_error would swallow a 429 (and try to
    send an apology), so a throttled digest would look delivered.
    """

    adapter: CloudAdapter
    app_id: str
    references: ConversationReferences
    # Unused: the references reach the database. Kept so that existing callers read the same.
    database: Database | None = None
    tenant_id: str = ""
    service_url: str = "https://smba.trafficmanager.net/uk/"
    _looked_up: dict[int, StoredReference | None] = field(default_factory=dict, repr=False)
    _created: dict[int, ConversationReference] = field(default_factory=dict, repr=False)
    _clients: dict[str, ConnectorClient] = field(default_factory=dict, repr=False)

    async def preload(self, recipient_pks: set[int]) -> None:
        """Everyone's latest conversation reference in one query (for a claimed batch)."""
        latest = await self.references.latest_for_employees(recipient_pks)
        for pk in recipient_pks:
            self._looked_up[pk] = latest.get(pk)

    async def conversation_key(self, recipient_pk: int) -> str:
        stored = await self._reference(recipient_pk)
        return stored.conversation_id if stored else f"new:{recipient_pk}"

    async def deliver(
        self,
        recipient_pk: int,
        card: dict[str, Any],
        summary: str,
        *,
        ready: Callable[[], Awaitable[None]] | None = None,
    ) -> DeliveryResult:
        """Send one card. ``ready`` (the sender's pacing) is awaited just before the message
        goes out, after everything else is prepared, so sends leave at the paced moments."""
        message = MessageFactory.attachment(attachment(card))
        message.summary = summary
        stored = await self._reference(recipient_pk)
        try:
            if stored is not None:
                reference = ConversationReference().deserialize(stored.reference)
                await self._send(reference, message, ready)
            else:
                created = self._created.get(recipient_pk)
                if created is None:  # retries and later parts reuse the new chat
                    created = await self._create_conversation(recipient_pk)
                    self._created[recipient_pk] = created
                await self._send(created, message, ready)
        except LookupError as missing:
            return DeliveryResult(404, None, str(missing))
        except Exception as error:  # the SDK raises ErrorResponseException with the response
            return _result_from(error)
        return DeliveryResult(200)

    async def _reference(self, recipient_pk: int) -> StoredReference | None:
        if recipient_pk not in self._looked_up:  # deliver() uses it too: no second query
            self._looked_up[recipient_pk] = await self.references.for_employee(recipient_pk)
        return self._looked_up[recipient_pk]

    async def close(self) -> None:
        self._looked_up.clear()
        self._created.clear()
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.__aexit__(None, None, None)

    async def _client(self, service_url: str) -> ConnectorClient:
        client = self._clients.get(service_url)
        if client is None:
            # As the SDK does for continue_conversation: the bot's own identity, default
            # audience (credentials and their token cache come from the adapter's factory).
            claims = self.adapter.create_claims_identity(self.app_id)
            factory = self.adapter.bot_framework_authentication.create_connector_factory(claims)
            client = self._clients[service_url] = await factory.create(service_url, None)
        return client

    async def _send(
        self,
        reference: ConversationReference,
        message: Activity,
        ready: Callable[[], Awaitable[None]] | None,
    ) -> None:
        """What TurnContext.send_activity does in a continued conversation."""
        if not reference.service_url or reference.conversation is None:
            raise LookupError("the stored conversation reference has no service URL")
        activity = TurnContext.apply_conversation_reference(message, reference)
        await self._post(await self._client(reference.service_url), activity, ready)

    @staticmethod
    async def _post(
        client: ConnectorClient,
        activity: Activity,
        ready: Callable[[], Awaitable[None]] | None,
    ) -> None:
        """``conversations.send_to_conversation`` (or ``reply_to_activity``) as the SDK sends
        it, except that each card goes into the JSON as it is: msrest re-serialises a card
        dict value by value, which was a third of the sender's CPU at 50 messages a second.
        """
        operations = client.conversations
        attachments = activity.attachments or []
        cards = [a.content for a in attachments]
        try:
            for a in attachments:
                a.content = None
            body = operations._serialize.body(activity, "Activity")
        finally:
            for a, card in zip(attachments, cards, strict=True):
                a.content = card
        for serialised, card in zip(body.get("attachments", []), cards, strict=True):
            serialised["content"] = card
        url = operations._serialize.url
        conversation = url("conversation_id", activity.conversation.id, "str")
        if activity.reply_to_id:
            path = operations._client.format_url(
                operations.reply_to_activity.metadata["url"],
                conversationId=conversation,
                activityId=url("activity_id", activity.reply_to_id, "str"),
            )
        else:
            path = operations._client.format_url(
                operations.send_to_conversation.metadata["url"], conversationId=conversation
            )
        headers = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"}
        request = operations._client.post(path, {}, headers, body)
        if ready is not None:
            await ready()
        response = await operations._client.async_send(request, stream=False)
        if response.status_code not in (200, 201, 202):
            raise ErrorResponseException(operations._deserialize, response)

    async def _create_conversation(self, recipient_pk: int) -> ConversationReference:
        """No conversation yet: create the one-to-one chat from the person's aadObjectId."""
        aad = await self.references.aad_object_id_of(recipient_pk)
        if not aad or not self.tenant_id:
            raise LookupError(
                "no conversation reference, and no aadObjectId and tenant to start one"
            )
        bot = ChannelAccount(id=f"28:{self.app_id}")
        parameters = ConversationParameters(
            is_group=False,
            bot=bot,
            members=[ChannelAccount(id=aad)],
            tenant_id=self.tenant_id,
            channel_data={"tenant": {"id": self.tenant_id}},
        )
        client = await self._client(self.service_url)
        created = await client.conversations.create_conversation(parameters)
        return ConversationReference(
            channel_id="msteams",
            service_url=self.service_url,
            conversation=ConversationAccount(id=created.id, tenant_id=self.tenant_id),
            bot=bot,
        )
