"""The demo organisation: a fictional council's Community Services, for trying Charter out.

Everything here is made up and marked as such: every email is ``@demo-council.example``, the
rows are stored with ``is_demo`` set, and the Azure AD object ids are fixed placeholders the
Teams emulator configuration refers to (Priya Shah, ``…0003``, is the emulator's user).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.apr_cycle import (
    AprCyclePolicy,
    AprWindow,
    current_window,
    next_window,
    probation_ends,
)
from domain.people import Person
from domain.records import AREA_COLUMNS
from domain.rtw import fit_note_expected, rtw_due
from domain.triggers import AbsenceSpell, trigger_status
from domain.working_days import (
    WorkingPattern,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from services.absence import AbsencePolicy
from services.org_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, OrgImportResult, import_org
from storage import absence_reports, employees
from storage import absences as absence_repo
from storage import aprs as apr_repo
from storage import objectives as objective_repo
from storage import one_to_ones as repo
from storage import priorities as priority_repo
from storage.database import Database

DEMO_DOMAIN = "demo-council.example"
COMMUNITY = "Community Services"
CORPORATE = "Corporate Resources"


def demo_aad_object_id(number: int) -> str:
    """``00000000-0000-4000-8000-000000000003`` for 3: the emulator's fixed ids."""
    return f"00000000-0000-4000-8000-{number:012d}"


# (number, name, job title, department, manager's number, start date, roles)
_PEOPLE: tuple[tuple[int, str, str, str, int | None, str, str], ...] = (
    (1, "Helen Okafor", "HR Business Partner", CORPORATE, None, "2013-06-24", "hr_admin"),
    (2, "David Marsh", "Head of Community Services", COMMUNITY, None, "2008-02-04", ""),
    (3, "Priya Shah", "Libraries Team Manager", COMMUNITY, 2, "2014-03-17", ""),
    (4, "Tom Griffiths", "Waste and Recycling Team Manager", COMMUNITY, 2, "2012-09-03", ""),
    (5, "Aisha Khan", "Customer Services Team Manager", COMMUNITY, 2, "2016-04-11", ""),
    # Libraries, managed by Priya Shah
    (11, "Margaret Hughes", "Senior Library Officer", COMMUNITY, 3, "2009-04-14", ""),
    (12, "Oluwaseun Adeyemi", "Library Assistant", COMMUNITY, 3, "2015-09-01", ""),
    (13, "Rhys Evans", "Library Assistant", COMMUNITY, 3, "2019-06-10", ""),
    (14, "Mei Ling Chen", "Digital Inclusion Officer", COMMUNITY, 3, "2022-02-07", ""),
    (15, "Callum Fraser", "Library Assistant", COMMUNITY, 3, "2026-09-07", ""),  # in probation
    # Waste and Recycling, managed by Tom Griffiths
    (16, "Gary Whitfield", "Waste Services Officer", COMMUNITY, 4, "2011-03-21", ""),
    (17, "Bilal Hussain", "Recycling Officer", COMMUNITY, 4, "2016-10-03", ""),
    (18, "Siobhan Murphy", "Waste Services Officer", COMMUNITY, 4, "2018-01-15", ""),
    (19, "Daniel Kowalski", "Waste Services Supervisor", COMMUNITY, 4, "2013-07-08", ""),
    (20, "Grace Mensah", "Environmental Education Officer", COMMUNITY, 4, "2024-05-20", ""),
    # Customer Services, managed by Aisha Khan
    (21, "Sarah Thompson", "Senior Customer Advisor", COMMUNITY, 5, "2010-11-29", ""),
    (22, "Jamal Ahmed", "Customer Advisor", COMMUNITY, 5, "2017-08-14", ""),
    (23, "Emma Clarke", "Customer Advisor", COMMUNITY, 5, "2020-03-02", ""),
    (24, "Arjun Patel", "Customer Advisor", COMMUNITY, 5, "2023-01-09", ""),
    (25, "Niamh O'Brien", "Complaints Officer", COMMUNITY, 5, "2025-06-16", ""),
)


def demo_email(name: str) -> str:
    """``Niamh O'Brien`` → ``niamh.obrien@demo-council.example``."""
    first, *rest = name.lower().split()
    last = "".join(rest)
    if len(rest) > 1:  # "Mei Ling Chen": the given names run together
        first, last = first + "".join(rest[:-1]), rest[-1]
    clean = "".join(ch for ch in f"{first}.{last}" if ch.isalnum() or ch == ".")
    return f"{clean}@{DEMO_DOMAIN}"


def demo_org_rows() -> list[dict[str, str]]:
    """The demo organisation as org-file rows (all columns, as strings)."""
    emails = {number: demo_email(name) for number, name, *_ in _PEOPLE}
    return [
        {
            "employee_id": f"D{number:03d}",
            "name": name,
            "email": emails[number],
            "manager_email": emails[manager] if manager is not None else "",
            "department": department,
            "job_title": job_title,
            "start_date": start_date,
            "aad_object_id": demo_aad_object_id(number),
            "roles": roles,
        }
        for number, name, job_title, department, manager, start_date, roles in _PEOPLE
    ]


def demo_org_csv() -> str:
    """The demo organisation as an org file, e.g. to show HR what one looks like."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS])
    writer.writeheader()
    writer.writerows(demo_org_rows())
    return out.getvalue()


async def seed_demo(
    database: Database,
    as_of: date,
    *,
    apr_policy: AprCyclePolicy | None = None,
    absence_policy: AbsencePolicy | None = None,
) -> OrgImportResult:
    """Load the demo organisation, its one-to-ones, objectives, APRs and absence history;
    running it again changes nothing."""
    result = await import_org(
        database, io.StringIO(demo_org_csv()), full=False, as_of=as_of, demo=True
    )
    if result.ok:
        await seed_demo_one_to_ones(database, as_of)
        await seed_demo_objectives(database, as_of, policy=apr_policy)
        await seed_demo_absence(database, as_of, policy=absence_policy)
    return result


# --- one-to-one history ---------------------------------------------------------------------
#
# A few months of one-to-ones for the three team managers' reports, dated back from ``as_of``.
# Rhys Evans's have lapsed (the last was 70 days ago); Callum Fraser, in probation, has had one.
# Priya's team has open actions, so logging a new one-to-one shows the carry-over step.

# (report, days before as_of, managing, developing, supporting, wellbeing, shared notes)
_ONE_TO_ONES: tuple[tuple[int, int, str, str, str, str, str], ...] = (
    # Libraries: Priya Shah's team
    (
        11,
        108,
        "Summer Reading Challenge closed: 640 children took part, up 12% on last year.",
        "Keen to lead the stock rotation review across the three branches.",
        "Needs Saturday cover while two assistants are on leave in August.",
        "All well; taking a week off at half-term.",
        "Thank you for a brilliant summer. Margaret to scope the stock review.",
    ),
    (
        11,
        80,
        "Stock review plan agreed with the branch supervisors. Visitor numbers steady.",
        "Wants to do the CILIP 'Leading in libraries' course in November.",
        "Would like a quarterly catch-up with David on the service plan.",
        "Busy but fine. Reminded her to take breaks away from the desk.",
        "Good progress on the stock review; course funding to be confirmed.",
    ),
    (
        11,
        52,
        "Stock review phase one done at Central: 1,800 items weeded.",
        "",
        "Volunteer coordinator post still vacant; she is covering the rota herself.",
        "Feeling stretched by the volunteer rota on top of the review.",
        "Oluwaseun takes the volunteer rota for a month.",
    ),
    (
        11,
        25,
        "Phase two of the stock review under way at the branches; on track for January.",
        "CILIP course done; will share the key points with the team.",
        "Asked for help with the Christmas opening hours notice.",
        "Much better since the rota was shared.",
        "Stock review on track. Margaret to present her course learning in December.",
    ),
    (
        12,
        113,
        "Rhyme Time full every week; a waiting list started.",
        "Interested in the Level 3 Library, Information and Archive Services apprenticeship.",
        "",
        "Fine. The branch heating is patchy in the mornings.",
        "Great work on Rhyme Time. Heating reported to Facilities.",
    ),
    (
        12,
        85,
        "A second Rhyme Time on Thursdays from next month.",
        "Apprenticeship application in; interview next month.",
        "Would like to shadow Mei Ling's digital inclusion sessions.",
        "Good; heating fixed.",
        "Two shadowing sessions with Mei Ling to be arranged.",
    ),
    (
        12,
        57,
        "Took on the volunteer rota from Margaret for a month; going smoothly.",
        "Apprenticeship interview went well; waiting to hear.",
        "Will need protected study time if the apprenticeship goes ahead.",
        "Fine.",
        "Study time to be agreed once the apprenticeship is confirmed.",
    ),
    (
        12,
        14,
        "Volunteer rota back with Margaret. Thursday Rhyme Time now full too.",
        "Apprenticeship confirmed: starts in January.",
        "Study time still to be agreed; carried forward.",
        "Pleased, and a bit nervous about the study load.",
        "Congratulations on the apprenticeship. Study afternoon to be fixed before January.",
    ),
    (
        13,
        128,
        "Home library service on schedule: 38 housebound readers.",
        "Not interested in courses at the moment.",
        "Van bookings clash with Waste; asked for a fixed slot.",
        "Tired; working a second job at weekends.",
        "Fixed van slot to be requested from Fleet.",
    ),
    (
        13,
        70,
        "Two missed home library deliveries after a van mix-up; readers rang in.",
        "Data protection refresher overdue; agreed to do it.",
        "",
        "Says he's fine; quieter than usual. Offered the EAP details.",
        "Fixed van slot now in place. Rhys to complete the data protection refresher.",
    ),
    (
        14,
        104,
        "Digital drop-ins: 96 residents helped this quarter, mostly Universal Credit and NHS app.",
        "Wants to become a Digital Champions trainer.",
        "Needs more loan tablets; the Good Things Foundation bid is due soon.",
        "Good.",
        "Mei Ling to submit the tablet bid.",
    ),
    (
        14,
        76,
        "Tablet bid submitted. New weekly session at Riverside community centre.",
        "Booked on the Digital Champions train-the-trainer course.",
        "Oluwaseun shadowing two sessions.",
        "Lone working at Riverside in the evenings: agreed a buddy check-in.",
        "Buddy check-in to be in place before the next Riverside evening.",
    ),
    (
        14,
        47,
        "Bid successful: 20 tablets on their way.",
        "Train-the-trainer done; first volunteer training next month.",
        "Asked for help with the press release.",
        "Fine; busy.",
        "Well done on the bid! Press release with Comms.",
    ),
    (
        14,
        18,
        "Tablets arrived; loan scheme launches soon. Scams session with Trading Standards booked.",
        "First Digital Champions training: six volunteers trained.",
        "Loan agreement needs a check by Legal.",
        "Fine.",
        "Loan scheme nearly ready: Legal check and booking form outstanding.",
    ),
    (
        15,
        21,
        "Probation check-in: induction checklist nearly done; confident on the counter and kiosks.",
        "Customer care and safeguarding basics e-learning booked.",
        "Margaret is his buddy; would like more time on the children's desk.",
        "Settling in well; the bus works with the early shift.",
        "Good start. Finish the induction checklist and safeguarding e-learning.",
    ),
    # Waste and Recycling: Tom Griffiths's team
    (
        16,
        96,
        "Round 4 re-route for the new estate bedded in; missed bins down to three a week.",
        "",
        "Asked for a second crew member on the narrow-lane round.",
        "Lower back pain after lifting at the bring sites.",
        "Occupational Health referral for Gary's back; manual handling refresher.",
    ),
    (
        16,
        66,
        "Missed bins steady. Bank holiday catch-up plan worked.",
        "Manual handling refresher done.",
        "OH advised no bring-site lifting for six weeks; duties adjusted.",
        "Back improving with physio; using the lifting aid.",
        "Adjusted duties for six weeks, then a review with OH.",
    ),
    (
        16,
        31,
        "Back on full duties. Helping plan the Christmas collection calendar.",
        "Interested in the HGV driver training scheme.",
        "",
        "Back fine now; still doing the exercises.",
        "Good to have you back on full duties. Tom to put you forward for HGV training.",
    ),
    (
        17,
        88,
        "Contamination in blue bins down to 14% on the targeted streets.",
        "Wants to learn Power BI to build a contamination dashboard.",
        "Needs the leaflets translated into Urdu and Polish.",
        "Fine.",
        "Bilal to request the leaflet translations.",
    ),
    (
        17,
        58,
        "Food waste caddies for flats: 220 of 400 delivered.",
        "Started a Power BI course on LinkedIn Learning.",
        "Access problems at two housing association blocks.",
        "Good.",
        "Tom to raise block access with the housing association.",
    ),
    (
        17,
        12,
        "Caddies at 380 of 400; the last two blocks booked.",
        "First draft of the contamination dashboard shared.",
        "",
        "The new flexible working pattern suits him well.",
        "Flexible working pattern is working well; keep it.",
    ),
    (
        18,
        100,
        "Garden waste subscriptions up 6%; renewal reminders done.",
        "",
        "Made a flexible working request: compressed hours over four days.",
        "Fine; wants more time with her children.",
        "Flexible working request received; decision within the policy timescale.",
    ),
    (
        18,
        69,
        "Clinical waste collection list cleaned up: 12 duplicates removed.",
        "Signed up for the Level 2 Award in waste management.",
        "Compressed hours agreed for a three-month trial.",
        "Relieved about the trial; sleeping better.",
        "Compressed hours trial starts next month.",
    ),
    (
        18,
        39,
        "Bulky waste backlog down from three weeks to nine days.",
        "Level 2 award half done.",
        "Assisted-collection list should be checked against Adult Social Care records.",
        "Fine.",
        "Siobhan to cross-check the assisted-collection list.",
    ),
    (
        19,
        92,
        "Crew sickness absence down to 4.1 days per FTE.",
        "Would like to act up when the team manager post needs cover.",
        "Needs the agency cover budget confirmed for the autumn.",
        "Reminded crews about heat and hydration during the hot spell.",
        "Tom to confirm the autumn agency budget with Finance.",
    ),
    (
        19,
        60,
        "Round changes for the new estates consulted on with the crews; two complaints resolved.",
        "Started the ILM Level 3 in Leadership and Management.",
        "",
        "Near miss: a reversing vehicle at the depot. Banksman procedure re-briefed.",
        "Reversing procedure re-briefed to all crews; CCTV at the bay to be checked.",
    ),
    (
        19,
        27,
        "Christmas collection calendar drafted; crews briefed.",
        "First ILM assignment submitted.",
        "Wants a slot at the December managers' meeting to present the round changes.",
        "Busy but okay.",
        "Daniel to present the round changes in December.",
    ),
    (
        20,
        85,
        "Schools recycling programme: 11 assemblies booked this term.",
        "Wants to do Carbon Literacy training.",
        "DBS renewal needed before school visits.",
        "Fine.",
        "Grace to start the DBS renewal.",
    ),
    (
        20,
        55,
        "Seven of 11 assemblies done. Litter pick with the Scouts organised.",
        "Carbon Literacy course booked for January.",
        "Asked for help with the litter pick risk assessment.",
        "Good.",
        "Tom to review the litter pick risk assessment.",
    ),
    (
        20,
        20,
        "Litter pick: 40 volunteers, 86 bags. All assemblies done.",
        "",
        "Asked for a small budget for reusable bags as school prizes.",
        "Had a cold; otherwise fine.",
        "Great litter pick! Tom to look for the prize budget.",
    ),
    # Customer Services: Aisha Khan's team
    (
        21,
        99,
        "Calls answered 87% against an 85% target; webchat queues at peak times.",
        "Mentoring two new advisors.",
        "Knowledge base needs updating after the council tax changes.",
        "Fine.",
        "Sarah to update the council tax articles.",
    ),
    (
        21,
        71,
        "Webchat peak-time staffing changed; average wait down to two minutes.",
        "Interested in the Customer Service Excellence assessor course.",
        "",
        "Dental appointments over the next month; agreed to swap shifts.",
        "Shift swaps agreed for the dental appointments.",
    ),
    (
        21,
        43,
        "Complaints backlog: Sarah taking the stage one cases over 20 days old.",
        "CSE assessor course is in the spring; she's on the list.",
        "Would like Jamal to cover her webchat slot twice a week.",
        "Good.",
        "Sarah leads on the stage one backlog; Jamal covers two webchat slots.",
    ),
    (
        21,
        15,
        "Stage one backlog down from 64 to 21 cases.",
        "",
        "Thanked her for the backlog work at the team meeting.",
        "Tired after the backlog push; leave booked for Christmas.",
        "Thank you for the backlog work. Enjoy the Christmas break.",
    ),
    (
        22,
        94,
        "Quality scores 92%: best in the team on council tax calls.",
        "Wants to learn housing benefit processes.",
        "",
        "Neck ache; asked about a sit-stand desk.",
        "Sit-stand desk to be ordered through the DSE process.",
    ),
    (
        22,
        64,
        "Covering two webchat slots for Sarah.",
        "Two housing benefit shadowing sessions done.",
        "",
        "Desk arrived; neck ache gone.",
        "Jamal to book the housing benefit e-learning.",
    ),
    (
        22,
        36,
        "Handled 14 calls about the garden waste renewal error, with good notes.",
        "Housing benefit e-learning complete.",
        "Would like feedback on his call recordings from the quality team.",
        "Good.",
        "Call-recording review with the quality team to be arranged.",
    ),
    (
        23,
        88,
        "Handling time up to nine minutes on parking appeals.",
        "Booked on the difficult conversations course.",
        "Would like a refresher on the parking permit rules.",
        "Fine.",
        "Parking permit refresher to be arranged.",
    ),
    (
        23,
        60,
        "Handling time back to seven minutes.",
        "Difficult conversations course done; found it useful.",
        "",
        "Upset after two abusive calls; anxious before shifts. Agreed breaks after hard calls.",
        "Thank you for telling me how you are. Take a break after any abusive call.",
    ),
    (
        23,
        31,
        "Moved to webchat two days a week for a month, as agreed.",
        "",
        "Call barring now in place for the two abusive callers.",
        "Feeling better; has had two EAP sessions.",
        "Webchat arrangement to be reviewed after a month.",
    ),
    (
        23,
        9,
        "Back on the phones full time; handling time steady.",
        "Wants to train as a Mental Health First Aider.",
        "",
        "Much better. Still taking breaks after difficult calls.",
        "Good to see you back on the phones. Aisha to nominate you for MHFA training.",
    ),
    (
        24,
        97,
        "First-contact resolution 71% against a 75% target.",
        "Signed up for the Excel intermediate course.",
        "Needs more coaching on Blue Badge applications.",
        "Fine.",
        "Two Blue Badge sessions with Sarah.",
    ),
    (
        24,
        68,
        "First-contact resolution up to 76%.",
        "Excel course done; built a callback tracker.",
        "",
        "Asked about flexible working to fit a part-time degree.",
        "Flexible working policy and form to be sent to Arjun.",
    ),
    (
        24,
        22,
        "Callback tracker adopted by the whole team.",
        "Degree starts in January; flexible working request submitted.",
        "Wants Wednesday afternoons free for lectures.",
        "Good.",
        "Flexible working request received; decision within the policy timescale.",
    ),
    (
        25,
        91,
        "Complaints: 112 open, 38 past the 20-day target.",
        "Wants the Ombudsman's complaint handling code training.",
        "Asked for help triaging the waste complaints.",
        "Feeling the pressure of the backlog.",
        "Backlog triage plan with Waste to be agreed.",
    ),
    (
        25,
        62,
        "Backlog down to 74; triage with Waste working.",
        "Booked on the complaint handling code training.",
        "Sarah helping with stage one cases.",
        "Better now there's a plan.",
        "Backlog coming down; keep going.",
    ),
    (
        25,
        34,
        "41 open, 9 past target. Monthly report to the Head of Service now routine.",
        "Training done; proposed a new stage two response template.",
        "",
        "Good.",
        "Niamh to share the new stage two template with the team.",
    ),
)

# (report, days before as_of) → the manager's private note, never shown to the employee
_PRIVATE_NOTES: dict[tuple[int, int], str] = {
    (12, 57): "Strong candidate for the senior assistant post if it is re-graded next year.",
    (13, 128): "The second job may explain the Monday sickness; keep an eye on it.",
    (19, 92): "Wants to act up; talk to David before raising expectations.",
    (23, 60): "Mentioned a family bereavement in the summer; not for the shared notes.",
}

# (report, days before as_of) of the one-to-ones where a wellbeing concern was raised
_WELLBEING_CONCERNS: frozenset[tuple[int, int]] = frozenset({(23, 60)})

# (report, days before as_of, action, owner, due days after the meeting, done)
_ACTIONS: tuple[tuple[int, int, str, str, int, bool], ...] = (
    (11, 108, "Scope the stock rotation review in a one-page plan", "employee", 28, True),
    (11, 108, "Ask the relief pool for Saturday cover in August", "manager", 7, True),
    (11, 80, "Confirm the CILIP course funding with the budget holder", "manager", 10, True),
    (11, 52, "Hand the volunteer rota to Oluwaseun with a short guide", "employee", 7, True),
    (11, 25, "Present the leadership course learning at the team meeting", "employee", 21, False),
    (11, 25, "Draft and publish the Christmas opening hours notice", "manager", 10, False),
    (12, 113, "Report the branch heating to Facilities", "manager", 5, True),
    (12, 113, "Find out the apprenticeship entry requirements", "employee", 21, True),
    (12, 85, "Arrange two shadowing sessions with Mei Ling", "manager", 14, True),
    (12, 57, "Agree a protected study afternoon for the apprenticeship", "manager", 28, False),
    (12, 57, "Write up handover notes for the volunteer rota", "employee", 7, True),
    (12, 14, "Book the apprenticeship induction day", "employee", 30, False),
    (13, 128, "Ask Fleet for a fixed Tuesday van slot", "manager", 14, True),
    (13, 70, "Complete the data protection e-learning refresher", "employee", 14, False),
    (13, 70, "Write to the two readers who missed deliveries", "manager", 7, True),
    (14, 104, "Submit the tablet loan bid to the Good Things Foundation", "employee", 21, True),
    (14, 76, "Set up the lone-working buddy check-in for Riverside", "manager", 7, True),
    (14, 47, "Draft the tablet loan press release with Comms", "employee", 14, True),
    (14, 18, "Send the tablet loan agreement to Legal", "manager", 7, False),
    (14, 18, "Set up the tablet loan booking form", "employee", 10, False),
    (15, 21, "Complete the safeguarding basics e-learning", "employee", 14, True),
    (15, 21, "Book two shifts on the children's desk", "manager", 14, False),
    (16, 96, "Refer Gary to Occupational Health about his back", "manager", 7, True),
    (16, 96, "Complete the manual handling refresher", "employee", 21, True),
    (16, 66, "Review the adjusted duties with Gary and OH", "manager", 42, True),
    (16, 31, "Put Gary forward for the HGV driver training scheme", "manager", 14, False),
    (17, 88, "Request Urdu and Polish translations of the leaflet", "employee", 14, True),
    (17, 58, "Raise block access with the housing association liaison", "manager", 7, True),
    (17, 12, "Finish the caddy roll-out at the last two blocks", "employee", 21, False),
    (18, 100, "Decide the flexible working request within the timescale", "manager", 28, True),
    (18, 69, "Set a review date for the compressed hours trial", "manager", 7, True),
    (18, 39, "Cross-check assisted collections with Adult Social Care", "employee", 21, False),
    (19, 92, "Confirm the autumn agency cover budget with Finance", "manager", 14, True),
    (19, 60, "Re-brief all crews on the depot reversing procedure", "employee", 7, True),
    (19, 60, "Check the depot CCTV covers the reversing bay", "manager", 14, True),
    (19, 27, "Add Daniel to the December managers' meeting agenda", "manager", 14, False),
    (20, 85, "Start the DBS renewal with HR", "employee", 7, True),
    (20, 55, "Review the litter pick risk assessment", "manager", 7, True),
    (20, 20, "Find £150 for reusable bags as school prizes", "manager", 21, False),
    (21, 99, "Update the council tax articles in the knowledge base", "employee", 14, True),
    (21, 71, "Ask Learning and Development about the CSE assessor course", "manager", 14, True),
    (21, 43, "Move two webchat slots to Jamal", "manager", 7, True),
    (21, 15, "Clear the remaining stage one cases over 20 days old", "employee", 21, False),
    (22, 94, "Order a sit-stand desk through the DSE process", "manager", 21, True),
    (22, 64, "Book the housing benefit e-learning", "employee", 14, True),
    (22, 36, "Arrange a call-recording review with the quality team", "manager", 14, False),
    (23, 88, "Arrange a parking permit refresher with the Parking team", "manager", 14, True),
    (23, 60, "Send Emma the Employee Assistance Programme details", "manager", 1, True),
    (23, 60, "Report the abusive callers' numbers for call barring", "employee", 7, True),
    (23, 31, "Review the webchat arrangement after a month", "manager", 28, True),
    (23, 9, "Nominate Emma for the next Mental Health First Aid course", "manager", 30, False),
    (24, 97, "Pair Arjun with Sarah for two Blue Badge sessions", "manager", 14, True),
    (24, 68, "Send Arjun the flexible working policy and form", "manager", 7, True),
    (24, 22, "Decide Arjun's flexible working request", "manager", 28, False),
    (25, 91, "Agree a triage plan for waste complaints with Tom's team", "manager", 14, True),
    (25, 62, "Attend the complaint handling code training", "employee", 30, True),
    (25, 34, "Share the stage two response template with the team", "employee", 14, False),
)

_TEAM_MANAGERS = (3, 4, 5)


async def seed_demo_one_to_ones(database: Database, as_of: date) -> int:
    """Give the demo teams a few months of one-to-ones before ``as_of``; returns how many.

    Adds nothing if anyone in the demo teams already has a one-to-one, so running it again
    (or after someone has tried the bot) changes nothing. Uses the same repository calls as the
    bot, so each record has its 'created' revision and actions are reviewed as the bot does.
    """
    async with database.transaction() as session:
        teams = await _demo_teams(session, as_of)
        everyone = [p.id for manager, reports in teams for p in (manager, *reports.values())]
        if await repo.last_held_by_employee(session, everyone):
            return 0
        created = 0
        for manager, reports in teams:
            for number, report in reports.items():
                created += await _seed_history(session, number, report, manager.id, as_of)
    return created


async def _demo_teams(session: AsyncSession, as_of: date) -> list[tuple[Person, dict[int, Person]]]:
    """Each demo team manager with their active demo reports, by demo number."""
    names = {number: name for number, name, *_ in _PEOPLE}
    teams = []
    for number in _TEAM_MANAGERS:
        manager = await employees.get_person_by_email(session, demo_email(names[number]))
        if manager is None:
            continue
        reports = {
            int(p.employee_id[1:]): p
            for p in await employees.active_direct_reports(session, manager.id, as_of)
            if p.email.endswith(f"@{DEMO_DOMAIN}") and p.employee_id[1:].isdigit()
        }
        teams.append((manager, reports))
    return teams


def _logged_at(held_on: date, number: int) -> datetime:
    """Logged the afternoon of the meeting, at a time that varies from person to person."""
    return datetime.combine(held_on, time(13 + number % 4, 5 * (number % 12)), tzinfo=UTC)


_Agreed = tuple[str, str, int, bool]  # action, owner, due days after the meeting, done
_Open = tuple[int, bool, int]  # action id, done by the next one-to-one, owner's pk


async def _seed_history(
    session: AsyncSession, number: int, report: Person, manager_pk: int, as_of: date
) -> int:
    """Log one report's one-to-ones, oldest first, as their manager would have."""
    agreed_at: defaultdict[int, list[_Agreed]] = defaultdict(list)
    for who, days_ago, text, owner, due_days, done in _ACTIONS:
        if who == number:
            agreed_at[days_ago].append((text, owner, due_days, done))
    history = sorted((r for r in _ONE_TO_ONES if r[0] == number), key=lambda r: -r[1])
    open_actions: list[_Open] = []
    logged: list[datetime] = []
    for _, days_ago, managing, developing, supporting, wellbeing, shared in history:
        held_on = as_of - timedelta(days=days_ago)
        if held_on < report.start_date:
            continue
        now = _logged_at(held_on, number)
        open_actions = await _review(session, open_actions, by_pk=manager_pk, now=now)
        agreed = agreed_at[days_ago]
        record_id = await repo.add_one_to_one(
            session,
            employee_pk=report.id,
            manager_pk=manager_pk,
            held_on=held_on,
            notes=dict(
                zip(AREA_COLUMNS, (managing, developing, supporting, wellbeing), strict=True)
            ),
            shared_notes=shared,
            private_note=_PRIVATE_NOTES.get((number, days_ago), ""),
            wellbeing_concern=(number, days_ago) in _WELLBEING_CONCERNS,
            actions=[
                (text, owner, held_on + timedelta(days=due)) for text, owner, due, _ in agreed
            ],
            now=now,
        )
        record = await repo.get_one_to_one(session, record_id)
        assert record is not None
        for action, (_, owner, _, done) in zip(record.actions, agreed, strict=True):
            open_actions.append((action.id, done, report.id if owner == "employee" else manager_pk))
        logged.append(now)
    if logged:
        # Done since the latest one-to-one: ticked off by their owners a few days after it.
        done_at = min(logged[-1] + timedelta(days=4), datetime.combine(as_of, time(), UTC))
        for action_id, done, owner_pk in open_actions:
            if done:
                await repo.mark_actions_done(session, [action_id], by_pk=owner_pk, now=done_at)
    return len(logged)


async def _review(
    session: AsyncSession, open_actions: list[_Open], *, by_pk: int, now: datetime
) -> list[_Open]:
    """The bot's carry-over step: tick off what was done, carry the rest forward."""
    done = [action_id for action_id, is_done, _ in open_actions if is_done]
    still_open = [action for action in open_actions if not action[1]]
    await repo.mark_actions_done(session, done, by_pk=by_pk, now=now)
    await repo.carry_forward(session, [action_id for action_id, *_ in still_open])
    return still_open


# --- objectives and APRs --------------------------------------------------------------------
#
# The golden thread for the three team managers and their teams. Last cycle's objectives were
# agreed, updated through the year and reviewed at an APR in the last APR window that has closed
# (with the default policy and as_of 23 November 2026: 1 April to 30 June 2026); this cycle's
# were agreed at that APR and have progress updates since. Rhys Evans and Jamal Ahmed missed
# their APR, so it is overdue and last cycle's objective is still open; Callum Fraser, in
# probation, has had none. Drafts from Oluwaseun Adeyemi and Mei Ling Chen wait for Priya Shah
# to agree them, one from Daniel Kowalski waits for Tom Griffiths, and Tom has proposed one to
# Grace Mensah that waits for her.

_PRIORITIES = {
    "services": "Transforming public services",
    "growth": "Enabling economic growth",
    "health": "Better care, health and care integration",
    "families": "Supporting children and families",
    "environment": "Safer communities and a better environment",
}

_Update = tuple[int, str, str]  # percent complete, RAG, comment


@dataclass(frozen=True)
class _DemoObjective:
    number: int
    # "last": reviewed at the APR (or still open if there was none); "this": agreed at the APR;
    # "draft": the employee's, waiting for the manager; "proposed": the manager's, waiting for
    # the employee; "probation": agreed in the first weeks.
    kind: str
    title: str
    measure: str
    priority: str  # a key of _PRIORITIES
    plan: str | None  # a key of the plans _demo_plans adds
    updates: tuple[_Update, ...] = ()
    outcome: str = ""  # for "last": the APR's verdict
    review: str = ""  # for "last": the APR's comment on it


_OBJECTIVES: tuple[_DemoObjective, ...] = (
    # The team managers, agreed by David Marsh
    _DemoObjective(
        3,
        "last",
        "Reopen Central Library's children's area after the refurbishment",
        "Open by the end of March, with children's visits up 10% on the year before",
        "families",
        "libraries",
        (
            (40, "green", "Contractor on site; on schedule."),
            (85, "amber", "Furniture delivery slipped two weeks."),
        ),
        "achieved",
        "Opened on time despite the furniture delay; visits up 14%.",
    ),
    _DemoObjective(
        3,
        "this",
        "Deliver the Libraries Service Plan actions due this year",
        "All 12 actions due this year done, reported quarterly to the Head of Service",
        "services",
        "libraries",
        (
            (25, "green", "Three of 12 actions done."),
            (50, "amber", "Branch hours review delayed by the consultation."),
        ),
    ),
    _DemoObjective(
        4,
        "last",
        "Introduce food waste collections for flats",
        "Caddies and weekly collections at 40 blocks of flats by March",
        "environment",
        "waste",
        (
            (30, "green", "Pilot at six blocks going well."),
            (60, "amber", "Access problems at housing association blocks."),
        ),
        "partly_achieved",
        "28 of 40 blocks live; the rest carried into this year's plan.",
    ),
    _DemoObjective(
        4,
        "this",
        "Cut missed bin collections to under 50 a month",
        "Monthly missed collections under 50 for six months in a row, from the round data",
        "environment",
        "waste",
        (
            (30, "amber", "Down to 72 a month after the re-routes."),
            (55, "green", "48 last month: first month under target."),
        ),
    ),
    _DemoObjective(
        5,
        "last",
        "Launch webchat for council tax enquiries",
        "Webchat live by December, handling 15% of council tax contacts by March",
        "services",
        "customer",
        ((50, "green", "Webchat live in November."),),
        "achieved",
        "Live early; 18% of council tax contacts by March.",
    ),
    _DemoObjective(
        5,
        "this",
        "Answer 80% of calls within three minutes",
        "80% of calls answered within 3 minutes each month, from the telephony reports",
        "services",
        "customer",
        (
            (35, "amber", "74% in the first quarter."),
            (60, "green", "81% in October with the new rota."),
        ),
    ),
    # Libraries: Priya Shah's team
    _DemoObjective(
        11,
        "last",
        "Run the Summer Reading Challenge for 600 children",
        "600 children signed up across the three branches, 60% finishing",
        "families",
        "libraries",
        ((70, "green", "640 signed up."),),
        "achieved",
        "640 children took part, up 12% on the year before.",
    ),
    _DemoObjective(
        11,
        "this",
        "Complete the stock rotation review across the three branches",
        "Every branch weeded and restocked by the end of January, with a report to Priya",
        "services",
        "libraries",
        (
            (20, "green", "Plan agreed with the branch supervisors."),
            (45, "green", "Phase one done at Central: 1,800 items weeded."),
            (70, "green", "Phase two under way; on track for January."),
        ),
    ),
    _DemoObjective(
        12,
        "last",
        "Start a second weekly Rhyme Time session",
        "A Thursday session running from the autumn, with at least 15 families a week",
        "families",
        "libraries",
        ((60, "green", "Thursday session booked from October."),),
        "achieved",
        "Running since October and full most weeks.",
    ),
    _DemoObjective(
        12,
        "this",
        "Grow Rhyme Time to 40 families a week",
        "An average of 40 families a week across both sessions over the year",
        "families",
        "libraries",
        (
            (50, "green", "Averaging 34 families a week."),
            (75, "green", "Both sessions full; waiting list started."),
        ),
    ),
    _DemoObjective(
        12,
        "draft",
        "Complete year one of the Level 3 library apprenticeship",
        "All year one modules passed by next summer, with a study afternoon each week",
        "growth",
        None,
    ),
    _DemoObjective(
        13,
        "last",
        "Run the home library service for 40 housebound readers",
        "40 readers visited every three weeks, with no missed deliveries",
        "health",
        "libraries",
        (
            (50, "green", "38 readers on the round."),
            (60, "amber", "Two missed deliveries after a van mix-up."),
            (70, "amber", "Fixed van slot agreed with Fleet."),
        ),
    ),
    _DemoObjective(
        14,
        "last",
        "Help 300 residents get online through digital drop-ins",
        "300 residents helped at drop-ins over the year, recorded on the session log",
        "services",
        "libraries",
        (
            (35, "green", "96 residents this quarter."),
            (75, "green", "228 so far; Riverside session added."),
        ),
        "achieved",
        "312 residents helped; the Riverside session is a real success.",
    ),
    _DemoObjective(
        14,
        "this",
        "Launch a tablet loan scheme for digitally excluded residents",
        "20 tablets out on loan by March, with a booking form and a signed loan agreement",
        "services",
        "libraries",
        (
            (30, "green", "Good Things Foundation bid submitted."),
            (60, "green", "Bid successful: 20 tablets arrived."),
            (80, "amber", "Waiting for Legal to check the agreement."),
        ),
    ),
    _DemoObjective(
        14,
        "draft",
        "Train 12 Digital Champions volunteers",
        "12 volunteers trained and each running at least one session a month by March",
        "services",
        "libraries",
    ),
    _DemoObjective(
        15,
        "probation",
        "Complete the library assistant induction",
        "Induction checklist signed off, safeguarding and customer care e-learning passed",
        "services",
        "libraries",
        ((40, "green", "Checklist nearly done; e-learning booked."),),
    ),
    # Waste and Recycling: Tom Griffiths's team
    _DemoObjective(
        16,
        "last",
        "Re-route Round 4 for the new estate",
        "New route live by September, with missed bins under five a week",
        "environment",
        "waste",
        ((60, "green", "New route live."),),
        "achieved",
        "Missed bins down to three a week.",
    ),
    _DemoObjective(
        16,
        "this",
        "Qualify as an HGV driver through the council scheme",
        "Class C licence passed by March",
        "growth",
        None,
        ((10, "green", "Application in for the training scheme."),),
    ),
    _DemoObjective(
        17,
        "last",
        "Cut contamination in blue bins on the targeted streets to 15%",
        "Contamination at or below 15% in the spring audit of the targeted streets",
        "environment",
        "waste",
        (
            (50, "amber", "19% in the autumn audit."),
            (80, "green", "Leaflet drop and bin tags working."),
        ),
        "achieved",
        "14% in the spring audit.",
    ),
    _DemoObjective(
        17,
        "this",
        "Deliver food waste caddies to 400 flats",
        "400 flats with caddies and on a weekly collection by December",
        "environment",
        "waste",
        (
            (55, "green", "220 of 400 delivered."),
            (95, "green", "380 of 400; the last two blocks booked."),
        ),
    ),
    _DemoObjective(
        18,
        "last",
        "Grow garden waste subscriptions by 5%",
        "Subscriptions at renewal 5% above last year's",
        "environment",
        "waste",
        ((60, "green", "Renewal reminders sent."),),
        "achieved",
        "Up 6%.",
    ),
    _DemoObjective(
        18,
        "this",
        "Bring the bulky waste backlog under ten working days",
        "Collections within ten working days of booking for three months in a row",
        "environment",
        "waste",
        ((40, "amber", "Backlog at three weeks."), (75, "green", "Down to nine days.")),
    ),
    _DemoObjective(
        19,
        "last",
        "Bring crew sickness absence below five days per FTE",
        "Rolling 12-month sickness absence under 5 days per FTE by March",
        "health",
        "waste",
        ((50, "amber", "5.6 days per FTE."), (80, "green", "4.8 days per FTE.")),
        "achieved",
        "4.1 days per FTE: the best in the service.",
    ),
    _DemoObjective(
        19,
        "this",
        "Agree round changes for the new estates with crews and residents",
        "New rounds live by February, with crews consulted and no rise in complaints",
        "environment",
        "waste",
        (
            (40, "green", "Crews consulted; two complaints resolved."),
            (60, "green", "Christmas calendar drafted alongside."),
        ),
    ),
    _DemoObjective(
        19,
        "draft",
        "Complete the ILM Level 3 in Leadership and Management",
        "All four ILM assignments passed by June",
        "growth",
        None,
    ),
    _DemoObjective(
        20,
        "last",
        "Deliver recycling talks in 20 primary schools",
        "Talks in 20 schools by July, with feedback from each school",
        "families",
        "waste",
        ((40, "green", "Eight schools done."), (70, "amber", "Two schools cancelled for Ofsted.")),
        "partly_achieved",
        "14 schools reached; the rest booked for the autumn.",
    ),
    _DemoObjective(
        20,
        "this",
        "Run a litter-pick programme with secondary schools",
        "Six litter picks with four secondary schools by March, with a risk assessment for each",
        "environment",
        "waste",
        ((30, "green", "Risk assessment reviewed; first pick done."),),
    ),
    _DemoObjective(
        20,
        "proposed",
        "Set up an eco-schools network with ten schools",
        "Ten schools meeting termly, sharing recycling results, by the summer term",
        "families",
        "waste",
    ),
    # Customer Services: Aisha Khan's team
    _DemoObjective(
        21,
        "last",
        "Bring the council tax knowledge base articles up to date",
        "Every council tax article reviewed and dated by March",
        "services",
        "customer",
        ((60, "green", "40 of 65 articles reviewed."),),
        "achieved",
        "All 65 reviewed; call handling time on council tax down.",
    ),
    _DemoObjective(
        21,
        "this",
        "Clear stage one complaints older than 20 working days",
        "No stage one complaint open longer than 20 working days by December",
        "services",
        "customer",
        ((30, "amber", "64 cases over 20 days."), (65, "green", "Down to 21.")),
    ),
    _DemoObjective(
        22,
        "last",
        "Reach 90% quality scores on council tax calls",
        "Monthly quality score of 90% or more for six months",
        "services",
        "customer",
        ((50, "green", "88% and rising."), (80, "green", "92%: best in the team.")),
    ),
    _DemoObjective(
        23,
        "last",
        "Move parking permit renewals to webchat",
        "Half of permit renewal contacts handled by webchat by March",
        "services",
        "customer",
        ((40, "amber", "30% by webchat."), (60, "amber", "Paused while Emma covered the phones.")),
        "continuing",
        "Good progress; carried into this year.",
    ),
    _DemoObjective(
        23,
        "this",
        "Train as a Mental Health First Aider",
        "MHFA course passed and on the council's first aider list by March",
        "health",
        None,
    ),
    _DemoObjective(
        24,
        "last",
        "Reach 75% first-contact resolution",
        "First-contact resolution of 75% or more in the last quarter of the year",
        "services",
        "customer",
        ((40, "red", "68% after the system outage."), (60, "amber", "71%.")),
        "not_achieved",
        "71% at year end; the outage in January cost a month.",
    ),
    _DemoObjective(
        24,
        "this",
        "Keep first-contact resolution above 75% all year",
        "75% or more every month, from the CRM report",
        "services",
        "customer",
        ((50, "green", "76% in the first quarter."),),
    ),
    _DemoObjective(
        25,
        "last",
        "Bring complaints past the 20-day target under ten",
        "Fewer than ten complaints open past 20 working days by March",
        "services",
        "customer",
        ((30, "red", "38 past target."), (60, "amber", "Triage with Waste working.")),
        "partly_achieved",
        "Down from 38 to 12; nearly there.",
    ),
    _DemoObjective(
        25,
        "this",
        "Answer 95% of stage one complaints within 20 working days",
        "95% or more each month, from the complaints system",
        "services",
        "customer",
        ((40, "amber", "88% in the first quarter."), (70, "green", "96% in October.")),
    ),
)


@dataclass(frozen=True)
class _DemoApr:
    day: int  # days after the window opened
    overall: str
    development: str
    learning: str
    themes: tuple[str, ...] = ()  # leadership behaviours, for managers
    response: str | None = None  # None: not acknowledged; "": acknowledged; else a comment


# Not here: Rhys Evans (13) and Jamal Ahmed (22), overdue; Callum Fraser (15), in probation.
_APRS: dict[int, _DemoApr] = {
    3: _DemoApr(
        20,
        "A strong year: the children's area reopened on time.",
        "Ready for a bigger remit.",
        "Budget management course.",
        ("Drive", "Connect"),
        "",
    ),
    4: _DemoApr(
        27,
        "Food waste roll-out well led despite access problems.",
        "Partnership working with housing associations.",
        "",
        ("Drive", "Think"),
        "",
    ),
    5: _DemoApr(
        34,
        "Webchat launched early; the team's morale is good.",
        "Coaching skills.",
        "ILM coaching certificate.",
        ("Feel", "Inspire"),
        "",
    ),
    11: _DemoApr(
        8,
        "A brilliant summer and a reliable year.",
        "Leading the stock review.",
        "CILIP 'Leading in libraries'.",
        response="Thank you, a fair summary of a busy year.",
    ),
    12: _DemoApr(
        15,
        "Rhyme Time is a success thanks to Oluwaseun.",
        "Apprenticeship.",
        "Level 3 apprenticeship.",
        response="",
    ),
    14: _DemoApr(
        22,
        "Digital inclusion has grown well beyond the target.",
        "Becoming a trainer.",
        "Digital Champions train-the-trainer.",
        response="",
    ),
    16: _DemoApr(
        12,
        "Round 4 went smoothly; good recovery from his back injury.",
        "HGV driving.",
        "Manual handling refresher.",
        response="",
    ),
    17: _DemoApr(19, "Contamination work is paying off.", "Data skills.", "Power BI.", response=""),
    18: _DemoApr(
        40,
        "Garden waste renewals up; compressed hours working.",
        "",
        "Level 2 Award in waste management.",
        response="",
    ),
    19: _DemoApr(
        26,
        "Sickness absence at its lowest; a natural leader.",
        "Acting up.",
        "ILM Level 3.",
        response="",
    ),
    20: _DemoApr(
        47,
        "Schools work well received; some cancellations outside her control.",
        "",
        "",
        response=None,
    ),
    21: _DemoApr(
        10,
        "The knowledge base is in the best shape it has been.",
        "Assessing.",
        "CSE assessor course.",
        response="",
    ),
    23: _DemoApr(
        30,
        "A hard year handled with courage; webchat work continues.",
        "",
        "Mental Health First Aid.",
        response="",
    ),
    24: _DemoApr(
        55,
        "Close to target after a difficult outage.",
        "Excel and data.",
        "Excel intermediate.",
        response="I'd like it noted that the January outage cost the team a month.",
    ),
    25: _DemoApr(
        62,
        "A backlog turned round in her first year.",
        "Complaint handling code.",
        "",
        response=None,
    ),
}


async def seed_demo_objectives(
    database: Database, as_of: date, *, policy: AprCyclePolicy | None = None
) -> int:
    """Give the demo teams objectives and APR history up to ``as_of``; returns the objectives.

    Adds nothing if anyone in the demo teams already has an objective or an APR, so running it
    again (or after someone has tried the bot) changes nothing. Dates come from the APR cycle
    (``policy``, by default the council's 1 April to 30 June window), so they stay right for
    any ``as_of`` and none is later than the day before it.
    """
    policy = policy or AprCyclePolicy()
    async with database.transaction() as session:
        teams = await _demo_teams(session, as_of)
        people = [manager for manager, _ in teams]
        people += [report for _, reports in teams for report in reports.values()]
        if not people or await _has_objectives_or_aprs(session, [p.id for p in people]):
            return 0
        links = _Links(await _priority_ids(session), await _demo_plans(session, as_of))
        created = 0
        for person in people:
            if person.manager_id is not None:  # the team managers report to David Marsh
                seeder = _Seeder(session, person, person.manager_id, links, policy, as_of)
                created += await seeder.seed()
    return created


async def _has_objectives_or_aprs(session: AsyncSession, pks: list[int]) -> bool:
    if await apr_repo.last_held(session, pks):
        return True
    for pk in pks:
        if await objective_repo.objectives_for(session, pk, include_closed=True):
            return True
    return False


async def _priority_ids(session: AsyncSession) -> dict[str, int | None]:
    """The demo's priority keys → ids, by title; a missing one falls back to the first."""
    active = {
        row.title: row.id for row in await priority_repo.all_priorities(session) if row.active
    }
    fallback = next(iter(active.values()), None)
    return {key: active.get(title, fallback) for key, title in _PRIORITIES.items()}


async def _demo_plans(session: AsyncSession, as_of: date) -> dict[str, int]:
    year = as_of.year if as_of.month >= 4 else as_of.year - 1  # the council's financial year
    plans = {
        "libraries": f"Libraries Service Plan {year}/{(year + 1) % 100:02d}",
        "waste": "Waste Strategy 2025-2030",
        "customer": "Customer Services Improvement Plan",
    }
    return {
        key: await objective_repo.add_plan(session, title, COMMUNITY)
        for key, title in plans.items()
    }


@dataclass(frozen=True)
class _Links:
    priorities: dict[str, int | None]
    plans: dict[str, int]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _spread(start: datetime, end: datetime, count: int) -> list[datetime]:
    """``count`` moments evenly between ``start`` and ``end`` (exclusive)."""
    return [start + (end - start) * (i + 1) / (count + 1) for i in range(count)]


class _Seeder:
    """One person's objectives and APR, written as the bot would have written them."""

    def __init__(
        self,
        session: AsyncSession,
        person: Person,
        manager_pk: int,
        links: _Links,
        policy: AprCyclePolicy,
        as_of: date,
    ) -> None:
        self.session, self.person, self.manager_pk = session, person, manager_pk
        self.number = int(person.employee_id[1:])  # D011 → 11, as in _PEOPLE
        self.links, self.policy, self.as_of = links, policy, as_of
        self.window = _last_closed_window(policy, person.start_date, as_of)
        following = next_window(policy, start_date=person.start_date, as_of=self.window.opens)
        self.cycle_end = following.opens - timedelta(days=1)
        self.latest = _at(as_of - timedelta(days=1), 17)  # nothing later than yesterday

    async def seed(self) -> int:
        number = self.number
        objectives = [o for o in _OBJECTIVES if o.number == number]
        created = 0
        last = []
        for objective in (o for o in objectives if o.kind == "last"):
            objective_id = await self._last_cycle(objective)
            if objective_id is not None:
                last.append((objective_id, objective))
                created += 1
        apr = _APRS.get(number)
        held_on = self._held_on(apr)
        apr_id = None
        if apr is not None and held_on is not None:
            apr_id = await self._apr(apr, held_on, last)
        else:  # no APR: last cycle's objectives carry on, with their updates since
            for objective_id, objective in last:
                await self._updates(objective_id, objective.updates, self.latest)
        for objective in objectives:
            if objective.kind == "this" and apr_id is not None and held_on is not None:
                created += await self._this_cycle(objective, apr_id, held_on)
            elif objective.kind in ("draft", "proposed", "probation"):
                created += await self._recent(objective)
        return created

    def _held_on(self, apr: _DemoApr | None) -> date | None:
        """When the APR was held, if the person was out of probation by then."""
        if apr is None:
            return None
        held_on = min(self.window.opens + timedelta(days=apr.day), self.window.closes)
        out_of_probation = probation_ends(self.person.start_date, self.policy.probation_months)
        return held_on if out_of_probation <= held_on < self.as_of else None

    async def _add(
        self,
        objective: _DemoObjective,
        *,
        status: str,
        by_manager: bool,
        now: datetime,
        **extra: Any,
    ) -> int:
        return await objective_repo.add_objective(
            self.session,
            employee_pk=self.person.id,
            title=objective.title,
            measure=objective.measure,
            target_date=extra.pop("target_date", self.cycle_end),
            priority_id=self.links.priorities[objective.priority],
            plan_id=self.links.plans[objective.plan] if objective.plan else None,
            status=status,
            proposed_by="manager" if by_manager else "owner",
            smart_overridden=False,
            created_by_pk=self.manager_pk if by_manager else self.person.id,
            now=now,
            **extra,
        )

    async def _agree(self, objective_id: int, *, actor_pk: int, now: datetime) -> None:
        await objective_repo.set_status(
            self.session, objective_id, status="agreed", actor_pk=actor_pk, comment="", now=now
        )

    async def _updates(
        self, objective_id: int, updates: tuple[_Update, ...], end: datetime
    ) -> None:
        objective = await objective_repo.get_objective(self.session, objective_id)
        assert objective is not None
        start = objective.updated_at
        for moment, (percent, rag, comment) in zip(
            _spread(start, end, len(updates)), updates, strict=True
        ):
            await objective_repo.add_progress(
                self.session,
                objective_id,
                percent=percent,
                rag=rag,
                comment=comment,
                author_pk=self.person.id,
                now=moment,
            )

    async def _last_cycle(self, objective: _DemoObjective) -> int | None:
        """Proposed by the employee early in last cycle and agreed by the manager a week later."""
        start = self.person.start_date + timedelta(days=14)
        day = max(self.window.opens - timedelta(days=336 - 2 * (self.number % 10)), start)
        if day >= self.as_of - timedelta(days=7):
            return None
        objective_id = await self._add(
            objective,
            status="draft",
            by_manager=False,
            now=_at(day, 10, 5 * (self.number % 12)),
            target_date=self.window.opens - timedelta(days=1),
        )
        agreed = _at(day + timedelta(days=4 + self.number % 5), 9, 30)
        await self._agree(objective_id, actor_pk=self.manager_pk, now=agreed)
        return objective_id

    async def _apr(
        self, apr: _DemoApr, held_on: date, last: list[tuple[int, _DemoObjective]]
    ) -> int:
        """The APR as the manager recorded it: last cycle's objectives reviewed and closed."""
        now = _at(held_on, 16)
        reviewed = []
        for objective_id, objective in last:
            view = await objective_repo.get_objective(self.session, objective_id)
            assert view is not None
            if view.updated_at < now - timedelta(days=14):
                updates = objective.updates
                if objective.outcome == "achieved":  # the final update says it is done
                    updates = (*updates, (100, "green", objective.review))
                await self._updates(objective_id, updates, now - timedelta(days=7))
                reviewed.append((objective_id, objective.outcome, objective.review))
            else:  # agreed too close to the APR to review: it carries on
                await self._updates(objective_id, objective.updates, self.latest)
        apr_id = await apr_repo.add_apr(
            self.session,
            employee_pk=self.person.id,
            manager_pk=self.manager_pk,
            held_on=held_on,
            overall_comments=apr.overall,
            leadership_themes=apr.themes if self.person.is_manager else (),
            development_needs=apr.development,
            learning_needs=apr.learning,
            reviews=reviewed,
            source="chat",
            now=now,
        )
        for objective_id, outcome, comment in reviewed:
            if outcome != "continuing":
                await objective_repo.set_status(
                    self.session,
                    objective_id,
                    status=outcome,
                    actor_pk=self.manager_pk,
                    comment=comment,
                    now=now,
                )
        if apr.response is not None:
            await apr_repo.record_response(
                self.session,
                apr_id,
                comment=apr.response or None,
                now=min(_at(held_on + timedelta(days=3), 9, 30), self.latest),
            )
        return apr_id

    async def _this_cycle(self, objective: _DemoObjective, apr_id: int, held_on: date) -> int:
        """Agreed at the APR as one of the coming year's objectives, updated since."""
        objective_id = await self._add(
            objective,
            status="agreed",
            by_manager=True,
            now=_at(held_on, 16),
            from_apr_id=apr_id,
        )
        await self._updates(objective_id, objective.updates, self.latest)
        return 1

    async def _recent(self, objective: _DemoObjective) -> int:
        """A draft waiting for the other side, or a probation objective agreed at the start."""
        if objective.kind == "probation":
            day = self.person.start_date + timedelta(days=3)
            target = probation_ends(self.person.start_date, self.policy.probation_months)
        else:
            day = self.as_of - timedelta(days=3 + self.number % 5)
            target = self.cycle_end
        if day < self.person.start_date or day >= self.as_of:
            return 0
        by_manager = objective.kind in ("proposed", "probation")
        objective_id = await self._add(
            objective,
            status="draft",
            by_manager=by_manager,
            now=_at(day, 11, 20),
            target_date=target,
        )
        if objective.kind == "probation":
            agreed = min(_at(day + timedelta(days=1), 10), self.latest)
            await self._agree(objective_id, actor_pk=self.person.id, now=agreed)
            await self._updates(objective_id, objective.updates, self.latest)
        return 1


def _last_closed_window(policy: AprCyclePolicy, start_date: date, as_of: date) -> AprWindow:
    """The most recent APR window that closed before ``as_of``."""
    window = current_window(policy, start_date=start_date, as_of=as_of)
    if window.closes < as_of:
        return window
    return current_window(policy, start_date=start_date, as_of=window.opens - timedelta(days=1))


# --- sickness absence -----------------------------------------------------------------------
#
# A little absence history, dated back from ``as_of`` in working days, so each thing a manager
# meets is there to try. Oluwaseun Adeyemi (Priya Shah's team) came back today from two days
# off sick and the return-to-work conversation is due. Bilal Hussain (Tom Griffiths's team) has
# had three short spells in 12 months, a trigger point, with a conversation held after each.
# Emma Clarke (Aisha Khan's team) has been off for about 40 days: long-term and ongoing. Margaret
# Hughes had a cold, Daniel Kowalski a musculoskeletal spell with the conversation held on time,
# and Sarah Thompson a day of 'other' absence, which needs no conversation.


@dataclass(frozen=True)
class _DemoRtw:
    days_after_return: int  # working days after the first day back (0: on the day)
    outcome: str
    notes: str
    support: tuple[str, ...] = ()


@dataclass(frozen=True)
class _DemoAbsence:
    number: int
    days_ago: int | None  # calendar days before as_of it started (on the next working day)
    working_days: int | None  # None while ongoing
    reason: str | None
    kind: str = "sickness"
    rtw: _DemoRtw | None = None


_ABSENCES: tuple[_DemoAbsence, ...] = (
    # Back today (the last working day before as_of was the last day off): the RTW is due.
    _DemoAbsence(12, None, 2, "Stomach, liver or digestion"),
    # Three short spells in 12 months: a trigger point.
    _DemoAbsence(
        17,
        250,
        2,
        "Cold, cough or flu",
        rtw=_DemoRtw(0, "no_further_action", "Back after a heavy cold; feeling fine now."),
    ),
    _DemoAbsence(
        17,
        130,
        3,
        "Stomach, liver or digestion",
        rtw=_DemoRtw(1, "keep_under_review", "Stomach bug, recovered. Second absence this year."),
    ),
    _DemoAbsence(
        17,
        30,
        2,
        "Cold, cough or flu",
        rtw=_DemoRtw(
            0,
            "attendance_review_meeting",
            "Third short absence in the year; talked through the attendance policy.",
            ("eap",),
        ),
    ),
    # Long-term and ongoing.
    _DemoAbsence(23, 40, None, "Stress, anxiety or depression"),
    # A little history.
    _DemoAbsence(
        11,
        200,
        2,
        "Cold, cough or flu",
        rtw=_DemoRtw(0, "no_further_action", "Cold; fully recovered."),
    ),
    _DemoAbsence(
        19,
        95,
        4,
        "Musculoskeletal",
        rtw=_DemoRtw(
            1,
            "keep_under_review",
            "Back strain from lifting; agreed a manual handling refresher.",
            ("adjustments",),
        ),
    ),
    _DemoAbsence(21, 60, 1, None, kind="other"),
)


async def seed_demo_absence(
    database: Database, as_of: date, *, policy: AbsencePolicy | None = None
) -> int:
    """Give the demo teams some sickness absence before ``as_of``; returns how many absences.

    Adds nothing if anyone in the demo teams already has an absence, so running it again (or
    after someone has tried the bot) changes nothing. Working days follow each person's pattern
    (or ``policy``'s default) and the bank holidays of England and Wales; no date is after
    ``as_of``.
    """
    policy = policy or AbsencePolicy()
    async with database.transaction() as session:
        teams = await _demo_teams(session, as_of)
        people = {number: report for _, reports in teams for number, report in reports.items()}
        everyone = [manager.id for manager, _ in teams] + [p.id for p in people.values()]
        if not people or await _has_absences(session, everyone):
            return 0
        patterns = await absence_reports.working_patterns(session)
        seeded: dict[int, list[AbsenceSpell]] = defaultdict(list)
        created = 0
        for absence in sorted(_ABSENCES, key=lambda a: -(a.days_ago or 0)):
            person = people.get(absence.number)
            if person is None or person.manager_id is None:
                continue
            pattern = WorkingPattern.parse(patterns.get(person.id) or policy.default_pattern)
            seeder = _AbsenceSeeder(session, person, person.manager_id, pattern, policy, as_of)
            spell = await seeder.seed(absence, seeded[absence.number])
            if spell is not None:
                seeded[absence.number].append(spell)
                created += 1
    return created


async def _has_absences(session: AsyncSession, pks: list[int]) -> bool:
    for pk in pks:
        if await absence_repo.absences_for(session, pk):
            return True
    return False


def _previous_working_day(day: date, pattern: WorkingPattern) -> date:
    """The last working day strictly before ``day``."""
    day -= timedelta(days=1)
    while not is_working_day(day, pattern):
        day -= timedelta(days=1)
    return day


class _AbsenceSeeder:
    """One absence (and its return-to-work conversation), written as the bot would have."""

    def __init__(
        self,
        session: AsyncSession,
        person: Person,
        manager_pk: int,
        pattern: WorkingPattern,
        policy: AbsencePolicy,
        as_of: date,
    ) -> None:
        self.session, self.person, self.manager_pk = session, person, manager_pk
        self.pattern, self.policy, self.as_of = pattern, policy, as_of

    def _dates(self, absence: _DemoAbsence) -> tuple[date, date | None]:
        if absence.days_ago is None:
            # The last day off is the working day before the latest working day up to as_of,
            # so the conversation is due now whatever day of the week as_of falls on.
            latest = self.as_of + timedelta(days=1)
            end = _previous_working_day(_previous_working_day(latest, self.pattern), self.pattern)
            start = end
            for _ in range((absence.working_days or 1) - 1):
                start = _previous_working_day(start, self.pattern)
            return start, end
        start = next_working_day(
            self.as_of - timedelta(days=absence.days_ago), pattern=self.pattern, inclusive=True
        )
        if absence.working_days is None:
            return start, None
        return start, add_working_days(start, absence.working_days - 1, pattern=self.pattern)

    async def seed(self, absence: _DemoAbsence, earlier: list[AbsenceSpell]) -> AbsenceSpell | None:
        start, end = self._dates(absence)
        if start < self.person.start_date or start > self.as_of:
            return None
        absence_id = await absence_repo.add_absence(
            self.session,
            employee_pk=self.person.id,
            start_date=start,
            end_date=None,
            absence_type=absence.kind,
            reason_category=absence.reason,
            working_days_lost=None,
            working_days_given=False,
            disability_related=False,
            expected_return=None,
            source="chat",
            recorded_by_pk=self.manager_pk,
            now=_at(start, 8, 40),
        )
        if end is None:
            contact = max(start, self.as_of - timedelta(days=9))
            await absence_repo.record_contact(
                self.session, absence_id, contact, _at(contact, 11, 15)
            )
            lost = working_days_between(start, self.as_of, pattern=self.pattern)
            return AbsenceSpell(start, None, lost, kind=absence.kind)
        lost = working_days_between(start, end, pattern=self.pattern)
        await absence_repo.end_absence(
            self.session, absence_id, end_date=end, working_days_lost=lost, now=_at(end, 16, 30)
        )
        spell = AbsenceSpell(start, end, lost, kind=absence.kind)
        if absence.rtw is not None:
            await self._rtw(absence_id, absence, spell, earlier)
        return spell

    async def _rtw(
        self,
        absence_id: int,
        absence: _DemoAbsence,
        spell: AbsenceSpell,
        earlier: list[AbsenceSpell],
    ) -> None:
        assert absence.rtw is not None and spell.end is not None
        due = rtw_due(
            absence_end=spell.end,
            as_of=self.as_of,
            deadline_days=self.policy.rtw_deadline_days,
            pattern=self.pattern,
        )
        held_on = add_working_days(due.due_on, absence.rtw.days_after_return, pattern=self.pattern)
        held_on = min(held_on, self.as_of)
        status = trigger_status([*earlier, spell], as_of=held_on, policy=self.policy.triggers)
        await absence_repo.add_rtw(
            self.session,
            absence_id=absence_id,
            employee_pk=self.person.id,
            manager_pk=self.manager_pk,
            held_on=held_on,
            reason_category=absence.reason,
            notes=absence.rtw.notes,
            reported_correctly=True,
            fit_note_received=True if fit_note_expected(spell.start, spell.end) else None,
            work_related=False,
            accident_at_work=False,
            underlying_condition=False,
            adjustments_needed="adjustments" in absence.rtw.support,
            support_offered=absence.rtw.support,
            outcome=absence.rtw.outcome,
            employee_comments="",
            trigger_summary=status.describe(),
            trigger_reached=status.reached,
            now=_at(held_on, 14, 10),
        )
