"""Issue #9's acceptance: for each record type, a user who is not entitled gets nothing
through any command or card submit, over the real HTTP app.

The subject is Daniel Kowalski (Tom Griffiths' report). A manager of another team (Priya),
a member of staff in her team (Margaret), someone outside the organisation (Sam) and an
acting manager of Tom's team whose delegation ended last week (Aisha) each try every text
command and button that reads or writes one-to-ones (private notes too),
objectives, APRs, absences and return-to-work records for Daniel, and submit every card
form with Daniel's real employee id and record ids; Tom's own manager (David, a skip-level
manager) tries every absence and return-to-work command and form. Each turn gets a reply
that is not an error, no reply carries anything from Daniel's records (free text, and for
absences the dates, the reason's words and his trigger status), and nothing about Daniel
changes.

The tables are keyed by form and command name, and a test checks they cover every form the
router answers, so a new form cannot be forgotten here.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from dialogs.agenda import views as agenda_forms
from dialogs.one_to_ones import views as one_to_one_forms
from dialogs.router import STATELESS_FORMS
from services.demo import demo_aad_object_id
from storage import delegations
from storage.database import Database
from storage.models import (
    Absence,
    AgendaPoint,
    AgendaPrepNote,
    Apr,
    AprObjectiveReview,
    AprPreparation,
    CadenceOverride,
    Employee,
    Objective,
    ObjectiveUpdate,
    OneToOne,
    OneToOneAction,
    OneToOneRevision,
    PlannedOneToOne,
    ReturnToWork,
)
from storage.subject_access import as_dict
from tests.e2e.conftest import NOW
from tests.support.people import DAVID_HEAD, MARGARET_STAFF, PRIYA_MANAGER, STRANGER
from tests.support.server import RunningBot
from tests.support.teams import ConnectorStandIn, TeamsUser, activity

SUBJECT_EMAIL = "daniel.kowalski@demo-council.example"
TODAY = NOW.date().isoformat()

# Every card form -> the record type it reads or writes (None: not a personal record, but it
# is submitted with Daniel's ids all the same).
FORMS: dict[str, str | None] = {
    one_to_one_forms.FORM: "one_to_one",
    one_to_one_forms.EDIT: "one_to_one",
    one_to_one_forms.ACK: "one_to_one",
    one_to_one_forms.COMMENT: "one_to_one",
    one_to_one_forms.ACTION_DONE: "one_to_one",
    "objective": "objective",
    "objective_agree": "objective",
    "objective_review": "objective",
    "objective_discuss": "objective",
    "objective_progress_card": "objective",
    "objective_progress": "objective",
    "objective_edit": "objective",
    "apr_prepare": "apr",
    "apr_record": "apr",
    "apr_ack": "apr",
    "apr_comment": "apr",
    "absence_start": "absence",
    "absence_end": "absence",
    "rtw_card": "return_to_work",
    "rtw": "return_to_work",
    "rtw_ack": "return_to_work",
    "rtw_comment": "return_to_work",
    agenda_forms.ADD: "agenda",
    agenda_forms.PREP_NOTE: "agenda",
    agenda_forms.PLAN: "agenda",
    agenda_forms.OUTCOME: "agenda",
    "nudge_snooze": None,
    "nudge_done": None,
    "nudge_review": None,
    "nudge_agree": None,
    "nudge_changes": None,
    # The day-before invitation: to the presser's own agenda, whatever ids the card sends.
    "nudge_agenda_add": "agenda",
    "end_delegation": None,
    "confirm_delegation": None,
    "answer_section": None,
    "answer_rating": None,
    "answer_refer": None,
}

# Typed commands naming the subject, by record type.
TEXT_COMMANDS: dict[str, tuple[str, ...]] = {
    "one_to_one": (
        "one-to-ones with Daniel",
        "show Daniel's one-to-ones",
        "ask what did Daniel say in his last one-to-one",
        "log a one-to-one with Daniel",
        "1:1 with Daniel yesterday",
    ),
    "objective": ("objectives for Daniel", "propose objective for Daniel"),
    "apr": ("record apr for Daniel", "apr for Daniel"),
    "absence": (
        "absences for Daniel",
        "sickness record for Daniel",
        "record sickness for Daniel",
        "Daniel is off sick",
        "Daniel is back",
        "back at work Daniel",
    ),
    "return_to_work": ("log rtw", "return to work for Daniel"),
    "team": ("team for Tom", "scorecard for Daniel"),
    "agenda": (
        "agenda for Daniel",
        "next 1:1 with Daniel Tuesday 10am",
        "next 1:1 with Daniel",
        "1:1 prep for Daniel",
        "did we meet",
    ),
}

# Buttons (Action.Submit with a command) carrying the subject's employee id.
BUTTON_COMMANDS = (
    "log_one_to_one",
    "one_to_ones",
    "objectives_for",
    "propose_objective",
    "record_apr",
    "record_absence",
    "back_at_work",
    "log_rtw",
    "absences_for",
    "team_for",
    "scorecard",
    "agenda_for",
    "next_one_to_one",
    agenda_forms.PREP_COMMAND,
    agenda_forms.MET_COMMAND,
)

# Acted for Tom's team until last Friday: entitled then, not now.
AISHA_FORMER_ACTING = TeamsUser(
    "Aisha Khan", demo_aad_object_id(5), "aisha.khan@demo-council.example"
)
INTRUDERS = (PRIYA_MANAGER, MARGARET_STAFF, STRANGER, AISHA_FORMER_ACTING)
# Tom's manager: a skip-level manager, not entitled to Daniel's health records.
HEALTH_RECORDS = ("absence", "return_to_work")
# Nor to the agenda of Daniel and Tom, nor Tom's prep note or prep card.
SKIP_LEVEL_RECORDS = (*HEALTH_RECORDS, "agenda")
SKIP_LEVEL = DAVID_HEAD
SKIP_LEVEL_BUTTONS = (
    "record_absence",
    "back_at_work",
    "log_rtw",
    "absences_for",
    "agenda_for",
    "next_one_to_one",
    agenda_forms.PREP_COMMAND,
    agenda_forms.MET_COMMAND,
)
# Phrases of a trigger status (domain/triggers.py): none may reach an intruder.
TRIGGER_WORDS = ("trigger point", " occasion in ", "occasions in ")


def test_every_form_the_router_answers_is_in_the_table() -> None:
    forms = set(STATELESS_FORMS) | {one_to_one_forms.FORM, one_to_one_forms.EDIT}
    assert forms <= set(FORMS), f"add these forms to FORMS: {sorted(forms - set(FORMS))}"


async def _subject_records(database: Database) -> dict[str, Any]:
    """Daniel's ids and every row about him, to compare before and after."""
    async with database.sessions() as session:
        daniel = await session.scalar(select(Employee).where(Employee.email == SUBJECT_EMAIL))
        assert daniel is not None
        pk = daniel.id
        rows: dict[str, list[dict[str, Any]]] = {"employee": [as_dict(daniel)]}
        for name, model, where in (
            ("one_to_one", OneToOne, OneToOne.employee_id == pk),
            ("one_to_one_action", OneToOneAction, OneToOneAction.employee_id == pk),
            (
                "one_to_one_revision",
                OneToOneRevision,
                OneToOneRevision.one_to_one_id.in_(
                    select(OneToOne.id).where(OneToOne.employee_id == pk)
                ),
            ),
            ("objective", Objective, Objective.employee_id == pk),
            (
                "objective_update",
                ObjectiveUpdate,
                ObjectiveUpdate.objective_id.in_(
                    select(Objective.id).where(Objective.employee_id == pk)
                ),
            ),
            ("apr", Apr, Apr.employee_id == pk),
            (
                "apr_objective_review",
                AprObjectiveReview,
                AprObjectiveReview.apr_id.in_(select(Apr.id).where(Apr.employee_id == pk)),
            ),
            ("apr_preparation", AprPreparation, AprPreparation.employee_id == pk),
            ("absence", Absence, Absence.employee_id == pk),
            ("return_to_work", ReturnToWork, ReturnToWork.employee_id == pk),
            ("cadence_override", CadenceOverride, CadenceOverride.employee_id == pk),
            ("agenda_point", AgendaPoint, AgendaPoint.employee_id == pk),
            ("agenda_prep_note", AgendaPrepNote, AgendaPrepNote.employee_id == pk),
            ("planned_one_to_one", PlannedOneToOne, PlannedOneToOne.employee_id == pk),
        ):
            found = await session.scalars(select(model).where(where).order_by(model.id))
            rows[name] = [as_dict(row) for row in found]
    return {"pk": pk, "employee_id": daniel.employee_id, "rows": rows}


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def _absence_secrets(rows: list[dict[str, Any]]) -> list[str]:
    """Daniel's absence dates as the cards write them, and the words of his reasons."""
    found: set[str] = set()
    for row in rows:
        for name in ("start_date", "end_date"):
            day = _day(row.get(name))
            if day is not None:
                found |= {f"{day:%-d %B %Y}", f"{day:%-d %B}", f"{day:%-d %b %Y}"}
        for word in re.findall(r"[A-Za-z]{4,}", row.get("reason_category") or ""):
            found.add(word.lower())
    return sorted(found)


def _secrets(rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Record-specific text that must never reach an intruder."""
    fields = {
        "one_to_one": (
            "private_note",
            "managing",
            "developing",
            "supporting",
            "wellbeing",
            "shared_notes",
        ),
        "one_to_one_action": ("text",),
        "objective": ("title", "measure"),
        "objective_update": ("comment",),
        "apr": ("overall_comments", "development_needs", "learning_needs", "employee_comment"),
        "apr_preparation": ("obstacles", "development_wishes", "support_wanted"),
        "return_to_work": ("notes", "employee_comments", "employee_comment"),
        "agenda_point": ("text",),
        "agenda_prep_note": ("note",),
    }
    found = []
    for table, names in fields.items():
        for row in rows[table]:
            for name in names:
                text = row.get(name)
                if isinstance(text, str) and len(text.strip()) >= 12:
                    found.append(text.strip()[:40])
    return found + _absence_secrets(rows["absence"])


def _first(rows: list[dict[str, Any]]) -> Any:
    return rows[0]["id"] if rows else 999_999


def _form_values(form: str, subject: dict[str, Any]) -> dict[str, Any]:
    """A submit of ``form`` that would be valid if the sender were entitled: Daniel's real
    ids, plus every field any form asks for."""
    rows = subject["rows"]
    return {
        "form": form,
        "employee_id": subject["employee_id"],
        "record_id": _first(rows["one_to_one"]),
        "one_to_one_id": _first(rows["one_to_one"]),
        "action_id": _first(rows["one_to_one_action"]),
        "done_action_ids": str(_first(rows["one_to_one_action"])),
        "objective_id": _first(rows["objective"]),
        "apr_id": _first(rows["apr"]),
        "absence_id": _first(rows["absence"]),
        "rtw_id": _first(rows["return_to_work"]),
        "delegation_id": 1,
        "digest_id": 1,
        "question_id": 1,
        "section_id": "one-to-ones",
        "item_key": f"rtw:{_first(rows['absence'])}",
        "helpful": "up",
        "comment": "Intruder comment",
        "agenda_point": "Intruder agenda point",
        "reason": "Done elsewhere by an intruder",
        "mode": "propose",
        "title": "Intruder objective for Daniel",
        "measure": "Intruder measure",
        "priority_id": "1",
        "percent": "90",
        "rag": "green",
        "held_on": TODAY,
        "start_date": TODAY,
        "end_date": TODAY,
        "expected_return": TODAY,
        "outcome": "no_further_action",
        "notes": "Intruder notes",
        "managing": "Intruder managing notes",
        "private_note": "Intruder private note",
        "overall_comments": "Intruder APR comments",
        "obstacles": "Intruder obstacles",
        "text": "Intruder agenda point",
        "note": "Intruder prep note",
        "day": TODAY,
        "time": "10:00",
        "confirmed": "true",
    }


async def _turn(bot: RunningBot, connector: ConnectorStandIn, user: TeamsUser, **body: Any) -> str:
    connector.clear()
    response = await bot.post(activity(user, connector.url, **body))
    assert response.status in (200, 201, 202), (user.name, body, response.status)
    replies = await connector.wait_for(1)
    return json.dumps(replies, ensure_ascii=False)


async def test_nobody_but_the_entitled_gets_anything_about_daniel(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    before = await _subject_records(demo_db)
    secrets = _secrets(before["rows"])
    assert len(secrets) >= 5, "the demo subject should have records with text to protect"
    assert before["rows"]["absence"], "the demo subject should have an absence to protect"
    await _delegation_that_ended(demo_db)
    for user in (*INTRUDERS, SKIP_LEVEL):
        connector.add_member(user)
        await _turn(bot, connector, user, text="hello")

    tried: list[tuple[str, str, str]] = []
    for user in INTRUDERS:
        for record_type, commands in TEXT_COMMANDS.items():
            for text in commands:
                tried.append((user.name, record_type, text))
                said = await _turn(bot, connector, user, text=text)
                _assert_nothing_leaked(said, secrets, user, text)
        for command in BUTTON_COMMANDS:
            value = {"command": command, "employee_id": before["employee_id"]}
            said = await _turn(bot, connector, user, value=value)
            _assert_nothing_leaked(said, secrets, user, command)
        for form in FORMS:
            said = await _turn(bot, connector, user, value=_form_values(form, before))
            _assert_nothing_leaked(said, secrets, user, form)

    health = [
        *({"text": t} for r in SKIP_LEVEL_RECORDS for t in TEXT_COMMANDS[r]),
        *(
            {"value": {"command": c, "employee_id": before["employee_id"]}}
            for c in SKIP_LEVEL_BUTTONS
        ),
        *(
            {"value": _form_values(form, before)}
            for form, record_type in FORMS.items()
            if record_type in SKIP_LEVEL_RECORDS
        ),
    ]
    for body in health:
        said = await _turn(bot, connector, SKIP_LEVEL, **body)
        _assert_nothing_leaked(said, secrets, SKIP_LEVEL, json.dumps(body)[:80])

    after = await _subject_records(demo_db)
    for table, rows in before["rows"].items():
        assert after["rows"][table] == rows, f"{table} about Daniel changed"
    assert {r for _, r, _ in tried} >= {
        "one_to_one",
        "objective",
        "apr",
        "absence",
        "return_to_work",
        "agenda",
    }


async def _delegation_that_ended(database: Database) -> None:
    """Aisha acted for Tom's team for two weeks, ending the Friday before today."""
    ended = NOW.date() - timedelta(days=3)
    async with database.transaction() as session:
        ids = {
            email: pk for email, pk in await session.execute(select(Employee.email, Employee.id))
        }
        await delegations.add_delegation(
            session,
            manager_pk=ids["tom.griffiths@demo-council.example"],
            delegate_pk=ids[AISHA_FORMER_ACTING.email],
            starts_on=ended - timedelta(days=13),
            ends_on=ended,
            created_by_pk=None,
            created_via="cli",
            now=NOW - timedelta(days=20),
            confirmed=True,
        )


def _assert_nothing_leaked(said: str, secrets: list[str], user: TeamsUser, what: str) -> None:
    assert "something went wrong" not in said, f"{user.name} / {what}: an error, not a refusal"
    lowered = said.lower()
    for secret in secrets:
        assert secret.lower() not in lowered, f"{user.name} / {what} revealed {secret!r}"
    for phrase in TRIGGER_WORDS:
        assert phrase not in lowered, f"{user.name} / {what} revealed a trigger status"
