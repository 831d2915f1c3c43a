"""The walkthrough's checks, kept free of servers so they can be unit-tested: did a card change
in place in the Playground's conversation, and the PASS/FAIL transcript."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from playground_api import Conversation, card_text


def updated_in_place(
    conversation: Conversation, message_id: str, since: int, expect: str
) -> tuple[bool, str]:
    """Whether the message ``message_id`` was updated (same activity id, new content holding
    ``expect``) after ``since``, and the new content did not arrive only as a new message."""
    updates = conversation.updates_of(message_id, since)
    shown = conversation.current(message_id)
    now = card_text(shown.card) if shown is not None and shown.card else ""
    if updates and expect.lower() in now.lower():
        return True, f"activity {message_id} updated ({len(updates)} update(s)), now: {first(now)}"
    elsewhere = [
        e.message_id
        for e in conversation.new_cards(since)
        if expect.lower() in card_text(e.card or {}).lower() or expect.lower() in e.text.lower()
    ]
    if elsewhere:
        return False, (
            f"activity {message_id} not updated; {expect!r} came as a NEW message "
            f"{', '.join(elsewhere)} below it"
        )
    if updates:
        return False, f"activity {message_id} updated but shows: {first(now)}"
    return False, f"activity {message_id} not updated and {expect!r} never shown"


def first(text: str) -> str:
    line = next((x for x in text.splitlines() if x.strip()), "")
    return line if len(line) <= 90 else line[:87] + "..."


@dataclass
class Transcript:
    """The step-by-step PASS/FAIL transcript; printed as it goes and kept for docs/."""

    echo: Callable[[str], None] = print
    lines: list[str] = field(default_factory=list)
    passed: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def say(self, line: str = "") -> None:
        self.lines.append(line)
        self.echo(line)

    def step(self, title: str) -> None:
        self.say("")
        self.say(f"== {title} ==")

    def check(self, ok: bool, what: str, detail: str = "", known: str = "") -> bool:
        """One check. ``known`` names a failure someone is already working on: it still fails
        (and counts), the transcript just says so."""
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(what)
        mark = "PASS" if ok else "FAIL"
        self.say(f"  {mark}  {what}")
        if detail:
            self.say(f"        {detail}")
        if known and not ok:
            self.say(f"        (known: {known})")
        return ok

    def summary(self) -> int:
        """Print the totals; the exit status (0 only when every check passed)."""
        self.say("")
        self.say(f"{self.passed} passed, {self.failed} failed")
        for what in self.failures:
            self.say(f"  FAILED: {what}")
        return 0 if self.failed == 0 else 1
