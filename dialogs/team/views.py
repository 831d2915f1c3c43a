"""Cards for `my team`, delegation, and the HR compliance and scorecard views."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs import cards
from domain.date_words import format_short
from domain.records import DelegationView
from services.team_overview import Team, TeamRow

END_DELEGATION = "end_delegation"


def _row(row: TeamRow, *, may_open_teams: bool) -> cards.Element:
    pairs = [
        ("One-to-one", row.one_to_one),
        ("APR", row.apr),
    ]
    if row.rtw:
        pairs.append(("Return to work", row.rtw))
    pairs.append(("Objectives", row.objectives))
    if row.sickness is not None:
        pairs.append(("Sickness", row.sickness))
    buttons = []
    if row.next_action is not None:
        buttons.append(
            cards.submit(
                row.next_action.label,
                {"command": row.next_action.command, "employee_id": row.employee_id},
                primary=True,
            )
        )
    if row.manages_people and may_open_teams:
        buttons.append(
            cards.submit(
                f"{row.name.split()[0]}'s team",
                {"command": "team_for", "employee_id": row.employee_id},
            )
        )
    urgent = row.rtw_state == "overdue" or row.one_to_one_state == "overdue"
    items = [
        cards.subheading(row.name),
        cards.text(f"Next: {row.next_reason}", subtle=not urgent),
        cards.facts(pairs),
    ]
    if buttons:
        items.append(cards.action_set(buttons))
    return cards.container(items, separator=True, style="attention" if urgent else None)


def team_card(teams: Sequence[Team], *, viewer_id: int) -> cards.Element:
    body: list[cards.Element] = []
    for team in teams:
        if team.acting:
            title = f"{team.manager.name}'s team (you are acting manager)"
        elif team.manager.id == viewer_id:
            title = "Your team"
        else:
            title = f"{team.manager.name}'s team"
        body.append(cards.heading(title))
        if not team.rows:
            body.append(cards.text("Nobody in this team at the moment.", subtle=True))
            continue
        overdue = sum(
            1 for r in team.rows if r.one_to_one_state == "overdue" or r.rtw_state == "overdue"
        )
        summary = f"{len(team.rows)} people"
        if overdue:
            summary += f"; {overdue} with something overdue"
        body.append(cards.text(summary, subtle=True))
        if team.health_note:
            body.append(cards.text(team.health_note, subtle=True))
        body += [_row(row, may_open_teams=team.may_open_teams) for row in team.rows]
    return cards.card(body)


def delegation_lines(found: Sequence[DelegationView], *, mine: bool) -> list[str]:
    lines = []
    for d in found:
        period = f"{format_short(d.starts_on)} to {format_short(d.ends_on)} (inclusive)"
        if mine:
            lines.append(f"- **{d.delegate_name}** is acting for your team, {period}")
        else:
            lines.append(f"- You are acting manager for **{d.manager_name}**'s team, {period}")
    return lines


def delegation_started_card(d: DelegationView) -> cards.Element:
    """What the acting manager is told when a delegation is set up for them."""
    return cards.card(
        [
            cards.heading(f"You are acting manager for {d.manager_name}'s team"),
            cards.text(
                f"From {format_short(d.starts_on)} to {format_short(d.ends_on)} (inclusive) you "
                f"can log one-to-ones, absences, return-to-work conversations and APRs for "
                f"{d.manager_name.split()[0]}'s team, and their reminders come to you."
            ),
        ],
        [cards.command_button("See the team", "my_team")],
    )


def delegation_saved_card(d: DelegationView) -> cards.Element:
    return cards.card(
        [
            cards.heading("Delegation set up"),
            cards.facts(
                [
                    ("Team", f"{d.manager_name}'s"),
                    ("Acting manager", d.delegate_name),
                    ("From", format_short(d.starts_on)),
                    ("Until", f"{format_short(d.ends_on)} (inclusive)"),
                ]
            ),
            cards.text(
                "They can log for the team and get its reminders during this time; you still "
                "can too. Say **end delegation** to stop it early.",
                subtle=True,
            ),
        ]
    )


def end_delegation_card(found: Sequence[DelegationView]) -> cards.Element:
    """One button per delegation the person could end."""
    body = [cards.heading("Which delegation should end?")]
    actions = [
        cards.submit(
            f"End: {d.delegate_name} for {d.manager_name}'s team until {format_short(d.ends_on)}",
            {"form": END_DELEGATION, "delegation_id": d.id},
        )
        for d in found
    ]
    return cards.card(body, actions)
