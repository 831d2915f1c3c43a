"""`compliance` (HR admins) and `scorecard` (HR admins and heads of service) in chat."""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs import hr_report_views as views
from dialogs.one_to_one_dialog import send_card
from domain.compliance import compliance_report
from domain.people import Person
from domain.scorecard import department_scorecard, departments
from domain.services import Services
from storage import employees

NOT_A_HEAD = (
    "Sorry, the **scorecard** is for HR admins and heads of service (managers of managers), "
    "for their own department. Type **my team** to see your team."
)


async def compliance(turn_context: TurnContext, services: Services, person: Person) -> None:
    """HR only; the router has already refused everyone else politely."""
    if not person.is_hr_admin:  # belt and braces: the router checks the audience first
        await turn_context.send_activity("Sorry, **compliance** is for HR admins.")
        return
    report = await compliance_report(
        services.database, services.staff_rules, services.clock.today()
    )
    await send_card(turn_context, views.compliance_card(report))


async def _is_head_of_service(services: Services, person: Person) -> bool:
    """A manager of managers: someone with a direct report who has reports of their own."""
    async with services.database.sessions() as session:
        reports = await employees.active_direct_reports(session, person.id, services.clock.today())
    return any(r.is_manager for r in reports)


async def scorecard(
    turn_context: TurnContext,
    services: Services,
    person: Person,
    *,
    name: str | None,
    employee_ref: object = None,
) -> None:
    today = services.clock.today()
    known = await departments(services.database, today)
    if person.is_hr_admin:
        wanted = name or person.department
    elif await _is_head_of_service(services, person):
        wanted = person.department
        if name and name.strip().lower() != person.department.lower():
            await turn_context.send_activity(
                f"Heads of service see their own department's scorecard; here is "
                f"{person.department}'s."
            )
    else:
        await turn_context.send_activity(NOT_A_HEAD)
        return
    department = next((d for d in known if d.lower() == (wanted or "").strip().lower()), None)
    if department is None:
        listed = ", ".join(known) or "none yet"
        await turn_context.send_activity(
            f"I couldn't find a department called \u201c{wanted}\u201d. Departments: {listed}."
        )
        return
    card = await department_scorecard(
        services.database, services.staff_rules, today, department, services.scorecard_targets
    )
    await send_card(turn_context, views.scorecard_card(card))
