"""Objectives and APRs in chat. Every card here is answered in one turn and checked again
on the server, so an old or forged card can do no more than its sender is allowed to."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from dialogs import cards
from dialogs.kit import pick_report, send_card
from dialogs.objectives import views
from dialogs.responses import employee_response, request_acknowledgement
from domain.form_tokens import token_of
from domain.people import Person
from domain.records import ObjectiveView
from services.aprs import AprNotAllowed, InvalidApr
from services.objectives import InvalidObjective, NotAllowed, objective_from_form
from services.registry import Services

REFUSED = "Nothing was changed."


async def _tell(services: Services, pk: int | None, card: cards.Element, summary: str) -> bool:
    return pk is not None and await services.notifier.send_card(pk, card, summary)


# --- objectives -----------------------------------------------------------------------------


async def show_objective_form(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    *,
    mode: str = "add",
    owner: Person | None = None,
    objective: ObjectiveView | None = None,
    values: dict[str, Any] | None = None,
    problems: list[str] | None = None,
) -> None:
    priorities, plans = await services.objectives.choices(owner or person)
    await send_card(
        turn_context,
        views.objective_form(
            priorities=priorities,
            plans=plans,
            today=services.clock.today(),
            mode=mode,
            owner=owner,
            objective=objective,
            values=values,
            problems=problems or [],
        ),
    )


async def propose_objective(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    *,
    name: str | None,
    employee_ref: object,
) -> None:
    report = await pick_report(
        turn_context,
        services,
        manager,
        name,
        employee_ref,
        "propose_objective",
        "Who would you like to propose an objective for?",
    )
    if report is not None:
        await show_objective_form(turn_context, services, manager, mode="propose", owner=report)


async def submit_objective(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    mode = value.get("mode") if value.get("mode") in ("add", "propose", "edit") else "add"
    owner = None
    objective = None
    try:
        if mode == "propose":
            owner = await services.objectives.report_of(person, value.get("employee_id"))
        if mode == "edit":
            access = await services.objectives.access(person, value.get("objective_id"))
            if access.actor.value != "owner":
                raise NotAllowed("Only the person whose objective it is can change its wording.")
            objective = access.objective
    except NotAllowed as refusal:
        await turn_context.send_activity(f"{refusal} {REFUSED}")
        return
    draft, problems = objective_from_form(value)
    if problems or value.get("fix") == "true":
        await show_objective_form(
            turn_context,
            services,
            person,
            mode=mode,
            owner=owner,
            objective=objective,
            values=value,
            problems=problems,
        )
        return
    findings = services.objectives.smart_findings(draft)
    if findings and value.get("smart_ok") != "true":
        await send_card(turn_context, views.smart_card(findings, value))
        return
    try:
        token = token_of(value)
        if mode == "propose":
            saved = await services.objectives.propose(
                person, value.get("employee_id"), draft, form_token=token
            )
            to, proposal = owner.id if owner else None, True
        elif mode == "edit":
            saved = (
                await services.objectives.edit(
                    person, value.get("objective_id"), draft, form_token=token
                )
            ).objective
            to, proposal = person.manager_id, False
        else:
            saved = await services.objectives.add(person, draft, form_token=token)
            to, proposal = person.manager_id, False
    except NotAllowed as refusal:
        await turn_context.send_activity(f"{refusal} {REFUSED}")
        return
    except InvalidObjective as invalid:
        await show_objective_form(
            turn_context,
            services,
            person,
            mode=mode,
            owner=owner,
            objective=objective,
            values=value,
            problems=invalid.problems,
        )
        return
    if saved.status == "draft":
        reached = await _tell(
            services,
            to,
            views.agree_request_card(saved, person, proposal=proposal),
            f"{person.first_name}: an objective to agree",
        )
        who = owner.first_name if proposal and owner else "your line manager"
        note = (
            f"I've sent it to {who} to agree."
            if reached
            else f"I couldn't message {who} yet; they'll see it in their list."
        )
    else:
        note = "Saved."
    await send_card(turn_context, views.saved_card(saved, note, by_owner=mode != "propose"))


async def agree(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        access = await services.objectives.agree(person, value.get("objective_id"))
    except NotAllowed as refusal:
        await turn_context.send_activity(f"{refusal} {REFUSED}")
        return
    objective = access.objective
    await turn_context.send_activity(f"Agreed: {cards.plain(objective.title)}")
    other = access.owner.manager_id if access.actor.value == "owner" else access.owner.id
    card = cards.card(
        [
            cards.text(f"**{person.name}** agreed the objective:"),
            cards.subheading(cards.plain(objective.title)),
            views.objective_facts(objective),
        ]
    )
    await _tell(services, other, card, f"{person.first_name} agreed an objective")


async def discuss(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    comment = value.get("comment")
    try:
        access = await services.objectives.discuss(
            person, value.get("objective_id"), comment, form_token=token_of(value)
        )
    except NotAllowed as refusal:
        await turn_context.send_activity(f"{refusal} {REFUSED}")
        return
    except InvalidObjective as invalid:
        await turn_context.send_activity(str(invalid))
        return
    objective = access.objective
    other = access.owner.manager_id if access.actor.value == "owner" else access.owner.id
    said = (
        comment.strip()
        if isinstance(comment, str) and comment.strip()
        else "They'd like to talk about it."
    )
    card = cards.card(
        [
            cards.text(
                f"**{person.name}** would like to discuss the objective "
                f"**{cards.plain(objective.title)}**:"
            ),
            cards.text(cards.plain(said)),
        ],
        [cards.submit("Agree", {"form": views.AGREE, "objective_id": objective.id})]
        if objective.status == "draft"
        else None,
    )
    reached = await _tell(
        services, other, card, f"{person.first_name} wants to discuss an objective"
    )
    await turn_context.send_activity(
        "I've passed that on; talk it through at your next one-to-one."
        if reached
        else "Noted. They haven't started a chat with Charter yet, so raise it at your next "
        "one-to-one."
    )


async def show_progress(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        access = await services.objectives.access(person, value.get("objective_id"))
    except NotAllowed as refusal:
        await turn_context.send_activity(str(refusal))
        return
    await send_card(turn_context, views.progress_card(access.objective))


async def save_progress(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        access = await services.objectives.update_progress(person, value.get("objective_id"), value)
    except NotAllowed as refusal:
        await turn_context.send_activity(f"{refusal} {REFUSED}")
        return
    except InvalidObjective as invalid:
        found = await services.objectives.access(person, value.get("objective_id"))
        await send_card(turn_context, views.progress_card(found.objective, invalid.problems))
        return
    objective = access.objective
    rag = (objective.rag or "").upper()
    await turn_context.send_activity(
        f"Progress saved: {objective.title}, {objective.percent_complete}% ({rag})."
    )


async def edit(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        access = await services.objectives.access(person, value.get("objective_id"))
    except NotAllowed as refusal:
        await turn_context.send_activity(str(refusal))
        return
    if access.actor.value != "owner":
        await turn_context.send_activity(
            "Only the person whose objective it is can change its wording."
        )
        return
    await show_objective_form(
        turn_context, services, person, mode="edit", objective=access.objective
    )


async def my_objectives(turn_context: TurnContext, services: Services, person: Person) -> None:
    objectives = await services.objectives.mine(person)
    await send_card(
        turn_context,
        views.objectives_card(
            "Your objectives",
            objectives,
            viewer_is_owner=True,
            empty="You have no open objectives. Add one that links your work to the council's "
            "plans.",
        ),
    )


async def update_objective(turn_context: TurnContext, services: Services, person: Person) -> None:
    open_ones = [
        o for o in await services.objectives.mine(person) if o.status in ("agreed", "in_progress")
    ]
    if len(open_ones) == 1:
        await send_card(turn_context, views.progress_card(open_ones[0]))
        return
    await my_objectives(turn_context, services, person)


async def objectives_for(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    *,
    name: str | None,
    employee_ref: object,
) -> None:
    report = await pick_report(
        turn_context,
        services,
        manager,
        name,
        employee_ref,
        "objectives_for",
        "Whose objectives would you like to see?",
    )
    if report is None:
        return
    _, objectives = await services.objectives.for_report(manager, report.employee_id)
    await send_card(
        turn_context,
        views.objectives_card(
            f"{report.name}'s objectives",
            objectives,
            viewer_is_owner=False,
            owner=report,
            empty=f"{report.first_name} has no objectives yet.",
        ),
    )


# --- APRs -----------------------------------------------------------------------------------


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
        views.apr_preparation_card(
            status_text=views.apr_status_text(status), objectives=objectives, saved=saved
        ),
    )


async def submit_preparation(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        prep = await services.aprs.prepare(person, value)
    except AprNotAllowed as refusal:
        await turn_context.send_activity(f"{refusal} {REFUSED}")
        return
    except InvalidApr as invalid:
        objectives, _ = await services.aprs.preparation(person)
        status = await services.aprs.status_of(person)
        await send_card(
            turn_context,
            views.apr_preparation_card(
                status_text=views.apr_status_text(status),
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
                f"Record {person.first_name}'s APR",
                {"command": "record_apr", "employee_id": person.employee_id},
            )
        ],
    )
    reached = await _tell(
        services, person.manager_id, card, f"{person.first_name} prepared for their APR"
    )
    await turn_context.send_activity(
        "Saved and shared with your manager."
        if reached
        else "Saved. Your manager will see it when they record your APR."
    )


async def record_apr(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    *,
    name: str | None,
    employee_ref: object,
    values: dict[str, Any] | None = None,
    problems: list[str] | None = None,
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
    await send_card(
        turn_context,
        views.apr_record_card(
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
    except AprNotAllowed as refusal:
        await turn_context.send_activity(f"{refusal} {REFUSED}")
        return
    except InvalidApr as invalid:
        await record_apr(
            turn_context,
            services,
            manager,
            name=None,
            employee_ref=value.get("employee_id"),
            values=value,
            problems=invalid.problems,
        )
        return
    await send_card(
        turn_context,
        views.apr_summary_card(
            recorded.report, recorded.apr, recorded.objective_titles, recorded.new_objectives
        ),
    )
    await request_acknowledgement(
        turn_context,
        services,
        recorded.report,
        views.apr_employee_card(
            manager, recorded.apr, recorded.objective_titles, recorded.new_objectives
        ),
        "Your APR: please acknowledge",
        what="it",
    )


async def respond_to_apr(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    await employee_response(
        turn_context,
        services,
        person,
        value,
        comment_form=views.APR_COMMENT,
        id_key="apr_id",
        respond=services.aprs.respond,
        notice=views.apr_comment_notice,
        what="your APR",
    )
