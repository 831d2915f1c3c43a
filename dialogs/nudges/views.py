"""The reminder digest: one card per person per run, grouped by what needs doing, each item
with the button that starts it, plus Snooze 7 days and Done elsewhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dialogs import cards
from domain.nudge_rules import NudgeKind, split_digest

SNOOZE = "nudge_snooze"
DONE_ELSEWHERE = "nudge_done"

SECTIONS: dict[str, str] = {
    NudgeKind.RTW_DUE: "Return-to-work conversations",
    NudgeKind.KEEP_IN_TOUCH: "Keeping in touch",
    NudgeKind.APR_DUE: "Annual Performance Reviews",
    NudgeKind.ONE_TO_ONE_DUE: "One-to-ones",
    NudgeKind.OBJECTIVE_TO_AGREE: "Objectives to agree",
    NudgeKind.ONE_TO_ONE_PREP: "Coming one-to-ones",
    NudgeKind.ONE_TO_ONE_CHECK: "Planned one-to-ones that have passed",
    NudgeKind.AGENDA_INVITE: "Your one-to-one",
}


def _start_button(kind: str, item_key: str, subject_ref: str | None) -> cards.Element | None:
    """The button that starts the right conversation for the item."""
    if kind == NudgeKind.OBJECTIVE_TO_AGREE and item_key.startswith("objective:"):
        objective_id = int(item_key.split(":")[1])
        # Shows the measure and date first (the objectives feature's confirm step).
        return cards.submit(
            "Agree objective", {"form": "objective_review", "objective_id": objective_id}
        )
    if kind == NudgeKind.AGENDA_INVITE:  # the employee's one-line box for their agenda
        return {
            "type": "Action.ShowCard",
            "title": "Add to my agenda",
            "card": cards.card(
                [cards.input_text("text", "What do you want to talk about?", max_length=300)],
                [cards.submit("Add", {"form": "agenda_add"})],
            ),
        }
    if subject_ref is None:
        return None
    starts: dict[str, tuple[str, str]] = {
        NudgeKind.RTW_DUE: ("Log RTW", "log_rtw"),
        NudgeKind.APR_DUE: ("Record APR", "record_apr"),
        NudgeKind.ONE_TO_ONE_DUE: ("Log one-to-one", "log_one_to_one"),
        NudgeKind.KEEP_IN_TOUCH: ("See their absence", "absences_for"),
        NudgeKind.ONE_TO_ONE_PREP: ("Open prep card", "one_to_one_prep"),
        NudgeKind.ONE_TO_ONE_CHECK: ("Did you meet?", "did_you_meet"),
    }
    command = starts.get(kind)
    if command is None:
        return None
    return cards.submit(command[0], {"command": command[1], "employee_id": subject_ref})


def item_element(nudge: Any, subject_ref: str | None) -> cards.Element:
    """One item: what is due, since when, and its buttons."""
    title = f"**{cards.plain(nudge.title)}**" + (" (escalated)" if nudge.escalated else "")
    buttons: list[cards.Element] = []
    start = None if nudge.escalated else _start_button(nudge.kind, nudge.item_key, subject_ref)
    if start is not None:
        buttons.append(start)
    buttons.append(cards.submit("Snooze 7 days", {"form": SNOOZE, "item_key": nudge.item_key}))
    if nudge.kind == NudgeKind.OBJECTIVE_TO_AGREE:
        # An objective's agreement is a record in Charter, not something done elsewhere:
        # Agree (or Discuss) it, or Snooze. "Done elsewhere" would silence the reminder and
        # leave the objective waiting to be agreed for good.
        return _item(nudge, title, buttons)
    buttons.append(
        {
            "type": "Action.ShowCard",
            "title": "Done elsewhere",
            "card": cards.card(
                [cards.input_text("reason", "Where was it done?", max_length=500)],
                [cards.submit("Save", {"form": DONE_ELSEWHERE, "item_key": nudge.item_key})],
            ),
        }
    )
    return _item(nudge, title, buttons)


def _item(nudge: Any, title: str, buttons: list[cards.Element]) -> cards.Element:
    return cards.container(
        [
            cards.text(title),
            cards.text(f"{nudge.detail} (due since {nudge.due_since:%-d %b %Y})", subtle=True),
            cards.action_set(buttons),
        ],
        separator=True,
    )


def digest_cards(
    nudges: Sequence[Any], subject_refs: Mapping[int, str], *, max_bytes: int = 80_000
) -> list[cards.Element]:
    """The digest as one card, or several when it would be over ~80 KB."""
    sections: dict[str, list[cards.Element]] = {}
    for nudge in nudges:
        heading = SECTIONS.get(nudge.kind, "Reminders")
        ref = subject_refs.get(nudge.subject_id) if nudge.subject_id is not None else None
        sections.setdefault(heading, []).append(item_element(nudge, ref))
    ordered = [(h, sections[h]) for h in SECTIONS.values() if h in sections]
    ordered += [(h, items) for h, items in sections.items() if h not in SECTIONS.values()]
    parts = split_digest(ordered, max_bytes=max_bytes)
    result = []
    for index, part in enumerate(parts, start=1):
        title = "Things to do" if len(parts) == 1 else f"Things to do ({index} of {len(parts)})"
        body: list[cards.Element] = [cards.heading(title)]
        if index == 1:
            body.append(cards.text("What Charter found due for you and your team.", subtle=True))
        for heading, elements in part:
            body.append(cards.subheading(heading))
            body.extend(elements)
        result.append(cards.card(body))
    return result
