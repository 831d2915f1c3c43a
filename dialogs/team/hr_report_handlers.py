"""`compliance` (HR admins) and `scorecard` (HR admins and heads of service) in chat."""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs.kit import send_card
from dialogs.team import hr_report_views as views
from domain.people import Person
from domain.report_links import COMPLIANCE_REPORT
from services.compliance import compliance_report
from services.registry import Services


async def compliance(turn_context: TurnContext, services: Services, person: Person) -> None:
    """HR only; the router has already refused everyone else politely."""
    if not person.is_hr_admin:  # belt and braces: the router checks the audience first
        await turn_context.send_activity("Sorry, **compliance** is for HR admins.")
        return
    report = await compliance_report(
        services.database, services.staff_rules, services.clock.today()
    )
    links = services.report_links
    link = links.link(COMPLIANCE_REPORT, person.id, services.clock.now()) if links else None
    await send_card(turn_context, views.compliance_card(report, report_link=link))


async def scorecard(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    *,
    name: str | None,
    employee_ref: object = None,
) -> None:
    answer = await services.scorecards.for_viewer(person, name)
    if answer.note:
        await turn_context.send_activity(answer.note)
    await send_card(turn_context, views.scorecard_card(answer.scorecard))
