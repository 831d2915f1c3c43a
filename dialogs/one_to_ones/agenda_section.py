"""The agenda in the one-to-one form: the open talking points to tick as discussed, and the
ids ticked, which ``OneToOneService.log`` marks discussed in the transaction that saves the
one-to-one (``services.agenda.settle_agenda`` keeps only this report's open points; unticked
points carry over)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dialogs import cards
from domain.agenda import AgendaPoint, waiting_text
from domain.people import Person
from services.agenda import AgendaService
from services.registry import Services

TICK_PREFIX = "agenda_"


def agenda_service(services: Services) -> AgendaService:
    return AgendaService(
        services.database,
        services.clock,
        services.audit,
        cadence_days=services.one_to_ones.policy.default_cadence_days,
    )


@dataclass(frozen=True)
class ToTick:
    """The open points a new one-to-one form offers, and when the pair last met."""

    points: tuple[AgendaPoint, ...] = ()
    last_held: date | None = None


def agenda_section(
    agenda: ToTick | None, today: date, typed: Mapping[str, str]
) -> list[cards.Element]:
    """A toggle per open point (ticked again if the form comes back with problems)."""
    if agenda is None or not agenda.points:
        return []
    body: list[cards.Element] = [
        cards.subheading("Agenda"),
        cards.text("Tick the points you discussed; the others stay on the agenda.", subtle=True),
    ]
    for point in agenda.points:
        key = f"{TICK_PREFIX}{point.id}"
        label = (
            f"{cards.plain(point.text)} (added by {point.added_by.value}, "
            f"{waiting_text(point, today, agenda.last_held)})"
        )
        body.append(cards.input_toggle(key, label, typed.get(key) == "true"))
    return body


def ticked_ids(value: Mapping[str, object]) -> set[int]:
    """The point ids ticked on the form (any id; the service keeps only this pair's)."""
    found = set()
    for key, ticked in value.items():
        number = key.removeprefix(TICK_PREFIX)
        if key.startswith(TICK_PREFIX) and number.isdigit() and str(ticked).lower() == "true":
            found.add(int(number))
    return found


async def points_to_tick(services: Services, manager: Person, report: Person | None) -> ToTick:
    """The report's open points for a new one-to-one form (none before the report is known)."""
    if report is None:
        return ToTick()
    points, last_held = await agenda_service(services).to_tick(manager, report)
    return ToTick(tuple(points), last_held)
