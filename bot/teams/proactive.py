"""Proactive messages: reaching a person at their stored Teams conversation reference."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference

from bot.teams.outbound import ServiceUrlRefused
from bot.turn.middleware import proactive_turn
from dialogs.cards import attachment
from storage.conversation_refs import ConversationReferences

log = logging.getLogger("charter.proactive")


class ProactiveNotifier:
    """Implements ``domain.notify.Notifier`` with ``CloudAdapter.continue_conversation``."""

    def __init__(
        self, adapter: CloudAdapter, app_id: str, references: ConversationReferences
    ) -> None:
        self._adapter = adapter
        self._app_id = app_id
        self._references = references

    async def send_card(self, employee_pk: int, card: dict[str, Any], summary: str) -> bool:
        stored = await self._references.for_employee(employee_pk)
        if stored is None:
            log.info("employee %s has no conversation with the bot yet", employee_pk)
            return False
        reference = ConversationReference().deserialize(stored.reference)

        async def send(turn_context: TurnContext) -> None:
            message = MessageFactory.attachment(attachment(card))
            message.summary = summary
            await turn_context.send_activity(message)

        try:
            # The connector factory refuses a serviceUrl the rule does not allow before any
            # client, token or turn exists (bot.teams.service_urls): such a reference is not used.
            with proactive_turn():
                await self._adapter.continue_conversation(reference, send, self._app_id)
        except ServiceUrlRefused as refused:
            log.warning("conversation reference of employee %s not used: %s", employee_pk, refused)
            return False
        except Exception as error:
            log.warning(
                "proactive message to employee %s failed: %s", employee_pk, type(error).__name__
            )
            return False
        return True
