"""Logging (or editing) a one-to-one: pick the report, review open actions, fill in the form.

A small state machine kept in dialog state, so it survives restarts: each card submit moves
it on. Every id a card sends back is checked against the manager's own reports on the
server; nothing is written until the form is valid. As a conversation table (entry points,
states, fallbacks, in the manner of python-telegram-bot's ConversationHandler):

Entry points (``dialogs/one_to_ones/routes.py``)  | begins at
------------------------------------------------- | ---------------------------------------
"log 1:1 [with <name>] [<day>]", Log button        | pick (several match), carry (open
                                                   | actions), or form
Edit button on a saved one-to-one (``EDIT``)       | form, filled in with the saved record
the form from a card whose conversation ended      | form, submitted at once

State (``stage``) | waits for card verb | then
----------------- | ------------------- | ------------------------------------------------
pick              | ``kit.PICK``        | carry (open actions) or form
carry             | ``CARRY``           | form, with the ticks kept until it is saved
form              | ``FORM``            | saved and ended; or the form again with problems;
                  |                     | or confirm_day (dated on a weekend / bank holiday)
confirm_day       | ``CONFIRM_DAY``     | "Save anyway": saved and ended; "Change the date":
                  |                     | the form again, as typed

Fallbacks: anything else while waiting gets "use the card above"; **cancel**, a command
button or a typed command ends it (``dialogs.router``'s conversation rules). A refusal (not
their report, not theirs to edit) ends it with "Nothing was saved."
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult

from dialogs import cards, kit
from dialogs.context import current_person
from dialogs.kit import send_card
from dialogs.one_to_ones import agenda_section, staff_views, views
from domain import form_values
from domain.date_words import format_uk, non_working_day
from domain.form_tokens import token_of
from domain.name_match import match_people
from domain.people import Person
from services.one_to_ones import (
    InvalidOneToOne,
    Logged,
    NotPermitted,
    OneToOneService,
    draft_from_form,
    shared_part,
)
from services.registry import Services


def _record_id(value: object) -> int:
    """The one-to-one id a card or the dialog carried, or a polite refusal."""
    found = form_values.record_id(value)
    if found is None:
        raise NotPermitted("I can't find that one-to-one.")
    return found


def _actions_done(
    state: dict[str, Any], value: dict[str, Any], employee_ref: object
) -> list[int] | None:
    """The carry-over step's ticks (None: there was no such step, or it was for someone else
    than the person this form is saved for): kept in the conversation, or else carried on the
    form's Save button (a form saved after its conversation ended). The service applies only
    the report's own open actions among them."""
    source = state if "actions_done" in state else value
    ticks = source.get("actions_done")
    if not isinstance(ticks, list) or str(source.get("actions_for")) != str(employee_ref):
        return None
    found = (form_values.record_id(tick) for tick in ticks)
    return [tick for tick in found if tick is not None]


class OneToOneDialog(Dialog):  # type: ignore[misc]  # botbuilder is untyped
    """Options: {"name": str | None, "held_on": iso | None, "employee_id": str | None,
    "submit": card values | None, "record_id": int | None}."""

    ID = "OneToOneDialog"

    def __init__(self, services: Services) -> None:
        super().__init__(self.ID)
        self._services = services
        self._service: OneToOneService = services.one_to_ones

    # --- dialog protocol ----------------------------------------------------------------

    async def begin_dialog(self, dc: DialogContext, options: object = None) -> DialogTurnResult:
        opts: dict[str, Any] = options if isinstance(options, dict) else {}
        manager = current_person(dc.context)
        state = dc.active_dialog.state
        state["held_on"] = await self._held_on_asked(dc, opts.get("held_on"))

        if opts.get("record_id") is not None:
            return await self._begin_edit(dc, manager, opts["record_id"])
        if isinstance(opts.get("submit"), dict):
            # A form submitted from an older card: it carries everything, so save it.
            state["stage"] = "form"
            return await self._on_form(dc, manager, opts["submit"])

        reports = await self._service.team_in_charge(manager)
        if not reports:
            await dc.context.send_activity(
                "You don't have any direct reports in the organisation chart, so there's "
                "nobody to log a one-to-one with. If that's wrong, please ask HR to update it."
            )
            return await dc.end_dialog()

        if opts.get("employee_id"):
            chosen = [r for r in reports if r.employee_id == opts["employee_id"]]
        elif opts.get("name"):
            chosen = match_people(str(opts["name"]), reports)
            if not chosen:
                await dc.context.send_activity(
                    f'I couldn\'t find anyone called "{opts["name"]}" in your team; '
                    "choose them on the form."
                )
        else:
            chosen = []
        if len(chosen) > 1:
            state["stage"] = "pick"
            state["choices"] = [p.employee_id for p in chosen]
            await send_card(
                dc.context,
                kit.pick_report_card(f"Which {opts.get('name') or 'person'} do you mean?", chosen),
            )
            return Dialog.end_of_turn
        if len(chosen) == 1:
            return await self._after_pick(dc, manager, chosen[0])
        return await self._show_form(dc, manager, None)

    async def _held_on_asked(self, dc: DialogContext, held_on: object) -> str | None:
        """The day typed ("log 1:1 with Rhys tomorrow"); a day still to come can't be logged
        yet, so the form starts at today and the manager is told why."""
        if not isinstance(held_on, str):
            return None
        day = date.fromisoformat(held_on)
        if day <= self._service.today():
            return held_on
        await dc.context.send_activity(
            f"A one-to-one is logged once it has been held, and {format_uk(day)} "
            "is still to come. I've put today's date on the form; come back after you've met, "
            "or change the date."
        )
        return None

    async def continue_dialog(self, dc: DialogContext) -> DialogTurnResult:
        manager = current_person(dc.context)
        value = dc.context.activity.value
        form = value.get("form") if isinstance(value, dict) else None
        step = STAGES.get(dc.active_dialog.state.get("stage"))
        if step is not None and form == step.verb and isinstance(value, dict):
            return await step.run(self, dc, manager, value)
        await dc.context.send_activity(
            "Please use the card above to carry on, or type **cancel** to stop."
        )
        return Dialog.end_of_turn

    async def _on_pick(
        self, dc: DialogContext, manager: Person, value: dict[str, Any]
    ) -> DialogTurnResult:
        if value.get("employee_id") not in dc.active_dialog.state.get("choices", []):
            await dc.context.send_activity("Please choose one of the people listed.")
            return Dialog.end_of_turn
        report = await self._report(dc, manager, value.get("employee_id"))
        if report is None:
            return await dc.end_dialog()
        return await self._after_pick(dc, manager, report, in_place=True)

    # --- stages -------------------------------------------------------------------------

    async def _report(self, dc: DialogContext, manager: Person, ref: object) -> Person | None:
        try:
            return await self._service.report_of(manager, ref)
        except NotPermitted as refusal:
            await dc.context.send_activity(str(refusal))
            return None

    async def _after_pick(
        self, dc: DialogContext, manager: Person, report: Person, *, in_place: bool = False
    ) -> DialogTurnResult:
        state = dc.active_dialog.state
        state["employee_id"] = report.employee_id
        open_actions = await self._service.open_actions(manager, report)
        if open_actions:
            state["stage"] = "carry"
            state["offered_actions"] = [a.id for a in open_actions]
            show = kit.card_becomes if in_place else send_card
            await show(dc.context, views.carry_over_card(report, open_actions))
            return Dialog.end_of_turn
        return await self._show_form(dc, manager, report, in_place=in_place)

    async def _on_carry_over(
        self, dc: DialogContext, manager: Person, value: dict[str, Any]
    ) -> DialogTurnResult:
        state = dc.active_dialog.state
        report = await self._report(dc, manager, state.get("employee_id"))
        if report is None:
            return await dc.end_dialog()
        offered = set(state.get("offered_actions", []))
        ticked = {
            action_id
            for action_id in offered
            if str(value.get(f"done_{action_id}", "")).lower() == "true"
        }
        # Nothing is written yet: the ticks are applied when the one-to-one is saved, in the
        # same transaction, so Cancel on the form changes nothing.
        state["actions_done"] = sorted(ticked)
        state["actions_for"] = report.employee_id
        return await self._show_form(
            dc, manager, report, carried_ids=sorted(offered - ticked), in_place=True
        )

    async def _show_form(
        self,
        dc: DialogContext,
        manager: Person,
        report: Person | None,
        *,
        carried_ids: list[int] | None = None,
        values: dict[str, Any] | None = None,
        problems: list[Any] | None = None,
        in_place: bool = False,
    ) -> DialogTurnResult:
        """The form; ``in_place`` when it replaces the card just pressed (the previous step,
        or the same form back with its problems)."""
        state = dc.active_dialog.state
        state["stage"] = "form"
        if carried_ids is not None:
            state["carried"] = carried_ids
        reports = await self._service.team_in_charge(manager)
        carried, done = [], []
        if report is not None and (state.get("carried") or state.get("actions_done")):
            open_now = await self._service.open_actions(manager, report)
            carried = [a for a in open_now if a.id in set(state.get("carried") or [])]
            done = [a for a in open_now if a.id in set(state.get("actions_done") or [])]
        today = self._service.today()
        held_on = date.fromisoformat(state["held_on"]) if state.get("held_on") else today
        editing = state.get("record_id") is not None
        agenda = (
            None
            if editing
            else await agenda_section.points_to_tick(self._services, manager, report)
        )
        await (kit.card_becomes if in_place else send_card)(
            dc.context,
            views.one_to_one_form(
                reports=reports,
                report=report,
                held_on=held_on,
                today=today,
                values=values,
                problems=problems or [],
                carried=carried,
                done=done,
                actions_done=state.get("actions_done"),
                actions_for=state.get("actions_for"),
                record_id=state.get("record_id"),
                agenda=agenda,
            ),
        )
        return Dialog.end_of_turn

    async def _begin_edit(
        self, dc: DialogContext, manager: Person, record_id: object
    ) -> DialogTurnResult:
        try:
            record, report = await self._service.editable(manager, _record_id(record_id))
        except NotPermitted as refusal:
            await dc.context.send_activity(str(refusal))
            return await dc.end_dialog()
        state = dc.active_dialog.state
        state.update(
            record_id=record.id, employee_id=report.employee_id, held_on=record.held_on.isoformat()
        )
        values = {
            **record.notes,
            "shared_notes": record.shared_notes,
            "private_note": record.private_note,
            "wellbeing_concern": "true" if record.wellbeing_concern else "false",
        }
        return await self._show_form(dc, manager, report, values=values)

    async def _on_form(
        self, dc: DialogContext, manager: Person, value: dict[str, Any]
    ) -> DialogTurnResult:
        state = dc.active_dialog.state
        record_id = state.get("record_id") or value.get("record_id")
        draft, problems = draft_from_form(value)
        employee_ref = state.get("employee_id") if record_id else value.get("employee_id")
        if not problems and await self._asked_about_day(dc, draft.held_on, value):
            return Dialog.end_of_turn
        try:
            if problems:
                raise InvalidOneToOne(problems)
            if record_id is not None:
                state["record_id"] = record_id
                logged = await self._service.edit(manager, _record_id(record_id), draft)
            else:
                logged = await self._service.log(
                    manager,
                    employee_ref,
                    draft,
                    form_token=token_of(value),
                    agenda_ticked=agenda_section.ticked_ids(value),
                    actions_done=_actions_done(state, value, employee_ref),
                )
        except NotPermitted as refusal:
            await dc.context.send_activity(f"{refusal} Nothing was saved.")
            return await dc.end_dialog()
        except InvalidOneToOne as invalid:
            if "actions_done" not in state and "actions_done" in value:
                # A form from an ended conversation: its ticks stay with the corrected form.
                state["actions_done"] = value.get("actions_done")
                state["actions_for"] = value.get("actions_for")
            report = None
            if employee_ref is not None:
                report = await self._report(dc, manager, employee_ref)
            return await self._show_form(
                dc, manager, report, values=value, problems=invalid.problems, in_place=True
            )
        await self._after_save(dc, logged, edited=record_id is not None)
        return await dc.end_dialog()

    async def _asked_about_day(
        self, dc: DialogContext, held_on: date | None, value: dict[str, Any]
    ) -> bool:
        """A one-to-one dated on a weekend or bank holiday is questioned before it's saved
        (usually a slip of the date picker): True if the question was asked."""
        if held_on is None or value.get(views.DAY_CONFIRMED) == "true":
            return False
        if held_on > self._services.clock.today():
            return False  # refused as in the future anyway: say that, not "save anyway?"
        reason = non_working_day(held_on)
        if reason is None:
            return False
        state = dc.active_dialog.state
        state["stage"] = "confirm_day"
        state["pending"] = value
        await send_card(dc.context, views.confirm_day_card(held_on, reason))
        return True

    async def _on_confirm_day(
        self, dc: DialogContext, manager: Person, value: dict[str, Any]
    ) -> DialogTurnResult:
        state = dc.active_dialog.state
        pending = dict(state.pop("pending", None) or {})
        state["stage"] = "form"
        if value.get("choice") == "save":
            return await self._on_form(dc, manager, {**pending, views.DAY_CONFIRMED: "true"})
        ref = state.get("employee_id") if state.get("record_id") else pending.get("employee_id")
        report = await self._report(dc, manager, ref) if ref is not None else None
        return await self._show_form(dc, manager, report, values=pending)

    async def _after_save(self, dc: DialogContext, logged: Logged, *, edited: bool) -> None:
        # The employee's notice is queued (durable) before the manager's card changes: the
        # reply can wait on a slow Teams, and a crash then must not lose the notice.
        policy = self._service.policy
        reached = None
        if policy.notify_employee and not edited:
            reached = await self._queue_employee_notice(dc, logged)
        manager = current_person(dc.context)
        footer = kit.done_by(manager, "Updated" if edited else "Saved", self._services)
        edit = cards.submit("Edit", {"form": views.EDIT, "record_id": logged.record.id})
        saved_text = f"Saved your one-to-one with {logged.report.name}."
        saved = (SAVED_KIND, logged.record.id)
        if policy.manager_summary:
            summary = views.manager_summary_card(logged, policy.signposts, edited=edited)
            await kit.form_saved(
                dc.context, cards.with_footer(summary, footer, [edit]), record=saved
            )
        else:
            summary = cards.card([cards.heading(saved_text)])
            closed = cards.with_footer(summary, footer, [edit])
            await kit.form_saved(dc.context, closed, otherwise=saved_text, record=saved)
        if reached is False:
            await dc.context.send_activity(
                f"{logged.report.first_name} hasn't started a chat with Charter yet, so I "
                "couldn't send them their notes; they'll see them under **my one-to-ones**."
            )

    async def _queue_employee_notice(self, dc: DialogContext, logged: Logged) -> bool:
        """Queue the employee's copy of the shared notes; False if they can't be reached."""
        manager = current_person(dc.context)
        card = staff_views.employee_card(shared_part(logged.record, manager.name))
        return await self._services.notifier.send_card(
            logged.report.id, card, f"Your one-to-one with {manager.first_name}"
        )


SAVED_KIND = "one_to_one"


async def saved_summary(
    services: Services, manager: Person, record_id: int
) -> cards.Element | None:
    """A saved one-to-one's summary as the server has it now, with its Edit button (for a
    second press of Save on its form); None once the manager may no longer edit it. Shows the
    private note, so the read is audited (as opening it for editing is)."""
    service = services.one_to_ones
    try:
        record, report = await service.editable(manager, record_id)
    except NotPermitted:
        return None
    edit = cards.submit("Edit", {"form": views.EDIT, "record_id": record.id})
    if not service.policy.manager_summary:
        return cards.card([cards.heading(f"Saved your one-to-one with {report.name}.")], [edit])
    still_open = await service.open_actions(manager, report)
    earlier = tuple(a for a in still_open if a.one_to_one_id != record.id)
    summary = views.manager_summary_card(Logged(record, report, earlier), service.policy.signposts)
    return {**summary, "actions": [edit]}


kit.redraw_saved(SAVED_KIND, saved_summary)


Step = Callable[
    [OneToOneDialog, DialogContext, Person, dict[str, Any]], Awaitable[DialogTurnResult]
]


@dataclass(frozen=True)
class Stage:
    verb: str  # the card submit this stage waits for
    run: Step


# The states of the conversation table in the module docstring.
STAGES: dict[str, Stage] = {
    "pick": Stage(kit.PICK, OneToOneDialog._on_pick),
    "carry": Stage(views.CARRY, OneToOneDialog._on_carry_over),
    "form": Stage(views.FORM, OneToOneDialog._on_form),
    "confirm_day": Stage(views.CONFIRM_DAY, OneToOneDialog._on_confirm_day),
}
