"""Small builders for Adaptive Cards (schema 1.5), so no card JSON is written out by hand."""

from __future__ import annotations

import re
from collections.abc import Sequence
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


# Adaptive Cards render a Markdown subset in TextBlocks and FactSet values: emphasis, lists
# and links. Text a person typed is shown as typed: a "[re-verify your login](https://…)" in
# an employee's comment must not become a link in their manager's card.
_MARKDOWN_CHARACTERS = re.compile(r"([\\`*_\[\]()<>~#|])")
_LIST_MARKER = re.compile(r"^([ \t]*)(?:([-+])|(\d+)\.)(?=[ \t]|$)", re.MULTILINE)


def plain(value: str) -> str:
    """Text someone typed, with Markdown escaped so it shows literally and links stay inert.

    Use it for every piece of free text a person wrote (notes, comments, reasons, titles)
    before it goes into a card.
    """
    escaped = _MARKDOWN_CHARACTERS.sub(r"\\\1", value)
    return _LIST_MARKER.sub(_escape_list_marker, escaped)


def _escape_list_marker(match: re.Match[str]) -> str:
    indent, bullet, number = match.groups()
    return f"{indent}\\{bullet}" if bullet else f"{indent}{number}\\."


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


def cancel_button(title: str = "Cancel") -> Element:
    """Cancel, Back or Close on a form: never validates the inputs nor sends them (AC 1.5's
    ``associatedInputs``), so an empty form with required fields can still be cancelled."""
    return {**command_button(title, "cancel"), "associatedInputs": "none"}


def submit_actions(element: object) -> list[Element]:
    """Every Action.Submit in a card, however deep (action sets, columns, shown cards)."""
    found: list[Element] = []
    if isinstance(element, dict):
        if element.get("type") == "Action.Submit":
            found.append(element)
        for value in element.values():
            found += submit_actions(value)
    elif isinstance(element, list):
        for item in element:
            found += submit_actions(item)
    return found


def action_set(actions: list[Element]) -> Element:
    return {"type": "ActionSet", "actions": actions}


def attachment(content: Element) -> Attachment:
    return CardFactory.adaptive_card(content)


def warning(value: str) -> Element:
    return {"type": "TextBlock", "text": value, "wrap": True, "color": "Attention"}


def field_error(message: str) -> Element:
    """A problem shown right under the input it is about."""
    return {**warning(message), "spacing": "None", "size": "Small"}


def with_field_errors(body: list[Element], errors: dict[str, str]) -> list[str]:
    """Put each message under the input with that id (looking inside columns and containers);
    returns the messages whose input isn't on the card, for the summary at the top."""
    placed: set[str] = set()

    def walk(items: list[Element]) -> None:
        index = 0
        while index < len(items):
            item = items[index]
            for key in ("items", "columns"):
                if isinstance(item.get(key), list):
                    walk(item[key])
            if str(item.get("type", "")).startswith("Input.") and item.get("id") in errors:
                placed.add(item["id"])
                items.insert(index + 1, field_error(errors[item["id"]]))
                index += 1
            index += 1

    walk(body)
    return [message for key, message in errors.items() if key not in placed]


def problems_summary(count: int, unplaced: list[str]) -> Element:
    """The short summary at the top of a form that came back with problems."""
    lead = (
        "Please fix the problem below and save again."
        if count == 1
        else (f"Please fix the {count} problems below and save again.")
    )
    # Default-colour text on the attention box: attention-coloured text there is 3.57:1.
    return container(
        [text(f"**{lead}**"), *(text(f"- {plain(message)}") for message in unplaced)],
        style="attention",
    )


def place_problems(body: list[Element], problems: Sequence[str], *, at: int = 1) -> None:
    """A form back with problems, in place: each message that names its input (a ``field``
    attribute, as ``domain.objective_drafts.FieldProblem`` has) goes right under that input,
    and a summary (with the messages that belong to no input) goes in at ``at``."""
    if not problems:
        return
    errors: dict[str, str] = {}
    loose: list[str] = []
    for problem in problems:
        field = getattr(problem, "field", None)
        if isinstance(field, str) and field not in errors:
            errors[field] = plain(str(problem))
        elif not isinstance(field, str):
            loose.append(str(problem))
    unplaced = with_field_errors(body, errors)
    body.insert(at, problems_summary(len(problems), [*loose, *unplaced]))


def with_footer(content: Element, footer: str, actions: list[Element] | None = None) -> Element:
    """A copy of a card with a subtle footer line ("Saved by Priya at 10:42") and only
    ``actions`` (none: a read-only card)."""
    result = {k: v for k, v in content.items() if k != "actions"}
    result["body"] = [*content.get("body", []), text(footer, subtle=True)]
    if actions:
        result["actions"] = actions
    return result


def closed_card(title: str, lines: list[str], footer: str) -> Element:
    """What a form or a digest item becomes once acted on: read-only, no buttons."""
    return card([heading(title), *(text(line) for line in lines), text(footer, subtle=True)])


def container(
    items: list[Element], *, style: str | None = None, separator: bool = False
) -> Element:
    block: Element = {"type": "Container", "items": items}
    if style:
        block["style"] = style
    if separator:
        block["separator"] = True
    return block


def columns(*cols: tuple[list[Element], str]) -> Element:
    """A row of columns, each given as (items, width) with width "auto", "stretch" or a weight."""
    return {
        "type": "ColumnSet",
        "columns": [{"type": "Column", "items": items, "width": width} for items, width in cols],
    }


def input_text(
    id: str,
    label: str,
    value: str = "",
    *,
    multiline: bool = False,
    max_length: int | None = None,
    placeholder: str | None = None,
    required: bool = False,
) -> Element:
    element: Element = {"type": "Input.Text", "id": id, "label": label, "isMultiline": multiline}
    if value:
        element["value"] = value
    if max_length:
        element["maxLength"] = max_length
    if placeholder:
        element["placeholder"] = placeholder
    if required:
        element["isRequired"] = True
        element["errorMessage"] = f"Please fill in: {label.lower()}"
    return element


def input_date(
    id: str,
    label: str,
    value: str = "",
    *,
    min: str | None = None,
    max: str | None = None,
    required: bool = False,
) -> Element:
    element: Element = {"type": "Input.Date", "id": id, "label": label}
    if required:
        element["isRequired"] = True
        element["errorMessage"] = f"Please give the {label.lower()}"
    if value:
        element["value"] = value
    if min:
        element["min"] = min
    if max:
        element["max"] = max
    return element


def input_toggle(id: str, title: str, value: bool = False) -> Element:
    return {
        "type": "Input.Toggle",
        "id": id,
        "title": title,
        "value": "true" if value else "false",
        "valueOn": "true",
        "valueOff": "false",
    }


def choice_set(
    id: str, label: str, choices: list[tuple[str, str]], value: str = "", *, required: bool = False
) -> Element:
    """A drop-down; choices are (title, value) pairs."""
    element: Element = {
        "type": "Input.ChoiceSet",
        "id": id,
        "label": label,
        "style": "compact",
        "choices": [{"title": t, "value": v} for t, v in choices],
    }
    if value:
        element["value"] = value
    if required:
        element["isRequired"] = True
        element["errorMessage"] = f"Please choose: {label.lower()}"
    return element
