"""The Playground walkthrough's own logic, offline (no Playground, no bot): what a button press
sends, when a card counts as updated in place, the PASS/FAIL transcript's exit status, and the
configuration that makes Rhys the Playground's current user."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

from playground_api import Conversation, button_data  # noqa: E402
from playground_checks import Transcript, updated_in_place  # noqa: E402
from playground_stack import CONFIG, playground_config_as  # noqa: E402

FORM = {
    "type": "AdaptiveCard",
    "body": [
        {"type": "TextBlock", "text": "Log a one-to-one"},
        {"type": "Input.Text", "id": "managing", "value": "", "isRequired": True},
        {"type": "Input.Date", "id": "held_on", "value": "2026-12-07"},
    ],
    "actions": [
        {"type": "Action.Submit", "title": "Save", "data": {"form": "one_to_one", "t": "x1"}},
        {
            "type": "Action.Submit",
            "title": "Cancel",
            "data": {"command": "cancel"},
            "associatedInputs": "none",
        },
    ],
}


def card(text: str, *actions: dict[str, object]) -> dict[str, object]:
    return {
        "type": "AdaptiveCard",
        "body": [{"type": "TextBlock", "text": text}],
        "actions": list(actions),
    }


def event(action: str, message_id: str, content: dict[str, object]) -> dict[str, object]:
    attachment = {"contentType": "application/vnd.microsoft.card.adaptive", "content": content}
    return {"action": action, "message": {"messageId": message_id, "attachments": [attachment]}}


def test_save_sends_the_inputs_with_its_data_and_cancel_sends_only_its_own() -> None:
    assert button_data(FORM, "Save") == {
        "managing": "",
        "held_on": "2026-12-07",
        "form": "one_to_one",
        "t": "x1",
    }
    assert button_data(FORM, "Cancel") == {"command": "cancel"}


def test_a_button_is_picked_by_its_data_when_several_share_a_title() -> None:
    digest = card(
        "Things to do",
        {"type": "Action.Submit", "title": "Agree objective", "data": {"objective_id": 1}},
        {"type": "Action.Submit", "title": "Agree objective", "data": {"objective_id": 2}},
    )
    assert button_data(digest, "Agree objective", {"objective_id": 2}) == {"objective_id": 2}
    with pytest.raises(SystemExit):
        button_data(digest, "Agree objective", {"objective_id": 3})


def test_an_update_of_the_same_activity_counts_as_in_place() -> None:
    chat = Conversation()
    chat.add(event("createMessage", "m1", FORM))
    mark = chat.mark()
    chat.add(event("updateMessage", "m1", card("Cancelled")))
    ok, detail = updated_in_place(chat, "m1", mark, "Cancelled")
    assert ok, detail
    shown = chat.current("m1")
    assert shown is not None and shown.card == card("Cancelled")


def test_the_same_content_sent_below_as_a_new_message_is_not_in_place() -> None:
    chat = Conversation()
    chat.add(event("createMessage", "m1", FORM))
    mark = chat.mark()
    chat.add(event("createMessage", "m2", card("Cancelled")))
    ok, detail = updated_in_place(chat, "m1", mark, "Cancelled")
    assert not ok
    assert "NEW message m2" in detail


def test_an_update_before_the_mark_or_with_other_content_does_not_count() -> None:
    chat = Conversation()
    chat.add(event("createMessage", "m1", FORM))
    chat.add(event("updateMessage", "m1", card("Cancelled")))
    mark = chat.mark()
    assert not updated_in_place(chat, "m1", mark, "Cancelled")[0]
    chat.add(event("updateMessage", "m1", card("Saved: one-to-one with Rhys")))
    ok, detail = updated_in_place(chat, "m1", mark, "already saved")
    assert not ok
    assert "shows: Saved" in detail


def test_the_transcript_fails_when_any_check_fails_and_names_known_ones() -> None:
    lines: list[str] = []
    out = Transcript(echo=lines.append)
    out.check(True, "one")
    assert out.summary() == 0
    out.check(False, "two", "detail", known="someone is on it")
    assert out.summary() == 1
    assert "  FAIL  two" in lines
    assert "        (known: someone is on it)" in lines
    assert "  FAILED: two" in lines


def test_rhys_becomes_the_playgrounds_current_user_and_the_roster_keeps_five(
    tmp_path: Path,
) -> None:
    path = playground_config_as("D013", tmp_path)
    config = yaml.safe_load(path.read_text())
    original = yaml.safe_load(CONFIG.read_text())
    me = config["currentUser"]
    assert me["name"] == "Rhys Evans"
    assert me["email"] == me["userPrincipleName"] == "rhys.evans@demo-council.example"
    assert me["aadObjectId"] == "00000000-0000-4000-8000-000000000013"
    ids = [u["id"] for u in config["users"]]
    assert len(ids) == 5 and len({*ids, me["id"]}) == 6
    assert original["currentUser"] in config["users"]  # Priya joins the roster
    assert config["personalChat"]["id"] != original["personalChat"]["id"]
    assert config["tenantId"] == original["tenantId"] and config["bot"] == original["bot"]
