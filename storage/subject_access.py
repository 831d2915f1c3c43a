"""Everything stored about one person, and the records they wrote about others, as plain
dicts ready for JSON: what `charter sar` writes.

"About them" is every column of every row about them. "Written by them about others" is
only the record type, id and date of each: enough for HR to find the record, nothing of
the other person's content (their health details least of all). Reminders a manager was
sent about a report, and their snoozes and "done elsewhere" reasons, are in that second
part: a reminder's title names the report and their return to work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Absence,
    AgendaPoint,
    AgendaPrepNote,
    Apr,
    AprObjectiveReview,
    AprPreparation,
    AuditEvent,
    CadenceOverride,
    ConversationReferenceRecord,
    Delegation,
    Employee,
    Feedback,
    Nudge,
    NudgeSnooze,
    Objective,
    ObjectiveUpdate,
    OneToOne,
    OneToOneAction,
    OneToOneRevision,
    PlannedOneToOne,
    QuestionAsked,
    ReturnToWork,
)
from storage.state_store import state_items_of

Row = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def as_dict(obj: Any, *, without: tuple[str, ...] = ()) -> Row:
    return {
        column.key: _plain(getattr(obj, column.key))
        for column in obj.__table__.columns
        if column.key not in without
    }


async def find_employee(session: AsyncSession, ref: str) -> Employee | None:
    """The employee with this work email or HR employee id (erased people by their id)."""
    wanted = ref.strip()
    return await session.scalar(
        select(Employee).where(
            or_(func.lower(Employee.email) == wanted.lower(), Employee.employee_id == wanted)
        )
    )


async def _all(
    session: AsyncSession, model: Any, *where: Any, without: tuple[str, ...] = ()
) -> list[Row]:
    rows = await session.scalars(select(model).where(*where).order_by(model.id))
    return [as_dict(row, without=without) for row in rows]


async def records_about(session: AsyncSession, pk: int) -> dict[str, Any]:
    """Every row about the person, grouped by record type; children nested in parents."""
    employee = await session.get(Employee, pk)
    assert employee is not None
    manager = await session.get(Employee, employee.manager_id) if employee.manager_id else None
    person = as_dict(employee) | {"manager_email": manager.email if manager else None}
    return {
        "employee": person,
        "one_to_ones": await _one_to_ones(session, pk),
        **await _agenda(session, pk),
        "objectives": await _objectives(session, pk),
        "apr_preparations": await _all(session, AprPreparation, AprPreparation.employee_id == pk),
        "aprs": await _aprs(session, pk),
        "absences": await _all(session, Absence, Absence.employee_id == pk),
        "return_to_work": await _all(session, ReturnToWork, ReturnToWork.employee_id == pk),
        "one_to_one_interval": await _all(
            session, CadenceOverride, CadenceOverride.employee_id == pk
        ),
        **await _reminders(session, pk),
        "questions_asked": await _all(session, QuestionAsked, QuestionAsked.employee_id == pk),
        "feedback_sent": await _all(session, Feedback, Feedback.employee_id == pk),
        "delegations": await _all(
            session,
            Delegation,
            or_(Delegation.manager_id == pk, Delegation.delegate_id == pk),
        ),
        "teams_conversations": await _all(
            session,
            ConversationReferenceRecord,
            ConversationReferenceRecord.employee_id == pk,
            without=("reference_json",),
        ),
        "audit_events_about_you": await _all(session, AuditEvent, AuditEvent.subject_id == pk),
        # Raw: services.subject_access decides what of a conversation in progress is theirs.
        "conversation_state": [
            {"key": key, "data": data, "updated_at": _plain(at)}
            for key, data, at in await state_items_of(session, pk)
        ],
    }


async def _one_to_ones(session: AsyncSession, pk: int) -> list[Row]:
    one_to_ones = await _all(session, OneToOne, OneToOne.employee_id == pk)
    for record in one_to_ones:
        record["actions"] = await _all(
            session, OneToOneAction, OneToOneAction.one_to_one_id == record["id"]
        )
        record["revisions"] = await _all(
            session, OneToOneRevision, OneToOneRevision.one_to_one_id == record["id"]
        )
    return one_to_ones


async def _agenda(session: AsyncSession, pk: int) -> dict[str, list[Row]]:
    """Their agenda, the prep notes kept about them (by any manager) and their planned
    one-to-ones: all about them."""
    return {
        "one_to_one_agenda": await _all(session, AgendaPoint, AgendaPoint.employee_id == pk),
        "prep_notes_about_you": await _all(
            session, AgendaPrepNote, AgendaPrepNote.employee_id == pk
        ),
        "planned_one_to_ones": await _all(
            session, PlannedOneToOne, PlannedOneToOne.employee_id == pk
        ),
    }


async def _objectives(session: AsyncSession, pk: int) -> list[Row]:
    objectives = await _all(session, Objective, Objective.employee_id == pk)
    for objective in objectives:
        objective["updates"] = await _all(
            session, ObjectiveUpdate, ObjectiveUpdate.objective_id == objective["id"]
        )
    return objectives


async def _aprs(session: AsyncSession, pk: int) -> list[Row]:
    aprs = await _all(session, Apr, Apr.employee_id == pk)
    for apr in aprs:
        apr["objective_reviews"] = await _all(
            session, AprObjectiveReview, AprObjectiveReview.apr_id == apr["id"]
        )
    return aprs


async def _reminders(session: AsyncSession, pk: int) -> dict[str, list[Row]]:
    return {
        "reminders_about_you": await _all(
            session, Nudge, Nudge.subject_id == pk, without=("idempotency_key",)
        ),
        # Reminders about someone else (a report's return to work, say) carry that person's
        # health details in their titles: they are listed under what the person did about
        # others, by kind, id and date only.
        "reminders_sent_to_you": await _all(
            session,
            Nudge,
            Nudge.recipient_id == pk,
            _about_self_or_nobody(pk),
            without=("idempotency_key",),
        ),
        "reminders_snoozed": await _all(
            session,
            NudgeSnooze,
            NudgeSnooze.recipient_id == pk,
            NudgeSnooze.item_key.in_(_item_keys_about_self(pk)),
        ),
    }


def _about_self_or_nobody(pk: int) -> Any:
    return or_(Nudge.subject_id.is_(None), Nudge.subject_id == pk)


def _item_keys_about_self(pk: int) -> Any:
    """Item keys of the person's reminders that are about themselves (or nobody).

    A snooze or "done elsewhere" names only the reminder's item key; the reminders sent for
    that key say whom it is about. A snooze whose reminders are gone (retention) counts as
    about someone else: its reason is withheld rather than risk disclosing a third party.
    """
    return select(Nudge.item_key).where(Nudge.recipient_id == pk, _about_self_or_nobody(pk))


async def _refs(
    session: AsyncSession, record_type: str, model: Any, when: Any, *where: Any
) -> list[Row]:
    rows = await session.execute(select(model.id, when).where(*where).order_by(model.id))
    return [{"record_type": record_type, "id": pk, "date": _plain(at)} for pk, at in rows]


async def records_written_about_others(session: AsyncSession, pk: int) -> list[Row]:
    """Record type, id and date of what the person wrote or did about other people."""
    return [
        *await _records_written(session, pk),
        *await _reminders_about_others(session, pk),
        *await _snoozes_about_others(session, pk),
        *await _actions_about_others(session, pk),
    ]


async def _records_written(session: AsyncSession, pk: int) -> list[Row]:
    """The records the person wrote about other people: type, id and date."""
    theirs_not = OneToOne.employee_id != pk
    others_objective = Objective.employee_id != pk
    found: list[Row] = []
    found += await _refs(
        session, "one_to_one", OneToOne, OneToOne.held_on, OneToOne.manager_id == pk, theirs_not
    )
    found += await _refs(
        session,
        "one_to_one_revision",
        OneToOneRevision,
        OneToOneRevision.changed_at,
        OneToOneRevision.changed_by_id == pk,
        OneToOneRevision.one_to_one_id.in_(select(OneToOne.id).where(theirs_not)),
    )
    found += await _refs(
        session,
        "objective",
        Objective,
        Objective.created_at,
        or_(Objective.created_by_id == pk, Objective.agreed_by_id == pk),
        others_objective,
    )
    found += await _refs(
        session,
        "objective_update",
        ObjectiveUpdate,
        ObjectiveUpdate.created_at,
        ObjectiveUpdate.author_id == pk,
        ObjectiveUpdate.objective_id.in_(select(Objective.id).where(others_objective)),
    )
    found += await _agenda_written(session, pk)
    found += await _refs(
        session, "apr", Apr, Apr.held_on, Apr.manager_id == pk, Apr.employee_id != pk
    )
    found += await _refs(
        session,
        "absence",
        Absence,
        Absence.start_date,
        Absence.recorded_by_id == pk,
        Absence.employee_id != pk,
    )
    found += await _refs(
        session,
        "return_to_work",
        ReturnToWork,
        ReturnToWork.held_on,
        ReturnToWork.manager_id == pk,
        ReturnToWork.employee_id != pk,
    )
    found += await _refs(
        session,
        "delegation",
        Delegation,
        Delegation.created_at,
        Delegation.created_by_id == pk,
    )
    return found


async def _agenda_written(session: AsyncSession, pk: int) -> list[Row]:
    """Points they added to someone else's agenda, their prep notes about reports, and the
    one-to-ones they planned with others."""
    found = await _refs(
        session,
        "agenda_point",
        AgendaPoint,
        AgendaPoint.added_at,
        AgendaPoint.added_by_id == pk,
        AgendaPoint.employee_id != pk,
    )
    found += await _refs(
        session,
        "agenda_prep_note",
        AgendaPrepNote,
        AgendaPrepNote.updated_at,
        AgendaPrepNote.manager_id == pk,
        AgendaPrepNote.employee_id != pk,
    )
    found += await _refs(
        session,
        "planned_one_to_one",
        PlannedOneToOne,
        PlannedOneToOne.starts_at,
        PlannedOneToOne.set_by_id == pk,
        PlannedOneToOne.employee_id != pk,
    )
    return found


async def _reminders_about_others(session: AsyncSession, pk: int) -> list[Row]:
    reminders = await session.execute(
        select(Nudge.id, Nudge.created_at, Nudge.kind)
        .where(Nudge.recipient_id == pk, ~_about_self_or_nobody(pk))
        .order_by(Nudge.id)
    )
    return [
        {"record_type": "reminder", "id": nudge_id, "date": _plain(at), "what": kind}
        for nudge_id, at, kind in reminders
    ]


async def _snoozes_about_others(session: AsyncSession, pk: int) -> list[Row]:
    snoozes = await session.execute(
        select(NudgeSnooze.id, NudgeSnooze.created_at, NudgeSnooze.done_reason)
        .where(
            NudgeSnooze.recipient_id == pk,
            NudgeSnooze.item_key.not_in(_item_keys_about_self(pk)),
        )
        .order_by(NudgeSnooze.id)
    )
    return [
        {
            "record_type": "reminder_snooze",
            "id": snooze_id,
            "date": _plain(at),
            "what": "done elsewhere" if reason is not None else "snoozed",
        }
        for snooze_id, at, reason in snoozes
    ]


async def _actions_about_others(session: AsyncSession, pk: int) -> list[Row]:
    """Audited actions on records about someone else (or about nobody)."""
    actions = await session.execute(
        select(AuditEvent.id, AuditEvent.at, AuditEvent.action, AuditEvent.record_type)
        .where(
            AuditEvent.actor_id == pk,
            or_(AuditEvent.subject_id.is_(None), AuditEvent.subject_id != pk),
        )
        .order_by(AuditEvent.id)
    )
    return [
        {
            "record_type": "audit_event",
            "id": event_id,
            "date": _plain(at),
            "what": f"{action} {record_type}",
        }
        for event_id, at, action, record_type in actions
    ]
