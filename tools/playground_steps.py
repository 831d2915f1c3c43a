"""The walkthrough's four steps (see tools/playground_walkthrough.py). Each acts as a person
would in the Playground, then checks the card changed in place and the database holds exactly
one record (read-only SQL)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground_api import Event, Playground, button_data, buttons, card_text
from playground_browser import Browser
from playground_checks import Transcript, first, updated_in_place
from playground_stack import ROOT, Stack

RHYS = "rhys.evans@demo-council.example"
OLUWASEUN = "oluwaseun.adeyemi@demo-council.example"
PRIYA = "priya.shah@demo-council.example"
FIRST_TEXT = "Walkthrough: rota for the Christmas opening hours agreed."
EDITED_TEXT = "EDITED after saving: this must not be saved."


# In-place updates of a digest's items are being built on another branch (issue 15).
@dataclass
class Walk:
    """What the steps share: the running stack, the chat, the page and the transcript."""

    stack: Stack
    chat: Playground
    out: Transcript
    browser: Browser | None
    shots: Path | None

    def said(self, who: str, what: str) -> None:
        self.out.say(f"  {who}: {what}")

    def shown(self, events: list[Event]) -> None:
        for event in events:
            content = card_text(event.card) if event.card else event.text
            verb = "updates card" if event.action == "updateMessage" else "sends"
            self.out.say(f"    Charter {verb} {event.message_id}: {first(content)}")

    async def say(self, who: str, text: str) -> list[Event]:
        self.said(who, text)
        events = await self.chat.say(text)
        self.shown(events)
        return events

    async def press(self, who: str, event: Event, title: str, **over: object) -> list[Event]:
        """Press ``title`` on the card of ``event``, with ``over`` typed into its inputs."""
        match = {k.removeprefix("match_"): v for k, v in over.items() if k.startswith("match_")}
        typed = {k: v for k, v in over.items() if not k.startswith("match_")}
        value = {**button_data(event.card, title, match or None), **typed}
        self.said(who, f"presses [{title}] on {event.message_id}" + (f" {typed}" if typed else ""))
        events = await self.chat.submit(event.message_id, value)
        self.shown(events)
        return events

    def in_place(
        self, message_id: str, since: int, expect: str, what: str, known: str = ""
    ) -> bool:
        ok, detail = updated_in_place(self.chat.conversation, message_id, since, expect)
        return self.out.check(ok, f"{what}: card updated in place", detail, known)

    def screenshot(self, name: str) -> None:
        if self.browser is None or self.shots is None:
            return
        path = self.shots / f"walkthrough-{name}.png"
        self.browser.screenshot(path)
        self.out.say(
            f"  (screenshot: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path})"
        )


def card_with_button(events: list[Event], title: str, **data: object) -> Event | None:
    """The newest event whose card has button ``title`` with this data."""
    for event in reversed(events):
        for button in buttons(event.card or {}):
            got = button.get("data") or {}
            if button["title"] == title and all(got.get(k) == v for k, v in data.items()):
                return event
    return None


async def open_chat(walk: Walk, stack: Stack) -> None:
    """Open the Playground's page (which installs the app, as a person's first visit does);
    without a browser, send the install event through the API."""
    mark = walk.chat.conversation.mark()
    if walk.browser is not None:
        walk.browser.open(stack.playground_url)
        walk.browser.wait_for("document.body.innerText.includes('Personal Chat')")
    else:
        await walk.chat.install()
    await walk.chat.wait_for(lambda e: e.card is not None, timeout=30)
    walk.shown(walk.chat.conversation.since(mark))


def employee_pk(walk: Walk, email: str) -> int:
    return int(walk.stack.one("select id from employee where email = ?", email))


def one_to_ones(walk: Walk, employee: int) -> list[tuple[Any, ...]]:
    return walk.stack.query(
        "select id, managing, acknowledged_at from one_to_one where employee_id = ? order by id",
        employee,
    )


def carried_counts(walk: Walk, employee: int) -> list[tuple[Any, ...]]:
    return walk.stack.query(
        "select id, carried_forward from one_to_one_action "
        "where employee_id = ? and status = 'open' order by id",
        employee,
    )


async def open_form(walk: Walk) -> Event:
    """`log 1:1 with Rhys`, through the carry-over step (ticking nothing) to the form."""
    events = await walk.say("Priya", "log 1:1 with Rhys")
    card = walk.chat.conversation.last_card()
    if any(b["title"] == "Continue" for b in buttons(card.card)):
        mark = walk.chat.conversation.mark()
        await walk.press("Priya", card, "Continue")
        walk.in_place(card.message_id, mark, "Log a one-to-one", "carry-over step -> form")
    elif not events:
        raise RuntimeError("no answer to 'log 1:1 with Rhys'")
    form = walk.chat.conversation.current(card.message_id)
    assert form is not None
    return form


async def step_one_to_one(walk: Walk) -> int:
    """(a); the id of the one-to-one saved."""
    walk.out.step("a. Priya: Cancel an empty one-to-one form, log one with Rhys, press Save again")
    rhys = employee_pk(walk, RHYS)
    await cancel_empty_form(walk, rhys)
    await cancel_after_carry_over(walk, rhys)
    record = await save_twice(walk, rhys)
    walk.screenshot("1-one-to-one")
    return record


PAGE_PRESS = """(() => {
  const cards = [...document.querySelectorAll('.ac-adaptiveCard')]
    .filter(c => c.innerText.includes(%s));
  if (!cards.length) return 'no such card on the page';
  const b = [...cards[cards.length - 1].querySelectorAll('button')]
    .find(x => x.innerText.trim() === %s);
  if (!b) return 'no such button';
  b.click();
  return 'clicked';
})()"""


async def page_press(walk: Walk, form: Event, heading: str, title: str, wait: float) -> list[Event]:
    """Press ``title`` on the newest card showing ``heading`` in the Playground's page (its
    own Adaptive Cards renderer: the client's checks apply); what the bot then did."""
    assert walk.browser is not None
    walk.said("Priya", f"presses [{title}] on the empty form in the Playground's page")
    clicked = walk.browser.evaluate(PAGE_PRESS % (json.dumps(heading), json.dumps(title)))
    walk.out.check(clicked == "clicked", f"the page shows the form with {title}", clicked)
    events = await walk.chat.wait_for(lambda e: e.message_id == form.message_id, wait)
    walk.shown(events)
    return events


async def cancel_empty_form(walk: Walk, rhys: int) -> None:
    """`log 1:1` without a name: "Who with" is required and empty. Cancel still works."""
    out = walk.out
    before = one_to_ones(walk, rhys)
    await walk.say("Priya", "log 1:1")
    form = walk.chat.conversation.last_card()
    cancel = next(b for b in buttons(form.card) if b["title"] == "Cancel")
    out.check(
        str(cancel.get("associatedInputs", "")).lower() == "none",
        "Cancel sends no inputs, so the client does not validate the empty form",
        f"Cancel button: associatedInputs={cancel.get('associatedInputs')!r}",
    )
    mark = walk.chat.conversation.mark()
    if walk.browser is None:
        await walk.press("Priya", form, "Cancel")
    else:
        # The page's own required-field check, shown for comparison: Save sends nothing.
        sent = await page_press(walk, form, "Log a one-to-one", "Save one-to-one", 4)
        out.say(
            "        (the page's required-field check "
            + ("let the empty form through)" if sent else "kept the empty Save from being sent)")
        )
        await page_press(walk, form, "Log a one-to-one", "Cancel", 15)
    walk.in_place(form.message_id, mark, "Cancelled", "Cancel on the empty form")
    now = one_to_ones(walk, rhys)
    out.check(
        now == before,
        "Cancel saved no one-to-one",
        f"SQL: one_to_one rows for Rhys: {len(before)} before, {len(now)} after",
    )


async def cancel_after_carry_over(walk: Walk, rhys: int) -> None:
    """`log 1:1 with Rhys` shows his open actions first; Cancel on the form after that step
    must leave them as they were too."""
    carried = carried_counts(walk, rhys)
    form = await open_form(walk)
    mark = walk.chat.conversation.mark()
    await walk.press("Priya", form, "Cancel")
    walk.in_place(form.message_id, mark, "Cancelled", "Cancel after the open-actions step")
    after = carried_counts(walk, rhys)
    walk.out.check(
        after == carried,
        "that Cancel changed nothing either (the open actions' carried-forward counts)",
        f"SQL: one_to_one_action (id, carried_forward): before {carried}, after {after}",
    )


async def save_twice(walk: Walk, rhys: int) -> int:
    """Save the form, then press Save on it again with edits; the record's id."""
    out = walk.out
    before = one_to_ones(walk, rhys)
    form = await open_form(walk)
    mark = walk.chat.conversation.mark()
    await walk.press("Priya", form, "Save one-to-one", managing=FIRST_TEXT,
                     shared_notes="Walkthrough: rota agreed.")  # fmt: skip
    walk.in_place(form.message_id, mark, "Saved: one-to-one with Rhys", "Save")
    rows = one_to_ones(walk, rhys)
    new = [r for r in rows if r not in before]
    out.check(
        len(new) == 1 and new[0][1] == FIRST_TEXT,
        "exactly one one-to-one saved, with what was typed",
        f"SQL: one_to_one rows for Rhys: {len(before)} -> {len(rows)}",
    )
    mark = walk.chat.conversation.mark()
    await walk.press("Priya", form, "Save one-to-one", managing=EDITED_TEXT)
    walk.in_place(form.message_id, mark, "already saved", "Save again with edits")
    now = walk.chat.conversation.current(form.message_id)
    kept = card_text(now.card or {}) if now else ""
    edit = any(b["title"] == "Edit" for b in buttons(now.card if now else {}))
    out.check(
        "Saved: one-to-one with Rhys" in kept and edit,
        "the card still shows what was saved, and the Edit button its message points to",
        f"card now: {' / '.join(kept.splitlines()[:3])}; Edit button: {edit}",
    )
    again = one_to_ones(walk, rhys)
    out.check(
        len(again) == len(rows) and again[-1][1] == FIRST_TEXT,
        "still exactly one one-to-one, the edits not saved",
        f"SQL: one_to_one rows for Rhys: {len(again)}; managing = {again[-1][1]!r}",
    )
    return int(new[0][0]) if len(new) == 1 else -1


def rtws(walk: Walk, employee: int) -> list[tuple[Any, ...]]:
    return walk.stack.query(
        "select id, absence_id, outcome from return_to_work where employee_id = ? order by id",
        employee,
    )


def first_choice(card: dict[str, Any], input_id: str) -> str:
    found: list[str] = []

    def walk_node(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("id") == input_id and node.get("choices"):
                found.append(str(node["choices"][0]["value"]))
            for value in node.values():
                walk_node(value)
        elif isinstance(node, list):
            for value in node:
                walk_node(value)

    walk_node(card)
    if not found:
        raise LookupError(f"the card has no choices for {input_id}")
    return found[0]


async def step_rtw(walk: Walk) -> None:
    out = walk.out
    out.step("b. Priya: a return-to-work conversation with Oluwaseun (back today, one due)")
    person = employee_pk(walk, OLUWASEUN)
    before = rtws(walk, person)
    await walk.say("Priya", "log return to work for Oluwaseun")
    card = walk.chat.conversation.last_card()
    if "Return to work" not in card_text(card.card or {}):
        raise RuntimeError("no return-to-work form: " + card_text(card.card or {})[:200])
    mark = walk.chat.conversation.mark()
    outcome = first_choice(card.card or {}, "outcome")
    await walk.press("Priya", card, "Save return to work", outcome=outcome,
                     notes="Walkthrough: feeling better; no support needed.")  # fmt: skip
    walk.in_place(card.message_id, mark, "Saved: return to work", "Save return to work")
    after = rtws(walk, person)
    out.check(
        len(after) == len(before) + 1,
        "exactly one return-to-work record saved",
        f"SQL: return_to_work rows for Oluwaseun: {len(before)} -> {len(after)}",
    )


def objective_state(walk: Walk, objective_id: int) -> tuple[Any, ...]:
    rows = walk.stack.query(
        "select o.status, o.agreed_at, a.email, o.title, o.employee_id from objective o "
        "left join employee a on a.id = o.agreed_by_id where o.id = ?",
        objective_id,
    )
    return rows[0]


async def deliver_digest(walk: Walk) -> Event:
    walk.said("(admin)", "charter nudges --deliver-now")
    mark = walk.chat.conversation.mark()
    printed = await asyncio.to_thread(walk.stack.charter, "nudges", "--deliver-now")
    walk.out.say("    " + "\n    ".join(printed.strip().splitlines()[-3:]))

    def is_digest(event: Event) -> bool:
        return any(b["title"] == "Agree objective" for b in buttons(event.card or {}))

    await walk.chat.wait_for(is_digest, 60)
    walk.shown(walk.chat.conversation.since(mark))
    digest = [e for e in walk.chat.conversation.since(mark) if is_digest(e)]
    if not digest:
        raise RuntimeError("no digest with an objective to agree arrived")
    return digest[-1]


async def step_digest(walk: Walk) -> None:
    """Agree opens the objective inside the digest (measure, date, Agree / Ask for changes);
    Agree then marks that item agreed: both are updates of the digest message itself."""
    out = walk.out
    out.step("c. Priya: agree an objective from her digest")
    digest = await deliver_digest(walk)
    agree = next(b for b in buttons(digest.card) if b["title"] == "Agree objective")
    item_key = str(agree["data"]["item_key"])
    objective = int(item_key.removeprefix("objective:"))
    status, _, _, title, owner = objective_state(walk, objective)
    out.say(f"    (objective {objective}: {title!r}, status {status})")
    mark = walk.chat.conversation.mark()
    await walk.press("Priya", digest, "Agree objective", match_item_key=item_key)
    walk.in_place(digest.message_id, mark, title, "Agree objective opens it in the digest")
    opened = walk.chat.conversation.current(digest.message_id)
    if opened is None or card_with_button([opened], "Agree", item_key=item_key) is None:
        raise RuntimeError("the digest did not show the objective with an Agree button")
    inner = walk.chat.conversation.mark()
    await walk.press("Priya", opened, "Agree", match_item_key=item_key)
    walk.in_place(digest.message_id, inner, "Agreed by Priya", "Agree: the digest item")
    status, agreed_at, by, _, _ = objective_state(walk, objective)
    same = walk.stack.one(
        "select count(*) from objective where employee_id = ? and title = ?", owner, title
    )
    out.check(
        status == "agreed" and agreed_at is not None and by == PRIYA and same == 1,
        "exactly one objective, agreed once, by Priya",
        f"SQL: objective {objective}: status={status}, agreed_by={by}; rows with its title: {same}",
    )
    walk.screenshot("2-digest-agreed")


async def step_rhys(walk: Walk, record: int) -> None:
    out = walk.out
    out.step("d. Rhys (staff): acknowledge the one-to-one Priya logged before he opened Charter")
    rhys = employee_pk(walk, RHYS)
    refs = walk.stack.one("select count(*) from conversation_reference where employee_id = ?", rhys)
    out.check(
        refs == 0, "Rhys had never opened Charter", f"SQL: his conversation references: {refs}"
    )
    await open_chat(walk, walk.stack)
    found = card_with_button(walk.chat.conversation.events, "Acknowledge", record_id=record)
    waiting = card_with_button(walk.chat.conversation.events, "Open my one-to-ones")
    out.check(
        waiting is not None,
        "Rhys's first visit says what is waiting for him, with a button",
        first(card_text(waiting.card or {})) if waiting else "no 'Open my one-to-ones' button",
    )
    if found is None and waiting is not None:
        await walk.press("Rhys", waiting, "Open my one-to-ones")
        found = card_with_button(walk.chat.conversation.events, "Acknowledge", record_id=record)
    if found is None:
        out.check(False, "Rhys is offered Acknowledge on the one-to-one", f"record {record}")
        return
    found = walk.chat.conversation.current(found.message_id) or found
    others = [
        b["data"]["record_id"]
        for b in buttons(found.card)
        if b["title"] == "Acknowledge" and b["data"].get("record_id") != record
    ]
    mark = walk.chat.conversation.mark()
    await walk.press("Rhys", found, "Acknowledge", match_record_id=record)
    walk.in_place(found.message_id, mark, "Acknowledged", "Acknowledge")
    now = walk.chat.conversation.current(found.message_id)
    still = [
        b["data"].get("record_id")
        for b in buttons(now.card if now and now.card else {})
        if b["title"] == "Acknowledge"
    ]
    out.check(
        sorted(still) == sorted(others),
        "the other one-to-ones on that card keep their Acknowledge buttons",
        f"waiting besides this one: {others}; Acknowledge buttons on the updated card: {still}",
    )
    rows = one_to_ones(walk, rhys)
    acknowledged = [r for r in rows if r[0] == record and r[2] is not None]
    since = len([r for r in rows if r[0] >= record])
    out.check(
        len(acknowledged) == 1 and since == 1,
        "exactly one one-to-one, acknowledged",
        f"SQL: one_to_one {record} acknowledged_at="
        f"{acknowledged[0][2] if acknowledged else None}; one-to-ones with Rhys since: {since}",
    )
    walk.screenshot("3-rhys-acknowledged")
