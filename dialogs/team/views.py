"""Cards for `my team`, delegation, and the HR compliance and scorecard views."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs import cards
from domain.date_words import format_short, plural
from domain.people import Person
from domain.records import DelegationView
from services.delegation import DelegationProposal
from services.team_overview import ATTENTION_KINDS, Team, TeamRow

END_DELEGATION = "end_delegation"
CONFIRM_DELEGATION = "confirm_delegation"
CANCEL = "cancel"  # the confirm card's Cancel: its "answer"

# What acting as line manager opens (domain.authority.may_act_for grants the acting manager
# all of the line manager's authority over the team, so all of it is said before it is given).
ACTING_MANAGER_SEES = (
    "their one-to-ones, past and new, and the actions agreed in them",
    "their objectives and progress, and agreeing them",
    "their APRs and APR preparation",
    "their **sickness absence and return-to-work records: health data**, past and new",
)


def _buttons(row: TeamRow, *, may_open_teams: bool) -> list[cards.Element]:
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
    return buttons


def _attention_row(row: TeamRow, *, may_open_teams: bool) -> cards.Element:
    """Who, what needs doing (every kind), and the button for the most pressing step. An
    overdue row is highlighted by its container and says "overdue" in words."""
    what = " \u00b7 ".join(words for _, words in row.attention)
    name = cards.text(row.name)
    name["weight"] = "Bolder"
    who = [name, cards.text(what, size="Small")]
    buttons = _buttons(row, may_open_teams=may_open_teams)
    cols: list[tuple[list[cards.Element], str]] = [(who, "stretch")]
    if buttons:
        cols.append(([cards.action_set(buttons)], "auto"))
    block = cards.container([cards.columns(*cols)], style="attention" if row.urgent else "emphasis")
    block["spacing"] = "Small"
    return block


def _everyone_row(row: TeamRow, *, may_open_teams: bool) -> cards.Element:
    """Everything about one person, for the full list behind "Everyone"."""
    pairs = [("One-to-one", row.one_to_one), ("APR", row.apr)]
    if row.rtw:
        pairs.append(("Return to work", row.rtw))
    pairs.append(("Objectives", row.objectives))
    if row.sickness is not None:
        pairs.append(("Sickness", row.sickness))
    name = cards.text(row.name)
    name["weight"] = "Bolder"
    items = [name, cards.text(f"Next: {row.next_reason}", subtle=True), cards.facts(pairs)]
    buttons = _buttons(row, may_open_teams=may_open_teams)
    if buttons:
        items.append(cards.action_set(buttons))
    return cards.container(items, separator=True)


def attention_summary(rows: Sequence[TeamRow]) -> str:
    """ "12 people; 5 need attention: 2 one-to-ones overdue, 1 APR overdue, ..." """
    counts: dict[str, int] = {}
    for row in rows:
        for kind, _ in row.attention:
            counts[kind] = counts.get(kind, 0) + 1
    needing = sum(1 for r in rows if r.attention)
    summary = f"{len(rows)} {'person' if len(rows) == 1 else 'people'}"
    if not needing:
        return summary + "; nothing needs your attention."
    parts = [
        f"{counts[kind]} {one if counts[kind] == 1 else many}"
        for kind, (one, many) in ATTENTION_KINDS.items()
        if counts.get(kind)
    ]
    return f"{summary}; {needing} need{'s' if needing == 1 else ''} attention: " + ", ".join(parts)


def _most_pressing_first(rows: Sequence[TeamRow]) -> list[TeamRow]:
    return sorted(
        (r for r in rows if r.attention), key=lambda r: (not r.urgent, -len(r.attention), r.name)
    )


def _team_title(team: Team, viewer_id: int) -> str:
    if team.acting:
        return f"{team.manager.name}'s team (you are acting manager)"
    if team.manager.id == viewer_id:
        return "Your team"
    return f"{team.manager.name}'s team"


def team_card(teams: Sequence[Team], *, viewer_id: int) -> cards.Element:
    """Who needs attention and what, first; everyone else behind "Everyone"."""
    body: list[cards.Element] = []
    actions: list[cards.Element] = []
    for team in teams:
        body.append(cards.heading(_team_title(team, viewer_id)))
        if not team.rows:
            body.append(cards.text("Nobody in this team at the moment.", subtle=True))
            continue
        body.append(cards.text(attention_summary(team.rows)))
        if team.health_note:
            body.append(cards.text(team.health_note, subtle=True, size="Small"))
        body += [
            _attention_row(row, may_open_teams=team.may_open_teams)
            for row in _most_pressing_first(team.rows)
        ]
        everyone = [
            _everyone_row(row, may_open_teams=team.may_open_teams)
            for row in sorted(team.rows, key=lambda r: r.name)
        ]
        title = "Everyone" if len(teams) == 1 else f"Everyone in {_team_title(team, viewer_id)}"
        actions.append(
            {
                "type": "Action.ShowCard",
                "title": f"{title} ({len(team.rows)})",
                "card": cards.card(everyone),
            }
        )
    return cards.card(body, actions)


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


def delegation_saved_card(d: DelegationView, footer: str | None = None) -> cards.Element:
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
            *([cards.text(footer, subtle=True)] if footer else []),
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


def _team_names(team: Sequence[Person]) -> str:
    names = [p.name for p in team]
    return ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")


def delegation_confirm_card(
    proposal: DelegationProposal, data: dict[str, object], *, viewer_id: int
) -> cards.Element:
    """Asked before a team is handed over: who, when, and exactly what they will see."""
    acting = proposal.delegate
    team = "your" if proposal.manager.id == viewer_id else f"{proposal.manager.first_name}'s"
    body = [
        cards.heading(f"Make {acting.name} acting manager?"),
        cards.facts(
            [
                (
                    "Team",
                    f"{proposal.manager.name}'s ({plural(len(proposal.team), 'person', 'people')})",
                ),
                ("Acting manager", acting.name),
                ("From", format_short(proposal.starts_on)),
                ("Until", f"{format_short(proposal.ends_on)} (inclusive)"),
            ]
        ),
        cards.text(f"**People:** {_team_names(proposal.team)}"),
        cards.text(
            f"For these dates {acting.first_name} acts as line manager for {team} team "
            "and will see and record:"
        ),
        *(cards.text(f"- {line}") for line in ACTING_MANAGER_SEES),
        cards.text(
            "- the team's reminders, which go to them instead of "
            + ("you" if proposal.manager.id == viewer_id else proposal.manager.first_name)
        ),
    ]
    if proposal.needs_hr_confirmation:
        body.append(
            cards.text(
                f"{acting.first_name} isn't in {proposal.manager.first_name}'s own line of "
                "management, so an HR admin must confirm it before it starts.",
                subtle=True,
            )
        )
    body.append(cards.text("Nothing is handed over until you confirm.", subtle=True))
    # Cancel answers this card (never validating, as every Cancel): the request held for it
    # on the server is dropped, so nothing can confirm it afterwards.
    cancel = {**cards.submit("Cancel", {**data, "answer": CANCEL}), "associatedInputs": "none"}
    actions = [cards.submit("Confirm", data, primary=True), cancel]
    return cards.card(body, actions)


def delegation_pending_card(d: DelegationView, footer: str) -> cards.Element:
    """Asked for, but waiting for an HR admin: it grants nothing yet."""
    return cards.card(
        [
            cards.heading("Waiting for an HR admin to confirm"),
            cards.facts(
                [
                    ("Team", f"{d.manager_name}'s"),
                    ("Acting manager", d.delegate_name),
                    ("From", format_short(d.starts_on)),
                    ("Until", f"{format_short(d.ends_on)} (inclusive)"),
                ]
            ),
            cards.text(
                f"{d.delegate_name} isn't in {d.manager_name.split()[0]}'s own line of "
                f"management, so an HR admin needs to confirm this delegation (number {d.id}) "
                f"before it starts. Until then {d.delegate_name.split()[0]} can't act for the "
                "team. Say **end delegation** to withdraw it."
            ),
            cards.text(footer, subtle=True),
        ]
    )
