"""Small builders for Adaptive Cards (schema 1.5), so no card JSON is written out by hand."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

Element = dict[str, Any]

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"


def card(body: list[Element], actions: list[Element] | None = None) -> Element:
    content: Element = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION}
    content["body"] = body
    if actions:
        content["actions"] = actions
    return content


def heading(text: str) -> Element:
    return {"type": "TextBlock", "text": text, "size": "Large", "weight": "Bolder", "wrap": True}


def subheading(text: str) -> Element:
    return {
        "type": "TextBlock",
        "text": text,
        "weight": "Bolder",
        "wrap": True,
        "spacing": "Medium",
    }


def text(value: str, *, subtle: bool = False, size: str | None = None) -> Element:
    block: Element = {"type": "TextBlock", "text": value, "wrap": True}
    if subtle:
        block["isSubtle"] = True
    if size:
        block["size"] = size
    return block


def facts(pairs: list[tuple[str, str]]) -> Element:
    return {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in pairs]}


def submit(title: str, data: dict[str, Any], *, primary: bool = False) -> Element:
    action: Element = {"type": "Action.Submit", "title": title, "data": data}
    if primary:
        action["style"] = "positive"
    return action


def command_button(title: str, command: str) -> Element:
    """A button that runs a Charter command, exactly as typing it would."""
    return submit(title, {"command": command})


def action_set(actions: list[Element]) -> Element:
    return {"type": "ActionSet", "actions": actions}


def attachment(content: Element) -> Attachment:
    return CardFactory.adaptive_card(content)
