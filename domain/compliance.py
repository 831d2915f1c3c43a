"""The compliance report's figures: the evidence the Employment Committee asked for, is the
framework happening?

Four shares, by department (or by line manager) and for the whole council, as of a day:

* **One-to-ones within cadence**: staff in post with a line manager whose last one-to-one is
  within their interval (on track or due soon, as ``domain.cadence`` says). Someone never
  seen who is still inside their first interval (a new starter) is not yet expected to have
  had one and is left out; once that interval passes they count, as overdue.
* **APRs completed in the cycle**: staff whose APR is due in the cycle under way (due,
  overdue or completed, by ``domain.apr_cycle``). People in probation and those whose first
  APR falls in a later cycle are not due and are left out; "due soon" for the next window
  never hides this cycle's result.
* **Return-to-work conversations held by their deadline**: ended sickness absences whose
  deadline (``domain.rtw``: first working day back plus the deadline in working days) fell
  in the period (the 12 months to the day), or later when already held. Held on the
  deadline is on time; held late, or not held and past the deadline, is not. Absences still
  inside their deadline and not yet held are left out.
* **Staff with an agreed objective**: staff in post with at least one objective agreed or in
  progress.

Leavers (gone by the day) are never counted, nor people who have not started yet.

**Suppression.** A group of fewer than ``MIN_GROUP`` people (the people behind the figure,
not the records) is shown as "suppressed (<5)", never as a number, so nobody can be singled
out. Because the council figure is shown, one suppressed group could be recovered by
subtracting the others from it; so whenever exactly one group in a column is suppressed and
could be worked out that way, the next smallest group in that column is suppressed too
(complementary suppression), and says so. Only then: a group with nothing due hides no figure,
and when the council figure is itself hidden (the whole council has fewer than ``MIN_GROUP``)
nothing can be subtracted, so no second group is hidden.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Protocol

MIN_GROUP = 5
SUPPRESSED = "suppressed (<5)"
# Why a figure is hidden, in words HR can repeat to a manager who asks.
HIDDEN_SMALL = f"hidden: fewer than {MIN_GROUP} people"
HIDDEN_COMPLEMENTARY = "hidden so a smaller group can't be worked out"
PERIOD_DAYS = 365


class Measure(StrEnum):
    ONE_TO_ONES = "one_to_ones"
    APRS = "aprs"
    RTW = "rtw"
    OBJECTIVES = "objectives"


MEASURE_TITLES: dict[Measure, str] = {
    Measure.ONE_TO_ONES: "One-to-ones within cadence",
    Measure.APRS: "APRs completed this cycle",
    Measure.RTW: "Return to work held by the deadline",
    Measure.OBJECTIVES: "Staff with an agreed objective",
}


class GroupBy(StrEnum):
    DEPARTMENT = "department"
    MANAGER = "manager"


@dataclass(frozen=True)
class Share:
    met: int
    total: int
    people: int  # distinct people behind the figure (what suppression counts)
    suppressed: bool = False
    # Hidden only so that another group's hidden figure can't be worked out from the council's.
    complementary: bool = False

    @property
    def percent(self) -> float | None:
        if self.suppressed or self.total == 0:
            return None
        return 100.0 * self.met / self.total

    def display(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.total == 0:
            return "none due"
        return f"{self.percent:.0f}% ({self.met} of {self.total})"

    def explained(self) -> str:
        """What a person reads: the figure, or why it is hidden."""
        if self.complementary:
            return HIDDEN_COMPLEMENTARY
        if self.suppressed:
            return HIDDEN_SMALL
        return self.display()


@dataclass(frozen=True)
class GroupRow:
    name: str
    headcount: int
    shares: dict[Measure, Share]
    headcount_suppressed: bool = False

    def headcount_text(self) -> str:
        return "suppressed" if self.headcount_suppressed else str(self.headcount)


@dataclass(frozen=True)
class ComplianceReport:
    as_of: date
    period_start: date
    group_by: GroupBy
    groups: tuple[GroupRow, ...]
    council: GroupRow
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class Tally:
    met: int = 0
    total: int = 0
    people: set[int] = field(default_factory=set)

    def add(self, person: int, met: bool) -> None:
        self.total += 1
        self.met += int(met)
        self.people.add(person)

    def share(self) -> Share:
        return Share(self.met, self.total, len(self.people))


class InPost(Protocol):
    """What the report needs to know about a person to group them."""

    @property
    def id(self) -> int: ...
    @property
    def employee_id(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def manager_id(self) -> int | None: ...
    @property
    def manager_name(self) -> str | None: ...
    @property
    def start_date(self) -> date: ...
    @property
    def left_on(self) -> date | None: ...


def in_post(person: InPost, as_of: date) -> bool:
    return person.start_date <= as_of and (person.left_on is None or person.left_on > as_of)


def suppress_small(share: Share) -> Share:
    return replace(share, suppressed=True) if share.people < MIN_GROUP else share


def suppress_column(shares: Sequence[Share]) -> list[Share]:
    """Primary suppression (fewer than MIN_GROUP people), then complementary suppression where
    a hidden figure could otherwise be worked out: when exactly one figure with anything
    behind it is hidden and the council figure (over the same people: the groups partition
    them) is shown, hide the next smallest too."""
    result = [suppress_small(s) for s in shares]
    if sum(s.people for s in shares) < MIN_GROUP:  # the council figure is hidden too
        return result
    hidden = [i for i, s in enumerate(result) if s.suppressed and s.total > 0]
    if len(hidden) == 1:
        candidates = [i for i, s in enumerate(result) if not s.suppressed and s.total > 0]
        if candidates:
            smallest = min(candidates, key=lambda i: (result[i].people, result[i].total))
            result[smallest] = replace(result[smallest], suppressed=True, complementary=True)
    return result


def department_group(person: InPost) -> str:
    """The by-department report's group name for this person."""
    return person.department or "(no department)"


def manager_labels(people: Sequence[InPost], names: Mapping[int, str]) -> dict[int | None, str]:
    """Each line manager's group name, keyed by their id (teams are grouped by manager, never
    by name): their name, with their HR employee id added when two managers share a name."""
    employee_ids = {p.id: p.employee_id for p in people}
    labels: dict[int | None, str] = {}
    for p in people:
        if p.manager_id is None:
            labels[None] = "(no line manager)"
        elif p.manager_id not in labels:
            labels[p.manager_id] = names.get(p.manager_id) or p.manager_name or "(unknown manager)"
    counts = Counter(labels.values())
    for manager_id, label in labels.items():
        if manager_id is not None and counts[label] > 1:
            labels[manager_id] = f"{label} ({employee_ids.get(manager_id, f'#{manager_id}')})"
    return labels


def suppress_groups(shares: Mapping[str, Share]) -> dict[str, Share]:
    """``suppress_column`` over a column keyed by group name."""
    names = list(shares)
    return dict(zip(names, suppress_column([shares[n] for n in names]), strict=True))


def department_row(report: ComplianceReport, department: str) -> GroupRow | None:
    """A department's row of a by-department report, suppression applied, as HR sees it."""
    name = department or "(no department)"
    return next((g for g in report.groups if g.name == name), None)


def report_notes(period_start: date, as_of: date) -> tuple[str, ...]:
    """What every copy of the report says about how it was counted."""
    return (
        f"Figures for fewer than {MIN_GROUP} people are hidden, so nobody can be singled out; "
        "when only one group in a column would be hidden, the next smallest is hidden too so "
        "the first can't be worked out from the council figure.",
        f"Return to work: absences whose deadline fell between {period_start:%-d %b %Y} and "
        f"{as_of:%-d %b %Y}; held on the deadline counts as on time.",
        "New starters still inside their first one-to-one interval, and people in probation "
        "or not yet due an APR, are left out of those shares. Leavers are never counted.",
    )


def group_rows(
    heads: Mapping[str, int], tallies: Mapping[str, Mapping[Measure, Tally]]
) -> tuple[GroupRow, ...]:
    """One row per group, by name, each column suppressed as a whole."""
    names = sorted(heads)
    head_shares = suppress_column([Share(heads[g], heads[g], heads[g]) for g in names])
    columns = {
        measure: suppress_column([_share(tallies, g, measure) for g in names])
        for measure in Measure
    }
    return tuple(
        GroupRow(
            name=g,
            headcount=heads[g],
            shares={m: columns[m][i] for m in Measure},
            headcount_suppressed=head_shares[i].suppressed,
        )
        for i, g in enumerate(names)
    )


def _share(tallies: Mapping[str, Mapping[Measure, Tally]], group: str, measure: Measure) -> Share:
    tally = tallies.get(group, {}).get(measure)
    return tally.share() if tally is not None else Share(0, 0, 0)


def council_row(headcount: int, council: Mapping[Measure, Tally]) -> GroupRow:
    """The whole council's row: suppressed only if the whole council is a small group."""
    return GroupRow(
        name="Whole council",
        headcount=headcount,
        shares={
            m: suppress_small(council[m].share() if m in council else Share(0, 0, 0))
            for m in Measure
        },
        headcount_suppressed=headcount < MIN_GROUP,
    )
