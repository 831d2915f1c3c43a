"""Card submits carrying ids no record can have ("²", "٣", beyond 2^31 or 2^63) get a polite
answer and change nothing, on both databases: never an internal error."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from storage.database import Database
from storage.models import AuditEvent, Objective, OneToOne, OneToOneAction
from tests.dialogs.test_one_to_one_dialog import form_values
from tests.support.chat import Chat
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF

ODD_IDS = ["²", "٣", 2**31, 2**63, "9223372036854775808"]


async def counts(database: Database) -> list[int]:
    found = []
    async with database.sessions() as session:
        for model in (OneToOne, OneToOneAction, Objective, AuditEvent):
            found.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    return found


@pytest.mark.parametrize("odd", ODD_IDS)
async def test_odd_ids_get_a_polite_answer_and_change_nothing(demo_org: Database, odd: Any) -> None:
    priya = Chat(demo_org, PRIYA_MANAGER)
    await priya.say("log 1:1 with Rhys")
    await priya.submit(form_values())
    rhys = Chat(demo_org, RHYS_STAFF)
    before = await counts(demo_org)

    replies = {
        "edit": Chat.text_of(await priya.submit({"form": "one_to_one_edit", "record_id": odd})),
        "save edit": Chat.text_of(await priya.submit(form_values(record_id=odd))),
        "action": Chat.text_of(await rhys.submit({"form": "action_done", "action_id": odd})),
        "agree": Chat.text_of(await rhys.submit({"form": "objective_agree", "objective_id": odd})),
        "comment": Chat.text_of(
            await rhys.submit({"form": "one_to_one_comment", "record_id": odd, "comment": "Hi"})
        ),
    }
    assert "I can't find that one-to-one." in replies["edit"]
    assert "I can't find that one-to-one. Nothing was saved." in replies["save edit"]
    for what, reply in replies.items():
        assert reply.strip(), what
        assert "went wrong" not in reply, what
    assert await counts(demo_org) == before
