"""How often planned one-to-ones slip (#18): of the planned one-to-ones settled in a period,
the share held on the planned date, moved, and missed, by department and for the council.

A planned one-to-one is settled when a one-to-one is logged for it (held, or moved if logged on
another day), when the manager plans it again or answers "it was moved", or when they answer
"it didn't happen". A meeting moved twice counts twice: the figures are about plans, which is
what HR asks ("how often do they slip?"). Plans still to come are not counted.

Small groups are suppressed as everywhere else in the compliance report
(:func:`domain.compliance.suppress_column`): a group of fewer than ``MIN_GROUP`` people
behind a column's figure is hidden, and complementary suppression stops it being worked out
from the council figure. Pure rules: the caller passes the settled plans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.agenda import PlanStatus
from domain.compliance import MIN_GROUP, SUPPRESSED, Share, suppress_column, suppress_small

OUTCOMES: tuple[PlanStatus, ...] = (PlanStatus.HELD, PlanStatus.MOVED, PlanStatus.MISSED)
OUTCOME_TITLES: dict[PlanStatus, str] = {
    PlanStatus.HELD: "Held on the planned date",
    PlanStatus.MOVED: "Moved",
    PlanStatus.MISSED: "Didn't happen",
}
COUNCIL = "Whole council"


@dataclass(frozen=True)
class SettledPlan:
    employee_id: int
    group: str  # the department ("(no department)" when HR left it blank)
    status: PlanStatus


@dataclass(frozen=True)
class SlipRow:
    name: str
    shares: dict[PlanStatus, Share]


@dataclass(frozen=True)
class SlipReport:
    period_start: date
    as_of: date
    groups: tuple[SlipRow, ...]
    council: SlipRow

    def table(self) -> list[list[str]]:
        """Header and rows as text (for CSV, HTML or the console), council last."""
        header = ["Group", *(OUTCOME_TITLES[o] for o in OUTCOMES)]
        return [header] + [
            [row.name, *(row.shares[o].display() for o in OUTCOMES)]
            for row in (*self.groups, self.council)
        ]


def _shares(plans: Sequence[SettledPlan]) -> dict[PlanStatus, Share]:
    people = len({p.employee_id for p in plans})
    return {
        outcome: Share(sum(p.status is outcome for p in plans), len(plans), people)
        for outcome in OUTCOMES
    }


def slip_report(plans: Iterable[SettledPlan], period_start: date, as_of: date) -> SlipReport:
    """Held on the day / moved / missed per group and for the council, suppression applied."""
    settled = [p for p in plans if p.status in OUTCOMES]
    by_group: dict[str, list[SettledPlan]] = defaultdict(list)
    for plan in settled:
        by_group[plan.group].append(plan)
    names = sorted(by_group)
    raw = [_shares(by_group[name]) for name in names]
    columns = {o: suppress_column([shares[o] for shares in raw]) for o in OUTCOMES}
    groups = tuple(
        SlipRow(name, {o: columns[o][i] for o in OUTCOMES}) for i, name in enumerate(names)
    )
    council = SlipRow(COUNCIL, {o: suppress_small(s) for o, s in _shares(settled).items()})
    return SlipReport(period_start, as_of, groups, council)


def slip_note(period_start: date, as_of: date) -> str:
    return (
        f"Planned one-to-ones settled between {period_start:%-d %b %Y} and {as_of:%-d %b %Y}: "
        "held on the planned date, moved (rescheduled, or held on another day) or didn't "
        f"happen. A one-to-one moved twice counts twice. Groups of fewer than {MIN_GROUP} "
        f"people are shown as \u201c{SUPPRESSED}\u201d."
    )
