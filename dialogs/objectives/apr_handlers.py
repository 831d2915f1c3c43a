"""Annual Performance Reviews in chat: the employee prepares, the manager records, the
employee acknowledges or comments. Every card is checked again on the server."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from dialogs import cards, kit
from dialogs.kit import pick_report, send_card, tell
from dialogs.objectives import apr_views
from dialogs.responses import employee_response, request_acknowledgement
from domain.people import Person
from services.aprs import InvalidApr
from services.registry import Services


async def prepare_apr(turn_context: TurnContext, services: Services, person: Person) -> None:
    status = await services.aprs.status_of(person)
    objectives, prep = await services.aprs.preparation(person)
    saved = None
    if prep is not None:
        saved = {
            "achievements": prep.achievements,
            "obstacles": prep.obstacles,
            "development_wishes": prep.development_wishes,
            "support_wanted": prep.support_wanted,
        }
    await send_card(
        turn_context,
        apr_views.apr_preparation_card(
            status_text=apr_views.apr_status_text(status), objectives=objectives, saved=saved
        ),
    )


async def submit_preparation(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        prep = await services.aprs.prepare(person, value)
    except InvalidApr as invalid:
        objectives, _ = await services.aprs.preparation(person)
        status = await services.aprs.status_of(person)
        # The same card back in place: each problem beside its answer, what was typed kept.
        await kit.card_becomes(
            turn_context,
            apr_views.apr_preparation_card(
                status_text=apr_views.apr_status_text(status),
                objectives=objectives,
                saved=value,
                problems=invalid.problems,
            ),
        )
        return
    lines = [f"**{person.name}** has prepared for their APR ({prep.cycle_label})."]
    for label, text in (
        ("Got in the way", prep.obstacles),
        ("Wants to develop", prep.development_wishes),
        ("Support wanted", prep.support_wanted),
    ):
        if text:
            lines.append(f"**{label}:** {cards.plain(text)}")
    card = cards.card(
        [cards.text(line) for line in lines],
        [
            cards.submit(
                f"Open {person.first_name}'s APR",
                {"command": "record_apr", "employee_id": person.employee_id},
            )
        ],
    )
    reached = await tell(
        services, person.manager_id, card, f"{person.first_name} prepared for their APR"
    )
    said = (
        "Saved and shared with your manager."
        if reached
        else "Saved. Your manager will see it when they record your APR."
    )
    # The form becomes what was shared; "prepare my APR" opens it again to change it.
    footer = kit.done_by(person, "Shared", services)
    closed = cards.closed_card(f"APR preparation saved ({prep.cycle_label})", [said], footer)
    await kit.form_saved(turn_context, closed, otherwise=said)


async def record_apr(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    *,
    name: str | None,
    employee_ref: object,
    values: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    in_place: bool = False,
) -> None:
    report = await pick_report(
        turn_context,
        services,
        manager,
        name,
        employee_ref,
        "record_apr",
        "Whose APR are you recording?",
    )
    if report is None:
        return
    _, objectives, prep = await services.aprs.recording_context(manager, report.employee_id)
    priorities, _ = await services.objectives.choices(report)
    await (kit.card_becomes if in_place else send_card)(
        turn_context,
        apr_views.apr_record_card(
            report=report,
            objectives=objectives,
            priorities=priorities,
            preparation=prep,
            today=services.clock.today(),
            values=values,
            problems=problems or [],
        ),
    )


async def submit_apr(
    turn_context: TurnContext, services: Services, manager: Person, value: dict[str, Any]
) -> None:
    try:
        recorded = await services.aprs.record(manager, value.get("employee_id"), value)
    except InvalidApr as invalid:
        await record_apr(
            turn_context,
            services,
            manager,
            name=None,
            employee_ref=value.get("employee_id"),
            values=value,
            problems=invalid.problems,
            in_place=True,
        )
        return
    summary = apr_views.apr_summary_card(
        recorded.report, recorded.apr, recorded.objective_titles, recorded.new_objectives
    )
    footer = kit.done_by(manager, "Saved", services)
    await request_acknowledgement(
        turn_context,
        services,
        recorded.report,
        apr_views.apr_employee_card(
            manager.name, recorded.apr, recorded.objective_titles, recorded.new_objectives
        ),
        "Your APR: please acknowledge",
        what="it",
        confirm=lambda: kit.form_saved(turn_context, cards.with_footer(summary, footer)),
    )


async def respond_to_apr(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    await employee_response(
        turn_context,
        services,
        person,
        value,
        comment_form=apr_views.APR_COMMENT,
        id_key="apr_id",
        respond=services.aprs.respond,
        notice=apr_views.apr_comment_notice,
        what="your APR",
    )
