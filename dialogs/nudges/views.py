"""The reminder digest: one card per person per run, grouped by what needs doing, each item
with the button that starts it, plus Snooze (7 days) and Done elsewhere.

The employee's day-before item is an invitation, not something overdue: "anything you want to
talk about?" with a one-line box and "Add to my agenda" right on it (:data:`AGENDA_ADD`), no
Snooze, no Done elsewhere and no "due since". Once a point is added the item says so ("Added:
…") and offers the box again for another point.

Acted on, the digest changes in place: the item shows what was done ("Agreed by Priya at
10:42", "Snoozed until Monday 14 December") and loses its buttons, the other items keep theirs
(:func:`digest_part`). What an item shows is worked out on the server from what was recorded
(dialogs/nudges/handlers.py), never from the card that was pressed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dialogs import cards
from domain.nudge_rules import NudgeKind, split_digest
from domain.people import Person
from domain.records import ObjectiveView

SNOOZE = "nudge_snooze"
DONE_ELSEWHERE = "nudge_done"
# An objective to agree, in the digest itself: show it (REVIEW), then Agree or Ask for changes.
REVIEW = "nudge_review"
AGREE = "nudge_agree"
CHANGES = "nudge_changes"
# The day-before invitation's "Add to my agenda" (its box's text goes to the presser's agenda).
AGENDA_ADD = "nudge_agenda_add"
AGENDA_TEXT = "agenda_point"
# The item key of an objective waiting to be agreed (services/nudge_planner.py).
OBJECTIVE_PREFIX = "objective:"

SECTIONS: dict[str, str] = {
    NudgeKind.RTW_DUE: "Return-to-work conversations",
    NudgeKind.KEEP_IN_TOUCH: "Keeping in touch",
    NudgeKind.APR_DUE: "Annual Performance Reviews",
    NudgeKind.ONE_TO_ONE_DUE: "One-to-ones",
    # Beside the overdue ones: one overdue and planned tomorrow has its prep card just below.
    NudgeKind.ONE_TO_ONE_PREP: "Coming one-to-ones",
    NudgeKind.OBJECTIVE_TO_AGREE: "Objectives to agree",
    NudgeKind.ONE_TO_ONE_CHECK: "Planned one-to-ones that have passed",
    NudgeKind.AGENDA_INVITE: "Your one-to-one",
}


# Kinds that are a look ahead, not something late: no "due since".
NOT_OVERDUE = frozenset({NudgeKind.AGENDA_INVITE, NudgeKind.ONE_TO_ONE_PREP})


def _start_button(
    kind: str, item_key: str, subject_ref: str | None, digest_id: int | None = None
) -> cards.Element | None:
    """The button that starts the right conversation for the item."""
    if kind == NudgeKind.OBJECTIVE_TO_AGREE and item_key.startswith("objective:"):
        if digest_id is not None:  # opens in the digest: title, measure and date first
            return cards.submit(
                "Agree objective", {"form": REVIEW, "digest_id": digest_id, "item_key": item_key}
            )
        objective_id = int(item_key.split(":")[1])
        # Shows the measure and date first (the objectives feature's confirm step).
        return cards.submit(
            "Agree objective", {"form": "objective_review", "objective_id": objective_id}
        )
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


def _digest_id(nudge: Any) -> int | None:
    found = getattr(nudge, "digest_id", None)
    return found if isinstance(found, int) else None


def invite_element(
    nudge: Any, *, added: Sequence[str] = (), notice: str | None = None
) -> cards.Element:
    """The employee's day-before item: the question, what they added from it so far
    (``added``, read from their agenda), a polite ``notice`` after a press that changed
    nothing, and a one-line box with "Add to my agenda" (for another point, once added)."""
    items = [cards.text(f"**{cards.plain(nudge.title)}**"), cards.text(cards.plain(nudge.detail))]
    items += [cards.text(f"**Added:** {cards.plain(point)}") for point in added]
    if notice is not None:
        items.append(cards.warning(cards.plain(notice)))
    about: dict[str, object] = {"form": AGENDA_ADD, "item_key": nudge.item_key}
    digest_id = _digest_id(nudge)
    if digest_id is not None:
        about["digest_id"] = digest_id
    label = "Anything else?" if added else "A point for your agenda"
    items.append(
        cards.input_text(
            AGENDA_TEXT,
            label,
            max_length=300,
            placeholder="e.g. a training course",
        )
    )
    items.append(cards.action_set([cards.submit("Add to my agenda", about, primary=True)]))
    return cards.container(items, separator=True)


def item_element(
    nudge: Any,
    subject_ref: str | None,
    *,
    outcome: str | None = None,
    review: Sequence[tuple[str, str]] | None = None,
) -> cards.Element:
    """One item: what is due, since when, and its buttons; once acted on, ``outcome`` (what
    was done) instead of the buttons; ``review``: an objective's facts, to agree or not."""
    if nudge.kind == NudgeKind.AGENDA_INVITE:
        return invite_element(nudge)
    title = f"**{cards.plain(nudge.title)}**" + (" (escalated)" if nudge.escalated else "")
    if outcome is not None:
        return _item(nudge, title, [], outcome=outcome)
    digest_id = _digest_id(nudge)
    # Which card and item a button is about: checked on the server against the outbox.
    about: dict[str, object] = {"item_key": nudge.item_key}
    if digest_id is not None:
        about["digest_id"] = digest_id
    if review is not None and digest_id is not None:
        return _item(nudge, title, _review_buttons(about), review=review)
    buttons: list[cards.Element] = []
    start = (
        None
        if nudge.escalated
        else _start_button(nudge.kind, nudge.item_key, subject_ref, digest_id)
    )
    if start is not None:
        buttons.append(start)
    buttons.append(cards.submit("Snooze", {"form": SNOOZE, **about}))
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
                [cards.submit("Save", {"form": DONE_ELSEWHERE, **about})],
            ),
        }
    )
    return _item(nudge, title, buttons)


def _review_buttons(about: dict[str, object]) -> list[cards.Element]:
    """Agree, or say what should change (sent to the objective's owner)."""
    return [
        cards.submit("Agree", {"form": AGREE, **about}, primary=True),
        {
            "type": "Action.ShowCard",
            "title": "Ask for changes",
            "card": cards.card(
                [
                    cards.input_text(
                        "comment", "What should change?", multiline=True, max_length=2000
                    )
                ],
                [cards.submit("Send", {"form": CHANGES, **about})],
            ),
        },
        cards.submit("Snooze", {"form": SNOOZE, **about}),
    ]


def _item(
    nudge: Any,
    title: str,
    buttons: list[cards.Element],
    *,
    outcome: str | None = None,
    review: Sequence[tuple[str, str]] | None = None,
) -> cards.Element:
    detail = nudge.detail
    if nudge.kind not in NOT_OVERDUE:
        detail += f" (due since {nudge.due_since:%-d %b %Y})"
    items = [cards.text(title), cards.text(detail, subtle=True)]
    if review is not None:
        items += [cards.text("Agree this objective?", size="Small"), cards.facts(list(review))]
    if outcome is not None:
        items.append(cards.text(f"**{cards.plain(outcome)}**"))
    if buttons:
        items.append(cards.action_set(buttons))
    return cards.container(items, separator=True)


Part = list[tuple[str, list[cards.Element]]]


def _parts(nudges: Sequence[Any], subject_refs: Mapping[int, str], max_bytes: int) -> list[Part]:
    # Split as first sent, so a re-drawn part holds the same items as the message it replaces.
    sections: dict[str, list[cards.Element]] = {}
    for nudge in nudges:
        heading = SECTIONS.get(nudge.kind, "Reminders")
        ref = subject_refs.get(nudge.subject_id) if nudge.subject_id is not None else None
        sections.setdefault(heading, []).append(item_element(nudge, ref))
    ordered = [(h, sections[h]) for h in SECTIONS.values() if h in sections]
    ordered += [(h, items) for h, items in sections.items() if h not in SECTIONS.values()]
    return split_digest(ordered, max_bytes=max_bytes)


def _about_someone_else(nudge: Any) -> bool:
    recipient = getattr(nudge, "recipient_id", None)
    if recipient is None:  # not known here: only the invitation is about the reader
        return bool(nudge.kind != NudgeKind.AGENDA_INVITE)
    return nudge.subject_id is not None and nudge.subject_id != recipient


def for_whom(nudges: Sequence[Any]) -> str:
    """Whom the digest is about: "you and your team" only when an item is about someone else
    (someone who manages nobody only ever gets items about themselves)."""
    return "you and your team" if any(_about_someone_else(n) for n in nudges) else "you"


def _part_card(part: Part, index: int, count: int, whom: str) -> cards.Element:
    title = "Things to do" if count == 1 else f"Things to do ({index} of {count})"
    body: list[cards.Element] = [cards.heading(title)]
    if index == 1:
        body.append(cards.text(f"What Charter found due for {whom}.", subtle=True))
    for heading, elements in part:
        body.append(cards.subheading(heading))
        body.extend(elements)
    return cards.card(body)


def digest_cards(
    nudges: Sequence[Any], subject_refs: Mapping[int, str], *, max_bytes: int = 80_000
) -> list[cards.Element]:
    """The digest as one card, or several when it would be over ~80 KB."""
    parts = _parts(nudges, subject_refs, max_bytes)
    whom = for_whom(nudges)
    return [_part_card(part, i, len(parts), whom) for i, part in enumerate(parts, start=1)]


def _item_key_of(element: cards.Element) -> str | None:
    for action in cards.submit_actions(element):
        key = action.get("data", {}).get("item_key")
        if isinstance(key, str):
            return key
    return None


def digest_part(
    nudges: Sequence[Any],
    subject_refs: Mapping[int, str],
    item_key: str,
    *,
    outcomes: Mapping[str, str],
    review: Sequence[tuple[str, str]] | None = None,
    added: Mapping[str, Sequence[str]] | None = None,
    notice: str | None = None,
    max_bytes: int = 80_000,
) -> cards.Element:
    """The card (part of the digest, as it was sent) holding ``item_key``, as it is now: each
    item in ``outcomes`` shows what was done instead of its buttons; ``review`` opens the
    pressed item's objective to agree; an invitation shows the points ``added`` from it, and
    ``notice`` if it is the one pressed."""
    parts = _parts(nudges, subject_refs, max_bytes)
    by_key = {n.item_key: n for n in nudges}
    index, part = next(
        (
            (i, p)
            for i, p in enumerate(parts, start=1)
            for _, items in p
            if any(_item_key_of(e) == item_key for e in items)
        ),
        (1, parts[0]),
    )
    now: Part = []
    for heading, elements in part:
        items = []
        for element in elements:
            key = _item_key_of(element)
            nudge = by_key.get(key) if key is not None else None
            if nudge is None:
                items.append(element)
                continue
            if nudge.kind == NudgeKind.AGENDA_INVITE:
                items.append(
                    invite_element(
                        nudge,
                        added=(added or {}).get(nudge.item_key, ()),
                        notice=notice if nudge.item_key == item_key else None,
                    )
                )
                continue
            ref = subject_refs.get(nudge.subject_id) if nudge.subject_id is not None else None
            items.append(
                item_element(
                    nudge,
                    ref,
                    outcome=outcomes.get(nudge.item_key),
                    review=review if nudge.item_key == item_key else None,
                )
            )
        now.append((heading, items))
    return _part_card(now, index, len(parts), for_whom(nudges))


def objective_notice(
    who: Person,
    objective: ObjectiveView,
    did: str,
    *,
    comment: str | None = None,
    owner_can_change: bool = False,
) -> cards.Element:
    """To the other side of an objective acted on from a digest: who did what, to which."""
    body = [
        cards.text(f"**{who.name}** {did}:"),
        cards.subheading(cards.plain(objective.title)),
    ]
    if comment:
        body.append(cards.text(cards.plain(comment)))
    actions = None
    if owner_can_change:
        actions = [
            cards.submit("Change it", {"form": "objective_edit", "objective_id": objective.id})
        ]
    return cards.card(body, actions)
