"""The agenda's requests, each answered in one turn. Every employee id a card sends is checked
again by the service (``services.agenda``); an employee's own agenda is found from who they
are, never from an id."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from botbuilder.core import TurnContext

from dialogs import cards
from dialogs.agenda import views
from dialogs.kit import pick_report, send_card
from dialogs.routes import Request
from domain import form_values
from domain.agenda import InvalidAgenda, PlanStatus
from domain.people import Person
from services.agenda import AgendaService
from services.one_to_one_prep import PrepService
from services.registry import Services

DEFAULT_TIME = time(10, 0)


def agenda_service(services: Services) -> AgendaService:
    return AgendaService(
        services.database,
        services.clock,
        services.audit,
        cadence_days=services.one_to_ones.policy.default_cadence_days,
    )


def _moment(services: Services, day: date, at: time | None) -> datetime:
    return datetime.combine(day, at or DEFAULT_TIME, tzinfo=services.clock.tz)


def _form_moment(services: Services, value: dict[str, Any]) -> datetime:
    day = form_values.iso_date(value, "day")
    if day is None:
        raise InvalidAgenda("Please choose the date.")
    raw = form_values.text(value, "time") or "10:00"
    try:
        at = time.fromisoformat(raw[:5])
    except ValueError:
        raise InvalidAgenda("Please give the time as hours and minutes, like 10:00.") from None
    return _moment(services, day, at)


async def add_point(request: Request) -> None:
    """ "add to my 1:1 agenda: …", the Add button on a card, or an agenda card's box."""
    services, me = request.services, request.person
    text = request.options.get("text") if not request.value else request.value.get("text")
    if not isinstance(text, str) or not text.strip():
        await send_card(request.turn_context, views.add_point_card())
        return
    ref = request.value.get("employee_id") if request.value else None
    point, employee, other = await agenda_service(services).add_point(me, text, ref)
    whose = "your" if employee.id == me.id else f"{employee.first_name}'s"
    with_whom = f" with {other.first_name}" if employee.id == me.id else ""
    await request.turn_context.send_activity(
        f"Added to {whose} one-to-one agenda{with_whom}: {cards.plain(point.text)}"
    )


async def my_agenda(turn_context: TurnContext, services: Services, me: Person) -> None:
    service = agenda_service(services)
    manager = await service.my_manager(me)
    agenda = await service.my_agenda(me)
    await send_card(turn_context, views.my_agenda_card(agenda, manager, services.clock.today()))


async def _report(request: Request, command: str, question: str) -> Person | None:
    return await pick_report(
        request.turn_context,
        request.services,
        request.person,
        request.name,
        request.employee_ref,
        command,
        question,
    )


async def agenda_for(request: Request) -> None:
    report = await _report(request, "agenda_for", "Whose agenda would you like to see?")
    if report is None:
        return
    agenda = await agenda_service(request.services).agenda_for(request.person, report.employee_id)
    await send_card(
        request.turn_context, views.manager_agenda_card(agenda, request.services.clock.today())
    )


async def prep(request: Request) -> None:
    report = await _report(request, views.PREP_COMMAND, "Whose prep card would you like?")
    if report is None:
        return
    services = request.services
    found = await PrepService(
        agenda_service(services), services.database, services.staff_rules
    ).prep(request.person, report.employee_id)
    await send_card(request.turn_context, views.prep_card(found, services.clock.today()))


async def next_one_to_one(request: Request) -> None:
    """ "next 1:1 with Rhys Tuesday 10am": plan it (asking first about odd times); with no day,
    propose one from the cadence."""
    report = await _report(request, "next_one_to_one", "Whose next one-to-one?")
    if report is None:
        return
    services, today = request.services, request.services.clock.today()
    service = agenda_service(services)
    day = request.options.get("day")
    if not isinstance(day, str):
        _, proposed = await service.proposal(request.person, report.employee_id)
        await send_card(
            request.turn_context, views.plan_card(report, proposed, today, questions=())
        )
        return
    at = request.options.get("at")
    starts = _moment(
        services, date.fromisoformat(day), time.fromisoformat(at) if isinstance(at, str) else None
    )
    await _plan(request, report.employee_id, starts, confirmed=False)


async def plan_form(request: Request) -> None:
    starts = _form_moment(request.services, request.value)
    confirmed = str(request.value.get("confirmed", "")).lower() == "true"
    await _plan(request, request.value.get("employee_id"), starts, confirmed=confirmed)


async def _plan(request: Request, ref: object, starts: datetime, *, confirmed: bool) -> None:
    services = request.services
    answer = await agenda_service(services).plan(request.person, ref, starts, confirmed=confirmed)
    if answer.saved is None:
        card = views.plan_card(
            answer.report, starts, services.clock.today(), questions=answer.questions
        )
        await send_card(request.turn_context, card)
        return
    await request.turn_context.send_activity(views.planned_text(answer.report, starts))


async def prep_note(request: Request) -> None:
    report = await agenda_service(request.services).set_prep_note(
        request.person, request.value.get("employee_id"), request.value.get("note")
    )
    await request.turn_context.send_activity(
        f"Saved your prep note for {report.first_name} (only you see it)."
    )


async def did_you_meet(request: Request) -> None:
    report = await _report(request, views.MET_COMMAND, "Which one-to-one?")
    if report is None:
        return
    services = request.services
    agenda = await agenda_service(services).agenda_for(request.person, report.employee_id)
    planned = agenda.planned.starts_at if agenda.planned else None
    await send_card(
        request.turn_context, views.did_you_meet_card(report, planned, services.clock.today())
    )


async def outcome(request: Request) -> None:
    services, value = request.services, request.value
    status = PlanStatus.MOVED if value.get("outcome") == "moved" else PlanStatus.MISSED
    moved_to = _form_moment(services, value) if status is PlanStatus.MOVED else None
    report, planned = await agenda_service(services).outcome(
        request.person, value.get("employee_id"), status, moved_to
    )
    if planned is not None:
        await request.turn_context.send_activity(views.planned_text(report, planned.starts_at))
    else:
        await request.turn_context.send_activity(
            f"Noted: your one-to-one with {report.first_name} didn't happen. "
            "Plan the next one with **next 1:1 with "
            f"{report.first_name}**."
        )
