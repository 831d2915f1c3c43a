"""Absence and return-to-work in chat. Every card is answered in one turn and checked on the
server: only the line manager records, only they, HR and the employee see."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from dialogs import cards, kit
from dialogs.absence import views
from dialogs.kit import pick_report, send_card
from dialogs.responses import employee_response, request_acknowledgement
from domain.date_words import format_uk
from domain.people import Person
from services.absence import DatesToConfirm, InvalidAbsence
from services.registry import Services


async def off_sick(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    *,
    name: str | None,
    employee_ref: object,
) -> None:
    report = await pick_report(
        turn_context, services, manager, name, employee_ref, "record_absence", "Who is off sick?"
    )
    if report is not None:
        await send_card(
            turn_context,
            views.absence_start_card(
                report, services.absence.policy.reasons, services.clock.today()
            ),
        )


async def _start_form_again(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    value: dict[str, Any],
    problems: list[str],
) -> None:
    report = await services.absence.report_of(manager, value.get("employee_id"))
    await kit.card_becomes(
        turn_context,
        views.absence_start_card(
            report,
            services.absence.policy.reasons,
            services.clock.today(),
            values=value,
            problems=problems,
        ),
    )


async def submit_start(
    turn_context: TurnContext, services: Services, manager: Person, value: dict[str, Any]
) -> None:
    if views.wants_to_change_dates(value):
        await _start_form_again(turn_context, services, manager, value, [])
        return
    try:
        report, absence = await services.absence.record_start(
            manager, value.get("employee_id"), value
        )
    except InvalidAbsence as invalid:
        await _start_form_again(turn_context, services, manager, value, invalid.problems)
        return
    except DatesToConfirm as ask:
        question = views.dates_question_card("Not a working day", ask.question, value)
        await kit.card_becomes(turn_context, question)
        return
    recorded = (
        f"Recorded: {report.first_name} off sick from {format_uk(absence.start_date)}. "
        f"When they return, say **{report.first_name} is back** and I'll set up the "
        "return-to-work conversation."
    )
    footer = kit.done_by(manager, "Recorded", services)
    closed = cards.closed_card(f"{report.name}: off sick", [recorded], footer)
    await kit.form_saved(turn_context, closed, otherwise=recorded)


async def back(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    *,
    name: str | None,
    employee_ref: object,
) -> None:
    report = await pick_report(
        turn_context, services, manager, name, employee_ref, "back_at_work", "Who is back?"
    )
    if report is None:
        return
    _, ongoing = await services.absence.ongoing_absence(manager, report.employee_id)
    if ongoing is None:
        await turn_context.send_activity(
            f"{report.first_name} has no open absence. To record a return to work after an "
            f"absence HR loaded, say **log return to work for {report.first_name}**."
        )
        return
    await send_card(turn_context, views.absence_end_card(report, ongoing, services.clock.today()))


async def submit_end(
    turn_context: TurnContext, services: Services, manager: Person, value: dict[str, Any]
) -> None:
    if views.wants_to_change_dates(value):
        report, absence = await services.absence.absence_to_end(manager, value.get("absence_id"))
        today = services.clock.today()
        again = views.absence_end_card(report, absence, today, values=value)
        await kit.card_becomes(turn_context, again)
        return
    try:
        report, absence, due = await services.absence.record_end(
            manager, value.get("absence_id"), value
        )
    except DatesToConfirm as ask:
        question = views.dates_question_card("No working days", ask.question, value)
        await kit.card_becomes(turn_context, question)
        return
    footer = kit.done_by(manager, "Recorded", services)
    ended = views.absence_ended_card(report, absence, due)
    await kit.form_saved(turn_context, cards.with_footer(ended, footer, ended.get("actions")))


async def log_rtw(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    *,
    name: str | None,
    employee_ref: object,
) -> None:
    report = await pick_report(
        turn_context, services, manager, name, employee_ref, "log_rtw", "Whose return to work?"
    )
    if report is None:
        return
    _, waiting = await services.absence.waiting_for_rtw(manager, report.employee_id)
    if not waiting:
        await turn_context.send_activity(
            f"No return-to-work conversation is waiting for {report.first_name}: every "
            "sickness absence that has ended has one recorded."
        )
        return
    if len(waiting) == 1:
        await show_rtw(turn_context, services, manager, {"absence_id": waiting[0].id})
        return
    await send_card(
        turn_context,
        cards.card(
            [
                cards.text(
                    f"{report.first_name} has {len(waiting)} absences without a return-to-work "
                    "record. Which one?"
                )
            ],
            [
                cards.submit(
                    f"{a.start_date:%-d %b} to {a.end_date:%-d %b %Y}",
                    {"form": views.SHOW_RTW, "absence_id": a.id},
                )
                for a in waiting
            ],
        ),
    )


async def show_rtw(
    turn_context: TurnContext, services: Services, manager: Person, value: dict[str, Any]
) -> None:
    context = await services.absence.rtw_context(manager, value.get("absence_id"))
    if context.existing is not None:
        await turn_context.send_activity(
            f"The return-to-work conversation for that absence was recorded on "
            f"{format_uk(context.existing.held_on)}."
        )
        return
    await send_card(
        turn_context,
        views.rtw_card(context, services.absence.policy.reasons, services.clock.today()),
    )


async def _rtw_form_again(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    value: dict[str, Any],
    problems: list[str],
) -> None:
    context = await services.absence.rtw_context(manager, value.get("absence_id"))
    await kit.card_becomes(
        turn_context,
        views.rtw_card(
            context,
            services.absence.policy.reasons,
            services.clock.today(),
            values=value,
            problems=problems,
        ),
    )


async def submit_rtw(
    turn_context: TurnContext, services: Services, manager: Person, value: dict[str, Any]
) -> None:
    if views.wants_to_change_dates(value):
        await _rtw_form_again(turn_context, services, manager, value, [])
        return
    try:
        context, rtw = await services.absence.log_rtw(manager, value.get("absence_id"), value)
    except InvalidAbsence as invalid:
        await _rtw_form_again(turn_context, services, manager, value, invalid.problems)
        return
    except DatesToConfirm as ask:
        question = views.dates_question_card(
            "Not a working day", ask.question, value, record="Save anyway", change="Change date"
        )
        await kit.card_becomes(turn_context, question)
        return
    footer = kit.done_by(manager, "Saved", services)
    await request_acknowledgement(
        turn_context,
        services,
        context.report,
        views.rtw_employee_card(manager.name, context.absence, rtw),
        "Your return to work: please acknowledge",
        what="the record",
        confirm=lambda: kit.form_saved(
            turn_context, cards.with_footer(views.rtw_saved_card(context, rtw), footer)
        ),
    )


async def respond_to_rtw(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    await employee_response(
        turn_context,
        services,
        person,
        value,
        comment_form=views.RTW_COMMENT,
        id_key="rtw_id",
        respond=services.absence.respond,
        notice=views.rtw_comment_notice,
        what="it",
    )


async def absences_for(
    turn_context: TurnContext,
    services: Services,
    viewer: Person,
    *,
    name: str | None,
    employee_ref: object,
) -> None:
    """A manager sees their reports'; an HR admin may look anyone up by name."""
    subject: Person | None = None
    if viewer.is_hr_admin and name:
        matches = await services.directory.active_people_named(name)
        if len(matches) != 1:
            await turn_context.send_activity(
                f"I found {len(matches)} people matching \u201c{name}\u201d; please give their "
                "full name."
            )
            return
        subject = matches[0]
    else:
        subject = await pick_report(
            turn_context,
            services,
            viewer,
            name,
            employee_ref,
            "absences_for",
            "Whose absence record?",
        )
    if subject is None:
        return
    summary = await services.absence.summary(viewer, subject)
    await send_card(turn_context, views.absence_summary_card(summary, own=False))


async def my_absence(turn_context: TurnContext, services: Services, person: Person) -> None:
    summary = await services.absence.summary(person, person)
    await send_card(turn_context, views.absence_summary_card(summary, own=True))
