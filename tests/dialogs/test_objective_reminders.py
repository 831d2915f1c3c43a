"""An objective waiting to be agreed, from a reminder: "Agree objective" shows the measure
and date before it agrees, and "Done elsewhere" isn't offered (nor accepted) for it (#15)."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

from dialogs.nudges.views import item_element
from domain.nudge_rules import NudgeKind
from storage.database import Database
from tests.dialogs.test_objectives_and_aprs import good_objective, objectives
from tests.support.chat import Chat, RecordingNotifier
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF


def reminder(objective_id: int) -> dict:
    nudge = SimpleNamespace(
        kind=NudgeKind.OBJECTIVE_TO_AGREE,
        item_key=f"objective:{objective_id}",
        title="Objective to agree with Rhys",
        detail="Run six digital skills sessions",
        due_since=date(2026, 11, 16),
        escalated=False,
    )
    return item_element(nudge, "D013")


async def test_agree_from_a_reminder_shows_the_measure_and_date_first(
    demo_org: Database,
) -> None:
    notifier = RecordingNotifier()
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    await rhys.submit(await good_objective(demo_org))
    [objective] = await objectives(demo_org)
    item = json.dumps(reminder(objective.id))
    assert "Done elsewhere" not in item
    [agree_button] = [
        a for a in reminder(objective.id)["items"][2]["actions"] if a["title"] == "Agree objective"
    ]
    priya = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    replies = await priya.submit(agree_button["data"])
    text = Chat.text_of(replies)
    assert "Agree Rhys's objective?" in text
    assert "Six sessions held with at least 40 attendees in total" in text
    assert "Target date" in text
    [still] = await objectives(demo_org)
    assert still.status == "draft"  # nothing agreed until Agree is pressed
    [card] = Chat.cards_of(replies)
    [agree] = [a for a in card["actions"] if a["title"] == "Agree"]
    assert "Agreed" in Chat.text_of(await priya.submit(agree["data"]))
    [agreed] = await objectives(demo_org)
    assert agreed.status == "agreed"


async def test_done_elsewhere_from_an_older_card_is_answered_not_silenced(
    demo_org: Database,
) -> None:
    priya = Chat(demo_org, PRIYA_MANAGER)
    replies = await priya.submit(
        {"form": "nudge_done", "item_key": "objective:1", "reason": "Agreed at the team day"}
    )
    assert "agreed in Charter itself" in Chat.text_of(replies)
