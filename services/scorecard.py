"""A department's balanced scorecard, and who may see it: HR admins any department, heads of
service their own. The measures, targets and RAG are ``domain.scorecard``; suppression is
``domain.compliance``'s, over the by-department compliance report, so comparing the two never
recovers a hidden figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.compliance import (
    PERIOD_DAYS,
    GroupBy,
    Measure,
    Share,
    department_group,
    department_row,
    in_post,
    suppress_groups,
    suppress_small,
)
from domain.errors import Invalid, Refused
from domain.people import Person
from domain.scorecard import (
    DEFAULT_TARGETS,
    EXTRA_KEYS,
    SPECS,
    Figure,
    Rag,
    Scorecard,
    blank_lines,
    parse_targets,
    score_lines,
)
from services.compliance import build_report
from services.staff_status import StaffRules, trigger_standing
from storage import employees
from storage import objectives as objective_repo
from storage.database import Database
from storage.staff_facts import StaffFacts, staff_facts

# Compatible names: the measures, targets and RAG live in domain.scorecard.
__all__ = [
    "COUNCIL",
    "DEFAULT_TARGETS",
    "SPECS",
    "Rag",
    "Scorecard",
    "ScorecardAnswer",
    "ScorecardService",
    "build_council_scorecard",
    "build_scorecard",
    "council_scorecard",
    "department_scorecard",
    "departments",
    "parse_targets",
]


def _extra_columns(
    people: Sequence[StaffFacts],
    rules: StaffRules,
    as_of: date,
    group_of: Callable[[StaffFacts], str] = department_group,
) -> dict[str, dict[str, tuple[float | None, str, Share]]]:
    """The measures the compliance report doesn't have, for every group (by default every
    department): (value, detail, the share whose suppression decides whether it may be shown)."""
    by_department: dict[str, list[StaffFacts]] = defaultdict(list)
    for person in people:
        by_department[group_of(person)].append(person)
    found: dict[str, dict[str, tuple[float | None, str, Share]]] = {}
    for name, staff in by_department.items():
        heads = len(staff)
        live = sum(p.live_objectives for p in staff)
        green = sum(p.rag.get("green", 0) for p in staff)
        with_live = sum(1 for p in staff if p.live_objectives)
        triggers = [trigger_standing(p, rules, as_of) for p in staff]
        days = sum(t.working_days_lost for t in triggers)
        reached = sum(1 for t in triggers if t.reached)
        everyone = Share(heads, heads, heads)
        found[name] = {
            "objectives_on_track": (
                100.0 * green / live if live else None,
                f"{green} of {live} live objectives",
                Share(green, live, with_live),
            ),
            "sickness_days": (
                days / heads,
                f"{days} working days over {heads} people",
                everyone,
            ),
            "trigger_points": (100.0 * reached / heads, f"{reached} of {heads} people", everyone),
        }
    return found


def _extra_values(
    people: Sequence[StaffFacts], rules: StaffRules, as_of: date, department: str
) -> dict[str, Figure]:
    """The department's extra measures, each hidden under the compliance report's rules (fewer
    than MIN_GROUP people behind it, or complementary suppression across departments)."""
    columns = _extra_columns(people, rules, as_of)
    name = department or "(no department)"
    values: dict[str, Figure] = {}
    for key in EXTRA_KEYS:
        shown = suppress_groups({d: measures[key][2] for d, measures in columns.items()})
        value, detail, _ = columns[name][key]
        values[key] = (value, detail, shown[name].suppressed)
    return values


def build_scorecard(
    people: Iterable[StaffFacts],
    rules: StaffRules,
    as_of: date,
    department: str,
    targets: Mapping[str, float] | None = None,
) -> Scorecard:
    """The department's scorecard from facts about the whole council. Suppression comes from
    the by-department compliance report: a figure HR's report hides for this department is
    hidden here too, so comparing the two never recovers it."""
    chosen = targets or DEFAULT_TARGETS
    everyone = [p for p in people if in_post(p, as_of)]
    report = build_report(everyone, rules, as_of, group_by=GroupBy.DEPARTMENT)
    row = department_row(report, department)
    if row is None:  # nobody in post there: nothing to measure, nothing to hide
        return Scorecard(department, as_of, 0, blank_lines(chosen))
    figures: dict[str, Figure] = {}
    for measure in Measure:
        share = row.shares[measure]
        figures[measure.value] = (share.percent, f"{share.met} of {share.total}", share.suppressed)
    figures.update(_extra_values(everyone, rules, as_of, department))
    headcount = None if row.headcount_suppressed else row.headcount
    return Scorecard(department, as_of, headcount, score_lines(figures, chosen))


def build_council_scorecard(
    people: Iterable[StaffFacts],
    rules: StaffRules,
    as_of: date,
    targets: Mapping[str, float] | None = None,
) -> Scorecard:
    """The whole council's scorecard: the compliance report's council row and the other
    measures over everyone in post, hidden only if the whole council is a small group."""
    chosen = targets or DEFAULT_TARGETS
    everyone = [p for p in people if in_post(p, as_of)]
    if not everyone:
        return Scorecard(COUNCIL, as_of, 0, blank_lines(chosen))
    council = build_report(everyone, rules, as_of, group_by=GroupBy.DEPARTMENT).council
    figures: dict[str, Figure] = {}
    for measure in Measure:
        share = council.shares[measure]
        figures[measure.value] = (share.percent, f"{share.met} of {share.total}", share.suppressed)
    extras = _extra_columns(everyone, rules, as_of, lambda person: COUNCIL)[COUNCIL]
    for key in EXTRA_KEYS:
        value, detail, share = extras[key]
        figures[key] = (value, detail, suppress_small(share).suppressed)
    headcount = None if council.headcount_suppressed else council.headcount
    return Scorecard(COUNCIL, as_of, headcount, score_lines(figures, chosen))


async def _everyone(database: Database, as_of: date) -> list[StaffFacts]:
    async with database.sessions() as session:
        return list(
            await staff_facts(
                session, as_of, sickness_since=as_of - timedelta(days=PERIOD_DAYS + 31)
            )
        )


async def council_scorecard(
    database: Database, rules: StaffRules, as_of: date, targets: Mapping[str, float] | None = None
) -> Scorecard:
    return build_council_scorecard(await _everyone(database, as_of), rules, as_of, targets)


async def department_scorecard(
    database: Database,
    rules: StaffRules,
    as_of: date,
    department: str,
    targets: Mapping[str, float] | None = None,
) -> Scorecard:
    return build_scorecard(await _everyone(database, as_of), rules, as_of, department, targets)


async def departments(database: Database, as_of: date) -> list[str]:
    """Departments with anyone in post, for matching what someone typed."""
    async with database.sessions() as session:
        heads = await objective_repo.headcount_by_department(session, as_of)
    return sorted(d for d in heads if d)


NOT_A_HEAD = (
    "Sorry, the **scorecard** is for HR admins and heads of service (managers of managers), "
    "for their own department. Type **my team** to see your team."
)


@dataclass(frozen=True)
class ScorecardAnswer:
    scorecard: Scorecard
    note: str | None = None  # said first, e.g. why it is not the department asked for


async def is_head_of_service(session: AsyncSession, person: Person, today: date) -> bool:
    """A manager of managers: someone with a direct report who has reports of their own."""
    reports = await employees.active_direct_reports(session, person.id, today)
    return any(r.is_manager for r in reports)


COUNCIL = "Whole council"
_COUNCIL_WORDS = frozenset({"council", "the council", "whole council", "the whole council", "all"})


class ScorecardService:
    """Who may see which department's scorecard: HR admins the whole council (when no
    department is named) or any department; heads of service their own department only;
    nobody else."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        rules: StaffRules,
        targets: Mapping[str, float] | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self._rules = rules
        self._targets = dict(targets or DEFAULT_TARGETS)

    async def may_see(self, viewer: Person) -> bool:
        """Whether the viewer may see any scorecard (HR admins, heads of service)."""
        if viewer.is_hr_admin:
            return True
        if not viewer.is_manager:
            return False
        async with self._db.sessions() as session:
            return await is_head_of_service(session, viewer, self._clock.today())

    async def for_viewer(self, viewer: Person, department: str | None) -> ScorecardAnswer:
        """Raises Refused (not HR, not a head of service) or Invalid (no such department)."""
        today = self._clock.today()
        note = None
        if viewer.is_hr_admin:
            if not department or department.strip().lower() in _COUNCIL_WORDS:
                card = await council_scorecard(self._db, self._rules, today, self._targets)
                return ScorecardAnswer(card)
            wanted = department
        else:
            async with self._db.sessions() as session:
                head = await is_head_of_service(session, viewer, today)
            if not head:
                raise Refused(NOT_A_HEAD)
            wanted = viewer.department
            if department and department.strip().lower() != viewer.department.lower():
                note = (
                    f"Heads of service see their own department's scorecard; here is "
                    f"{viewer.department}'s."
                )
        known = await departments(self._db, today)
        found = next((d for d in known if d.lower() == (wanted or "").strip().lower()), None)
        if found is None:
            listed = ", ".join(known) or "none yet"
            raise Invalid(
                f"I couldn't find a department called \u201c{wanted}\u201d. Departments: {listed}."
            )
        card = await department_scorecard(self._db, self._rules, today, found, self._targets)
        return ScorecardAnswer(card, note)
