"""The absence and return-to-work routes."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.absence import handlers, views
from dialogs.routes import Phrase, Route, command, for_form, for_named, for_person, submit
from domain.absence_phrases import parse_absence_phrase
from domain.commands import Audience, Capability

LOG_RTW = Capability(
    "log_rtw",
    "log return to work",
    "Record the return-to-work conversation after someone's sickness absence",
    aliases=("log rtw", "return to work", "rtw", "log a return to work"),
    audience=Audience.MANAGER,
    named=(
        "log return to work for",
        "log return to work with",
        "log rtw for",
        "return to work for",
        "rtw for",
        "rtw with",
    ),
    section="Absence",
    menu_description="Record the return-to-work conversation after sickness",
)


RECORD_ABSENCE = Capability(
    "record_absence",
    "record absence",
    "Someone in your team is off sick (or say: Sam is off sick)",
    aliases=("off sick", "record sickness", "someone is off sick"),
    audience=Audience.MANAGER,
    listed=False,
    named=("record absence for", "record sickness for"),
    section="Absence",
)


BACK_AT_WORK = Capability(
    "back_at_work",
    "back at work",
    "Someone is back after sickness (or say: Sam is back)",
    aliases=("someone is back",),
    audience=Audience.MANAGER,
    listed=False,
    named=("back at work",),
    section="Absence",
)


ABSENCES_FOR = Capability(
    "absences_for",
    "absences for",
    "Someone's absence in the last 12 months and where they stand on trigger points",
    audience=Audience.MANAGER_OR_HR,
    listed=False,
    named=("absences for", "absence for", "sickness record for", "absence record for"),
    section="Absence",
)


MY_ABSENCE = Capability(
    "my_absence",
    "my absence",
    "Your own absence record and return-to-work conversations",
    aliases=("my absences", "my sickness", "my sickness record"),
    listed=False,
    section="Absence",
)


def _phrase_of(kind: str) -> Phrase:
    """ "Sam is off sick" / "Sam is back" -> whose absence."""

    def read(text: str, today: date) -> dict[str, Any] | None:
        phrase = parse_absence_phrase(text)
        if phrase is None or (phrase.kind == "off_sick") != (kind == "off_sick"):
            return None
        return {"name": phrase.name}

    return Phrase(read, rank=50)


ROUTES: tuple[Route, ...] = (
    command(LOG_RTW, for_named(handlers.log_rtw)),
    command(RECORD_ABSENCE, for_named(handlers.off_sick), phrase=_phrase_of("off_sick")),
    command(BACK_AT_WORK, for_named(handlers.back), phrase=_phrase_of("back")),
    command(ABSENCES_FOR, for_named(handlers.absences_for)),
    command(MY_ABSENCE, for_person(handlers.my_absence)),
    submit(views.ABSENCE_START, for_form(handlers.submit_start)),
    submit(views.ABSENCE_END, for_form(handlers.submit_end)),
    submit(views.SHOW_RTW, for_form(handlers.show_rtw), changes=False),
    submit(views.RTW, for_form(handlers.submit_rtw)),
    submit(views.RTW_ACK, for_form(handlers.respond_to_rtw)),
    submit(views.RTW_COMMENT, for_form(handlers.respond_to_rtw)),
)
