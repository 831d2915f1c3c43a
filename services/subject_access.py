"""Subject access (UK GDPR Article 15) and erasure (Article 17): `charter sar` and
`charter erase`.

A subject access report has two clearly separated parts: the records ABOUT the person (every
field, the manager's private one-to-one notes included and marked, since a manager's notes
about someone are that person's personal data), and the records the person WROTE about
others (type, id and date only: other people's content, their health details above all, is
not theirs to receive).

Erasure keeps what the council must keep (absence and return-to-work records for their
retention period, the fact an APR was held) without the free text, and removes the rest.
It applies to people who have left: while someone is employed the council needs their
records to run the employment contract. README, "Subject access and erasure", lists the
rules per record type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.audit import AuditAction, AuditEvent, AuditTrail, RecordType
from storage import erasure
from storage import subject_access as repo
from storage.database import Database

PRIVATE_NOTE_MARK = (
    "private_note: your line manager's private note from the one-to-one. It is personal data "
    "about you, so it is disclosed here; HR may withhold a note only under a UK GDPR exemption "
    "(for example where it would reveal someone else's personal data)."
)
ABOUT_NOTE = "Every record Charter holds about you, with every field."
WRITTEN_NOTE = (
    "Records you wrote or acted on about other people (as a manager or author), including "
    "reminders you were sent about them and your snoozes or 'done elsewhere' reasons. Only the "
    "record type, id and date are listed: their content is about someone else. Ask HR if "
    "you need a particular record."
)


# Conversations in progress whose content is the person's own (what they are telling HR).
# Any other dialog in progress, a one-to-one form say, holds a manager's notes about a
# report: someone else's personal data, so only the fact of it and its date are disclosed.
DIALOGS_OF_THEIR_OWN = frozenset({"FeedbackDialog"})
STATE_NOTE = (
    "conversation_state: conversations with Charter you had started and not finished, as "
    "Charter keeps them (they go once idle for the state retention period)."
)
WITHHELD = "withheld: this conversation in progress is about someone else"


def dialogs_in_progress(state: object) -> list[str]:
    """The ids of the dialogs on a conversation's dialog stack (outermost first)."""
    if not isinstance(state, dict):
        return []
    dialog_state = state.get("DialogState")
    stack = dialog_state.get("_dialog_stack") if isinstance(dialog_state, dict) else None
    if not isinstance(stack, list):
        return []
    return [str(entry.get("id")) for entry in stack if isinstance(entry, dict)]


def pending_conversation(item: dict[str, Any]) -> dict[str, Any]:
    """One state item as the subject access report shows it."""
    try:
        state = json.loads(item["data"])
    except ValueError:
        state = None
    dialogs = dialogs_in_progress(state)
    shown: dict[str, Any] = {
        "key": item["key"],
        "updated_at": item["updated_at"],
        "dialogs_in_progress": dialogs,
    }
    if all(dialog in DIALOGS_OF_THEIR_OWN for dialog in dialogs):
        shown["content"] = state
    else:
        shown["content"] = WITHHELD
    return shown


class NotFound(LookupError):
    """No employee has that email or employee id."""


@dataclass(frozen=True)
class Subject:
    pk: int
    employee_id: str
    name: str
    email: str
    left_on: date | None
    erased: bool


async def find_subject(database: Database, ref: str) -> Subject:
    async with database.sessions() as session:
        employee = await repo.find_employee(session, ref)
    if employee is None:
        raise NotFound(f"Nobody in Charter has the email or employee id {ref.strip()!r}.")
    return Subject(
        employee.id,
        employee.employee_id,
        employee.name,
        employee.email,
        employee.left_on,
        employee.erased_at is not None,
    )


async def subject_access_report(database: Database, trail: AuditTrail, ref: str) -> dict[str, Any]:
    """The report as a JSON-ready dict; the disclosure is audited before it is returned."""
    subject = await find_subject(database, ref)
    async with database.sessions() as session:
        about = await repo.records_about(session, subject.pk)
        written = await repo.records_written_about_others(session, subject.pk)
    for record in about["one_to_ones"]:
        record["private_note_is_the_managers"] = True
    about["conversation_state"] = [pending_conversation(i) for i in about["conversation_state"]]
    await trail.record(
        None,
        AuditEvent(
            AuditAction.EXPORT,
            RecordType.SUBJECT_ACCESS,
            subject.pk,
            subject.pk,
            f"subject access report: {sum(len(v) for v in about.values() if isinstance(v, list))}"
            f" records about them, {len(written)} written by them about others",
        ),
    )
    return {
        "subject_access_report": {
            "generated_at": trail.now().isoformat(),
            "employee_id": subject.employee_id,
            "name": subject.name,
            "email": subject.email,
            "notes": [ABOUT_NOTE, PRIVATE_NOTE_MARK, STATE_NOTE, WRITTEN_NOTE],
        },
        "records_about_them": about,
        "records_they_wrote_about_others": written,
    }


@dataclass(frozen=True)
class ErasureOutcome:
    subject: Subject
    done: bool
    counts: dict[str, int]
    refused_because: str | None = None


class _DryRun(Exception):
    """Raised inside the transaction to roll a preview back."""

    def __init__(self, counts: erasure.ErasureCounts) -> None:
        self.counts = counts


def refusal(subject: Subject, today: date) -> str | None:
    if subject.erased:
        return f"{subject.employee_id} has already been erased."
    if subject.left_on is None or subject.left_on > today:
        return (
            f"{subject.name} is still employed (no leaving date in the organisation chart): the "
            "council needs their records to run their employment. Erasure applies to people "
            "who have left; the org import marks leavers."
        )
    return None


async def erase(
    database: Database, trail: AuditTrail, ref: str, *, confirm: bool, today: date
) -> ErasureOutcome:
    """Erase the person (``confirm``), or work out exactly what erasing would do and change
    nothing. The erasure and its audit event are one transaction."""
    subject = await find_subject(database, ref)
    why = refusal(subject, today)
    if why is not None:
        return ErasureOutcome(subject, False, {}, why)
    try:
        async with database.transaction() as session:
            counts = await erasure.erase_person(session, subject.pk, trail.now())
            if not confirm:
                raise _DryRun(counts)
            summary = "; ".join(f"{k}: {n}" for k, n in counts.counts.items() if n)
            trail.note(
                session,
                None,
                AuditEvent(
                    AuditAction.ERASE,
                    RecordType.EMPLOYEE,
                    subject.pk,
                    subject.pk,
                    f"erased on request: {summary}",
                ),
            )
    except _DryRun as preview:
        return ErasureOutcome(subject, False, preview.counts.counts)
    return ErasureOutcome(subject, True, counts.counts)
