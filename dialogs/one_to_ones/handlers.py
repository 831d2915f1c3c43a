"""One-to-one requests answered in a single turn: history, my one-to-ones, my actions, and
the employee's acknowledge / comment and action-done buttons."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from dialogs import cards
from dialogs.kit import pick_report_card, send_card
from dialogs.one_to_ones import staff_views, views
from dialogs.responses import employee_response
from domain.name_match import match_people
from domain.people import Person
from services.one_to_ones import NotPermitted
from services.registry import Services


async def show_history(
    turn_context: TurnContext,
    services: Services,
    manager: Person,
    *,
    name: str | None = None,
    employee_ref: object = None,
) -> None:
    reports = await services.one_to_ones.team_in_charge(manager)
    if employee_ref is not None:
        chosen = [r for r in reports if r.employee_id == employee_ref]
        if not chosen:
            await turn_context.send_activity("You can only see one-to-ones for your own reports.")
            return
    elif name:
        chosen = match_people(name, reports)
    else:
        chosen = []
    if len(chosen) != 1:
        if name and not chosen:
            await turn_context.send_activity(f'I couldn\'t find "{name}" among your reports.')
        if not reports:
            await turn_context.send_activity("You don't have any direct reports.")
            return
        card = pick_report_card(
            "Whose one-to-ones would you like to see?", chosen or reports, command="one_to_ones"
        )
        await send_card(turn_context, card)
        return
    report = chosen[0]
    records = await services.one_to_ones.history(manager, report)
    editable = set()
    for record in records:
        try:
            await services.one_to_ones.editable(manager, record.id)
            editable.add(record.id)
        except NotPermitted:
            pass
    await send_card(turn_context, views.history_card(report, records, editable))


async def show_my_one_to_ones(turn_context: TurnContext, services: Services, me: Person) -> None:
    records = await services.one_to_ones.my_one_to_ones(me)
    await send_card(turn_context, staff_views.my_one_to_ones_card(records))


async def show_my_actions(turn_context: TurnContext, services: Services, me: Person) -> None:
    actions = await services.one_to_ones.my_actions(me)
    await send_card(turn_context, staff_views.my_actions_card(actions, services.clock.today()))


async def complete_action(
    turn_context: TurnContext, services: Services, me: Person, value: dict[str, Any]
) -> None:
    action = await services.one_to_ones.complete_action(me, value.get("action_id"))
    await turn_context.send_activity(f"Done: {cards.plain(action.text)}")


async def respond_to_one_to_one(
    turn_context: TurnContext, services: Services, me: Person, value: dict[str, Any]
) -> None:
    """The employee's Acknowledge or Send comment on their one-to-one card."""
    await employee_response(
        turn_context,
        services,
        me,
        value,
        comment_form=views.COMMENT,
        id_key="record_id",
        respond=services.one_to_ones.respond,
        notice=views.comment_notice_card,
        what="it",
        relist=lambda person, record, mark: _my_one_to_ones_marked(services, person, record, mark),
    )


async def _my_one_to_ones_marked(
    services: Services, me: Person, record: Any, mark: str
) -> cards.Element:
    """``my one-to-ones`` drawn again from the server after one of them was answered on it."""
    records = await services.one_to_ones.my_one_to_ones(me)
    return staff_views.my_one_to_ones_card(records, answered={record.id: mark})


async def show_waiting(turn_context: TurnContext, services: Services, me: Person) -> None:
    """After the welcome: the one-to-ones their manager logged before they opened Charter,
    waiting for them to acknowledge or comment (with the button that shows them)."""
    waiting = await services.one_to_ones.awaiting_response(me)
    if waiting:
        await send_card(turn_context, staff_views.waiting_card(waiting))
