"""Objectives in chat (APRs are in ``apr_handlers``). Every card here is answered in one
turn and checked again on the server, so an old or forged card can do no more than its
sender is allowed to."""

from __future__ import annotations

from functools import partial
from typing import Any, Literal

from botbuilder.core import TurnContext

from dialogs import cards, kit
from dialogs.kit import pick_report, send_card, tell
from dialogs.objectives import views
from domain.form_tokens import token_of
from domain.people import Person
from domain.records import ObjectiveView
from services.objectives import InvalidObjective, ObjectiveDraft, objective_from_form
from services.registry import Services


async def show_objective_form(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    *,
    mode: Mode = "add",
    owner: Person | None = None,
    objective: ObjectiveView | None = None,
    values: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    in_place: bool = False,
) -> None:
    """The objective form: new, or (``in_place``) replacing the card just pressed, e.g. the
    same form back with each problem beside its field and what was typed kept."""
    priorities, plans = await services.objectives.choices(owner or person)
    await (kit.card_becomes if in_place else send_card)(
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


Mode = Literal["add", "propose", "edit"]
MODES: tuple[Mode, ...] = ("add", "propose", "edit")


def _mode(value: dict[str, Any]) -> Mode:
    """Which objective form this is: the person's own, a proposal for a report, or an edit."""
    return next((m for m in MODES if value.get("mode") == m), "add")


async def submit_objective(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    mode = _mode(value)
    owner = None
    objective = None
    if mode == "propose":
        owner = await services.objectives.report_of(person, value.get("employee_id"))
    if mode == "edit":
        objective = await services.objectives.owned(person, value.get("objective_id"))
    form = partial(
        show_objective_form,
        turn_context,
        services,
        person,
        mode=mode,
        owner=owner,
        objective=objective,
        values=value,
        in_place=True,
    )
    draft, problems = objective_from_form(value)
    if problems or value.get("fix") == "true":
        await form(problems=problems)
        return
    findings = services.objectives.smart_findings(draft)
    if findings and value.get("smart_ok") != "true":
        await kit.card_becomes(turn_context, views.smart_card(findings, value))
        return
    try:
        saved = await _save(services, person, mode, value, draft)
    except InvalidObjective as invalid:
        await form(problems=invalid.problems)
        return
    await _confirm_saved(turn_context, services, person, mode, saved, owner)


async def _save(
    services: Services, person: Person, mode: Mode, value: dict[str, Any], draft: ObjectiveDraft
) -> ObjectiveView:
    token = token_of(value)
    if mode == "propose":
        return await services.objectives.propose(
            person, value.get("employee_id"), draft, form_token=token
        )
    if mode == "edit":
        edited = await services.objectives.edit(
            person, value.get("objective_id"), draft, form_token=token
        )
        return edited.objective
    return await services.objectives.add(person, draft, form_token=token)


async def _confirm_saved(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    mode: Mode,
    saved: ObjectiveView,
    owner: Person | None,
) -> None:
    """A draft goes to the other side to agree: the report for a proposal, else the manager."""
    proposal = mode == "propose"
    if saved.status == "draft":
        to = (owner.id if owner else None) if proposal else person.manager_id
        reached = await tell(
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
    footer = kit.done_by(person, "Saved", services)
    card = views.saved_card(saved, note, by_owner=not proposal)
    await kit.form_saved(turn_context, cards.with_footer(card, footer, card.get("actions")))


async def agree(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    access = await services.objectives.agree(person, value.get("objective_id"))
    objective = access.objective
    other = access.owner.manager_id if access.actor.value == "owner" else access.owner.id
    card = cards.card(
        [
            cards.text(f"**{person.name}** agreed the objective:"),
            cards.subheading(cards.plain(objective.title)),
            views.objective_facts(objective),
        ]
    )
    # Queued before the reply, which can wait on a slow Teams: a crash then loses no notice.
    await tell(services, other, card, f"{person.first_name} agreed an objective")
    agreed = f"Agreed: {cards.plain(objective.title)}"
    footer = kit.done_by(person, "Agreed", services)
    await kit.card_becomes(
        turn_context, cards.closed_card("Objective agreed", [agreed], footer), otherwise=agreed
    )


async def review_to_agree(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    """From a reminder's "Agree objective": show the measure and date first, then Agree."""
    access = await services.objectives.access(person, value.get("objective_id"))
    objective = access.objective
    if objective.status != "draft":
        await turn_context.send_activity(
            f"{cards.plain(objective.title)} isn't waiting to be agreed any more."
        )
        return
    card = views.review_to_agree_card(
        objective, access.owner, by_owner=access.actor.value == "owner"
    )
    await send_card(turn_context, card)


async def discuss(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    comment = value.get("comment")
    access = await services.objectives.discuss(
        person, value.get("objective_id"), comment, form_token=token_of(value)
    )
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
    reached = await tell(
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
    access = await services.objectives.access(person, value.get("objective_id"))
    await send_card(turn_context, views.progress_card(access.objective))


async def save_progress(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    try:
        access = await services.objectives.update_progress(person, value.get("objective_id"), value)
    except InvalidObjective as invalid:
        found = await services.objectives.access(person, value.get("objective_id"))
        await kit.card_becomes(turn_context, views.progress_card(found.objective, invalid.problems))
        return
    objective = access.objective
    rag = (objective.rag or "").upper()
    saved = f"Progress saved: {objective.title}, {objective.percent_complete}% ({rag})."
    footer = kit.done_by(person, "Saved", services)
    closed = cards.closed_card("Progress saved", [cards.plain(saved)], footer)
    await kit.form_saved(turn_context, closed, otherwise=saved)


async def edit(
    turn_context: TurnContext, services: Services, person: Person, value: dict[str, Any]
) -> None:
    objective = await services.objectives.owned(person, value.get("objective_id"))
    await show_objective_form(turn_context, services, person, mode="edit", objective=objective)


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
