"""A TestAdapter chat whose card presses carry ``replyToId``, as Teams and the Agents
Playground send them, so a bot that changes the pressed card in place can be seen doing it."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, ActivityTypes, ResourceResponse

from tests.support.chat import Chat


class CardChat(Chat):
    """Every card the bot sends gets the id the adapter gave it; ``press`` answers a card."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adapter = self.adapter
        send = adapter.send_activities

        async def send_with_ids(context: Any, activities: list[Activity]) -> list[ResourceResponse]:
            responses: list[ResourceResponse] = await send(context, activities)
            for activity, response in zip(activities, responses, strict=False):
                activity.id = response.id
            return responses

        adapter.send_activities = send_with_ids

    @property
    def updates(self) -> list[Activity]:
        return list(self.adapter.updated_activities)

    async def press(self, card: Activity, value: dict[str, Any]) -> list[Activity]:
        """Press a button on the card that came in ``card`` (its data merged with inputs)."""
        activity = Activity(type=ActivityTypes.message, value=value, reply_to_id=card.id)
        await self.adapter.send(activity)
        replies = list(self.adapter.activity_buffer)
        self.adapter.activity_buffer.clear()
        return replies

    @staticmethod
    def card_in(activity: Activity) -> dict[str, Any]:
        [attachment] = activity.attachments
        content = attachment.content
        assert isinstance(content, dict)
        return content
