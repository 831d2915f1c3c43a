"""Chat with Charter through a running Microsoft 365 Agents Playground, from a script.

Start the bot (`make demo`) and the playground (`make playground`), then:

    .venv/bin/python tools/playground_chat.py "help" "who am I"
    .venv/bin/python tools/playground_chat.py --install
    .venv/bin/python tools/playground_chat.py help --submit '{"command": "whoami"}'
    .venv/bin/python tools/playground_chat.py "log 1:1 with Rhys yesterday" \
        --press Save --submit '{"managing": "Rota agreed"}' --submit '{"managing": "Edited"}'

``--submit`` answers the last card the bot sent in this run, as pressing its button would.
With ``--press TITLE`` (or ``"_press": "TITLE"`` inside one value) the value is merged over
the card's input values and that button's own data, as Teams sends them, so form tokens and
ids go along. ``"_card": N`` answers the Nth card of this run instead of the last (to press
Save again on a form after it was saved, say).

Each message is sent as the playground's current user through its HTTP API (the same
routes its web UI uses, playground 0.2.28), and the bot's replies are read from its
WebSocket stream and printed: text as text, Adaptive Cards as their text blocks, facts and
buttons.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

import aiohttp
from playground_api import button_data, show


async def replies(
    ws: aiohttp.ClientWebSocketResponse, quiet_for: float, cards: list[Any], echo: bool = True
) -> None:
    """Print replies until the bot has been quiet for ``quiet_for`` seconds."""
    while True:
        try:
            msg = await asyncio.wait_for(ws.receive(), timeout=quiet_for)
        except TimeoutError:
            return
        if msg.type != aiohttp.WSMsgType.TEXT:
            return
        event = json.loads(msg.data)
        if event.get("action") in ("createMessage", "updateMessage"):
            message = event["message"]
            if message.get("attachments"):
                # Every card of this run, newest last: (message id, card).
                cards.append((message["messageId"], message["attachments"][0].get("content")))
            if echo:
                show(message)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("messages", nargs="*", help="messages to send, in order")
    parser.add_argument("--submit", action="append", default=[], help="card submit value (JSON)")
    parser.add_argument("--press", help="merge each --submit over this button's data")
    parser.add_argument("--install", action="store_true", help="send the install events first")
    parser.add_argument("--playground", default="http://localhost:56150")
    parser.add_argument("--wait", type=float, default=3.0, help="seconds of quiet = turn done")
    args = parser.parse_args()

    base = args.playground.rstrip("/")
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/_internal/v1/config") as resp:
            config = (await resp.json())["config"]
        me, chat = config["currentUser"]["id"], config["personalChat"]["id"]
        stream = base.replace("http", "ws", 1) + "/_ws_conversation/v1/conversations/stream"
        async with session.ws_connect(stream) as ws:
            cards: list[Any] = []
            await replies(ws, 1.0, cards, echo=False)  # drop what waited for a browser
            cards.clear()
            if args.install:
                print(f"{config['currentUser']['name']}: (installs the app)")
                await session.post(f"{base}/_debug/conversation/{chat}/installation")
                await replies(ws, args.wait, cards)
            for text in args.messages:
                print(f"{config['currentUser']['name']}: {text}")
                await session.post(
                    f"{base}/_conversation/v1/conversations/{chat}/messages",
                    json={"from": {"id": me}, "text": text, "textFormat": "plain"},
                )
                await replies(ws, args.wait, cards)
            for value in args.submit:
                if not cards:
                    raise SystemExit("--submit answers a card: send a message that gets one first")
                print(f"{config['currentUser']['name']}: (submits the last card) {value}")
                submitted = json.loads(value)
                card_id, card = cards[int(submitted.pop("_card", 0)) - 1]
                press = submitted.pop("_press", None) or args.press
                if press:
                    submitted = {**button_data(card, press), **submitted}
                await session.post(
                    f"{base}/_conversation/v1/submit",
                    json={
                        "conversation": {"id": chat},
                        "from": {"id": me},
                        "replyToId": card_id,
                        "value": submitted,
                    },
                )
                await replies(ws, args.wait, cards)


if __name__ == "__main__":
    asyncio.run(main())
