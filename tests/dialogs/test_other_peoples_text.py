"""Text one person typed reaches another's card as typed: its Markdown (a link above all)
does not render."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from dialogs.cards import plain
from storage.database import Database
from storage.models import OneToOne
from tests.dialogs.test_one_to_one_dialog import form_values
from tests.support.chat import Chat
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF

LURE = "[re-verify your login](https://evil.example)"
# A Markdown link: "[", text, "]" and "(" none of them escaped with a backslash.
UNESCAPED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")


def texts(card: dict[str, Any]) -> list[str]:
    """Every string a card renders as Markdown: TextBlock texts and FactSet values."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(str(node.get("text", "")))
            if node.get("type") == "FactSet":
                found.extend(str(f["value"]) for f in node.get("facts", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def renders_a_link(card: dict[str, Any]) -> bool:
    return any(UNESCAPED_LINK.search(text) for text in texts(card))


def test_plain_escapes_links_emphasis_and_list_markers() -> None:
    assert plain(LURE) == r"\[re-verify your login\]\(https://evil.example\)"
    assert plain("**urgent** _now_") == r"\*\*urgent\*\* \_now\_"
    assert plain("- one\n2. two") == "\\- one\n2\\. two"
    assert plain("Back on 3.5 days - fine") == "Back on 3.5 days - fine"
    assert not UNESCAPED_LINK.search(plain(f"see {LURE} or \\{LURE}"))


async def test_a_managers_notes_and_an_employees_comment_arrive_as_typed(
    demo_org: Database,
) -> None:
    priya = Chat(demo_org, PRIYA_MANAGER)
    await priya.say("log 1:1 with Rhys")
    await priya.submit(form_values(shared_notes=f"Please {LURE}", action_1_text=LURE))
    [(_, to_rhys, _)] = priya.notifier.sent
    assert not renders_a_link(to_rhys)
    assert any("re-verify your login" in text for text in texts(to_rhys))

    rhys = Chat(demo_org, RHYS_STAFF, notifier=priya.notifier)
    [mine] = Chat.cards_of(await rhys.say("my one-to-ones"))
    assert not renders_a_link(mine)
    async with demo_org.sessions() as session:
        record_id = await session.scalar(select(OneToOne.id))
    await rhys.submit({"form": "one_to_one_comment", "record_id": record_id, "comment": LURE})
    notice = priya.notifier.sent[-1][1]
    assert any("re-verify your login" in text for text in texts(notice))
    assert not renders_a_link(notice)

    [history] = Chat.cards_of(await priya.say("one-to-ones with rhys"))
    assert any("re-verify your login" in text for text in texts(history))
    assert not renders_a_link(history)
