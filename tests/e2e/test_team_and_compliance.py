"""`my team`, `compliance` and delegation over HTTP, with the demo council as of 23 Nov 2026."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.config import Settings
from domain.clock import FixedClock
from services.delegation import DelegationService
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.support.people import (
    DAVID_HEAD,
    HELEN_HR,
    MARGARET_STAFF,
    PRIYA_MANAGER,
    TOM_MANAGER,
)
from tests.support.server import RunningBot, start_bot
from tests.support.teams import ConnectorStandIn, TeamsUser, activity


async def ask(
    bot: RunningBot, connector: ConnectorStandIn, user: TeamsUser, **kw: Any
) -> list[dict[str, Any]]:
    connector.clear()
    await bot.post(activity(user, connector.url, **kw))
    return await connector.wait_for(1)


def rows_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{name: {"facts": {title: value}, "buttons": [data, ...], "next": text}} per row of the
    full list (behind the card's "Everyone" button; the card leads with who needs attention)."""
    rows = {}
    everyone = [a["card"] for a in card["actions"] if a["title"].startswith("Everyone")]
    for element in (e for shown in everyone for e in shown["body"]):
        if element.get("type") != "Container":
            continue
        items = element["items"]
        facts = next(i for i in items if i["type"] == "FactSet")
        buttons = [a["data"] for i in items if i["type"] == "ActionSet" for a in i["actions"]]
        rows[items[0]["text"]] = {
            "facts": {f["title"]: f["value"] for f in facts["facts"]},
            "buttons": buttons,
            "next": items[1]["text"],
        }
    return rows


async def test_priya_sees_one_row_per_report_with_the_demo_statuses(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    [message] = await ask(bot, connector, PRIYA_MANAGER, text="my team")
    card = message["attachments"][0]["content"]
    rows = rows_of(card)
    assert sorted(rows) == [
        "Callum Fraser",
        "Margaret Hughes",
        "Mei Ling Chen",
        "Oluwaseun Adeyemi",
        "Rhys Evans",
    ]
    rhys = rows["Rhys Evans"]
    assert rhys["facts"]["One-to-one"].startswith("70 days ago: overdue by 42 days")
    assert rhys["facts"]["APR"].startswith("Overdue")
    assert rhys["buttons"][0] == {"command": "log_one_to_one", "employee_id": "D013"}
    oluwaseun = rows["Oluwaseun Adeyemi"]
    assert oluwaseun["facts"]["Return to work"] == "Due by 26 Nov 2026"
    assert oluwaseun["buttons"][0] == {"command": "log_rtw", "employee_id": "D012"}
    callum = rows["Callum Fraser"]
    assert callum["facts"]["APR"].startswith("Not due: In probation")
    assert "due by" in callum["facts"]["One-to-one"]
    assert rows["Margaret Hughes"]["facts"]["APR"].startswith("Completed")
    assert rows["Mei Ling Chen"]["facts"]["One-to-one"].endswith("on track (every 28 days)")
    assert rows["Mei Ling Chen"]["buttons"][0]["command"] == "objectives_for"
    sickness = {name: row["facts"]["Sickness"] for name, row in rows.items()}
    assert sickness["Margaret Hughes"] == "1 occasion, 2 working days in 12 months"
    assert sickness["Oluwaseun Adeyemi"] == "1 occasion, 2 working days in 12 months"
    assert sickness["Rhys Evans"] == "0 occasions, 0 working days in 12 months"
    assert not any("trigger point" in text for text in sickness.values())
    for row in rows.values():
        assert "Objectives" in row["facts"]


async def test_tom_sees_a_trigger_point_reached(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    [message] = await ask(bot, connector, TOM_MANAGER, text="my team")
    rows = rows_of(message["attachments"][0]["content"])
    bilal = rows["Bilal Hussain"]
    assert bilal["facts"]["Sickness"] == (
        "3 occasions, 7 working days in 12 months: trigger point reached"
    )
    assert bilal["next"] == "Next: Trigger point reached"
    assert bilal["buttons"][0] == {"command": "absences_for", "employee_id": "D017"}
    daniel = rows["Daniel Kowalski"]["facts"]["Sickness"]
    assert daniel == "1 occasion, 4 working days in 12 months"


async def test_a_head_of_service_sees_a_team_below_without_health_data(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    [message] = await ask(
        bot, connector, DAVID_HEAD, value={"command": "team_for", "employee_id": "D003"}
    )
    card = message["attachments"][0]["content"]
    rows = rows_of(card)
    assert len(rows) == 5
    text = json.dumps(card)
    assert "occasion" not in text and "trigger" not in text and "Due by" not in text
    assert "shown only to the line manager" in text
    for row in rows.values():
        assert set(row["facts"]) == {"One-to-one", "APR", "Objectives"}
        assert row["buttons"] == []  # nothing here David could do as Priya's reports' manager
        assert "Return-to-work" not in row["next"] and "Off sick" not in row["next"]
    assert rows["Rhys Evans"]["next"] == "Next: One-to-one overdue"

    # Opening the same team, HR sees the sickness and can open the absence record.
    [message] = await ask(
        bot, connector, HELEN_HR, value={"command": "team_for", "employee_id": "D003"}
    )
    rows = rows_of(message["attachments"][0]["content"])
    oluwaseun = rows["Oluwaseun Adeyemi"]
    assert oluwaseun["facts"]["Sickness"] == "1 occasion, 2 working days in 12 months"
    assert oluwaseun["facts"]["Return to work"] == "Due by 26 Nov 2026"
    assert oluwaseun["buttons"] == [{"command": "absences_for", "employee_id": "D012"}]
    assert rows["Rhys Evans"]["buttons"] == []  # HR doesn't log one-to-ones


async def test_hr_gets_compliance_and_staff_are_told_it_is_for_hr(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    [message] = await ask(bot, connector, HELEN_HR, text="compliance")
    text = json.dumps(message["attachments"][0]["content"])
    assert "Whole council" in text and "Community Services" in text
    assert "One-to-ones within cadence" in text

    [reply] = await ask(bot, connector, MARGARET_STAFF, text="compliance")
    assert "for HR admins" in reply["text"]
    assert "line managers" not in reply["text"]


async def test_an_acting_manager_logs_for_the_team_until_the_end_date(
    bot: RunningBot, connector: ConnectorStandIn, settings: Settings, demo_db: Database
) -> None:
    await ask(bot, connector, TOM_MANAGER, text="hello")  # Tom has a chat with Charter
    [asked] = await ask(
        bot, connector, PRIYA_MANAGER, text="delegate my team to Tom Griffiths until Friday"
    )
    assert "an HR admin must confirm it" in json.dumps(asked)
    [confirm] = [
        a["data"] for a in asked["attachments"][0]["content"]["actions"] if a["title"] == "Confirm"
    ]
    [pending] = await ask(bot, connector, PRIYA_MANAGER, value=confirm)
    # Tom is Priya's peer, not in her own chain of managers: HR confirms it first, and
    # until then he is neither told nor able to act.
    assert "HR admin needs to confirm" in json.dumps(pending)
    assert all(m["_conversation"] != TOM_MANAGER.conversation_id for m in connector.received)
    [not_yet] = await ask(
        bot, connector, TOM_MANAGER, value={"command": "log_one_to_one", "employee_id": "D013"}
    )
    assert "D013" not in json.dumps(not_yet) and "Rhys" not in json.dumps(not_yet)
    [listed] = await ask(bot, connector, PRIYA_MANAGER, text="who is acting")
    assert "Tom Griffiths** for your team" in listed["text"]
    assert "waiting for an HR admin to confirm" in listed["text"]
    service = DelegationService(demo_db, FixedClock(NOW))
    [waiting] = await service.awaiting_confirmation()
    await service.confirm(None, waiting.id)  # as `charter delegate confirm` does

    [card_message] = await ask(
        bot, connector, TOM_MANAGER, value={"command": "log_one_to_one", "employee_id": "D013"}
    )
    assert "Rhys" in json.dumps(card_message)
    assert "only log" not in json.dumps(card_message)

    [team] = await ask(bot, connector, TOM_MANAGER, text="my team")
    assert "Priya Shah's team (you are acting manager)" in json.dumps(team)

    friday = NOW + timedelta(days=4)
    after = await start_bot(settings, FixedClock(friday + timedelta(days=1)))
    try:
        [refused] = await ask(
            after,
            connector,
            TOM_MANAGER,
            value={"command": "log_one_to_one", "employee_id": "D013"},
        )
        # The day after the end date Rhys is no longer offered: only Tom's own team is.
        offered = json.dumps(refused)
        assert "D013" not in offered and "Rhys" not in offered
        assert "D016" in offered
    finally:
        await after.stop()


async def test_a_submitted_id_outside_your_team_is_refused(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    # D016 is in Tom's team, not Priya's: a hand-made submit must not reach them.
    [refused] = await ask(
        bot, connector, PRIYA_MANAGER, value={"command": "log_one_to_one", "employee_id": "D016"}
    )
    assert "D016" not in json.dumps(refused) and "Gary" not in json.dumps(refused)
    [refused] = await ask(
        bot, connector, PRIYA_MANAGER, value={"command": "log_rtw", "employee_id": "D016"}
    )
    assert "your own direct reports" in refused["text"]
    [refused] = await ask(
        bot, connector, PRIYA_MANAGER, value={"command": "team_for", "employee_id": "D004"}
    )
    assert "below you" in json.dumps(refused)
