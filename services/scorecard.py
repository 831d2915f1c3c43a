"""The balanced scorecard's people-management measures for a department, against targets.

The framework (Appendix 1) offers a balanced scorecard as a tool a team or service can adapt
alongside supervision and APRs. The example table itself did not survive in the text Charter
was built from (the appendix page is blank), so Charter reports the people-management
measures it can compute from what it holds, and names the usual scorecard measures it can't
as "not measured by Charter" instead of inventing figures for them.

Targets are configuration (``CHARTER_SCORECARD_TARGETS``). RAG: green meets the target;
amber is within the measure's amber band of it (``AMBER_BANDS``: 10 percentage points for a
share, 2 days for days lost, 5 points for trigger points); red is further away.

Suppression has one home, ``services.compliance``: a measure the compliance report has is shown
for a department only when HR's by-department report shows that department's figure
(complementary suppression included), and the headcount likewise. The other measures follow
the same rules over the same departments: hidden when fewer than 5 people are behind the
figure, and when exactly one department's would be hidden, the next smallest's too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.errors import Invalid, Refused
from domain.people import Person
from services.compliance import (
    PERIOD_DAYS,
    SUPPRESSED,
    GroupBy,
    Measure,
    Share,
    build_report,
    department_group,
    department_row,
    in_post,
    suppress_groups,
)
from services.staff_status import StaffRules, trigger_standing
from storage import employees
from storage import objectives as objective_repo
from storage.database import Database
from storage.staff_facts import StaffFacts, staff_facts


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class MeasureSpec:
    key: str
    title: str
    perspective: str
    unit: str  # "%" or "days"
    higher_is_better: bool
    default_target: float


SPECS: tuple[MeasureSpec, ...] = (
    MeasureSpec("one_to_ones", "One-to-ones within cadence", "Managing people", "%", True, 90),
    MeasureSpec("aprs", "APRs completed this cycle", "Managing people", "%", True, 95),
    MeasureSpec("objectives", "Staff with an agreed objective", "Golden thread", "%", True, 95),
    MeasureSpec(
        "objectives_on_track", "Live objectives rated green", "Golden thread", "%", True, 70
    ),
    MeasureSpec("rtw", "Return to work held by the deadline", "Wellbeing", "%", True, 90),
    MeasureSpec(
        "sickness_days",
        "Sickness days lost per person (12 months)",
        "Wellbeing",
        "days",
        False,
        8,
    ),
    MeasureSpec("trigger_points", "Staff at a sickness trigger point", "Wellbeing", "%", False, 10),
)
SPEC_BY_KEY = {s.key: s for s in SPECS}
AMBER_BANDS: dict[str, float] = {"sickness_days": 2.0, "trigger_points": 5.0}
DEFAULT_AMBER_BAND = 10.0
DEFAULT_TARGETS: dict[str, float] = {s.key: s.default_target for s in SPECS}
# Measured here, not in the compliance report (which has the other four).
EXTRA_KEYS = ("objectives_on_track", "sickness_days", "trigger_points")

NOT_MEASURED: tuple[tuple[str, str], ...] = (
    ("Staff turnover and vacancies", "Charter does not hold leavers' reasons or posts."),
    ("Staff survey engagement", "Survey results are not loaded into Charter."),
    ("Training and learning completed", "Charter records learning needs, not courses done."),
    ("Agency and overtime spend", "Finance data is not in Charter."),
    ("Disciplinary, capability and grievance cases", "Casework stays in the HR system."),
    ("Customer satisfaction and service outcomes", "Service data is not in Charter."),
)


@dataclass(frozen=True)
class ScoreLine:
    spec: MeasureSpec
    value: float | None  # None when suppressed or nothing to measure
    target: float
    rag: Rag | None
    suppressed: bool
    detail: str

    def value_text(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return "nothing to measure yet"
        if self.spec.unit == "%":
            return f"{self.value:.0f}%"
        return f"{self.value:.1f} days"

    def target_text(self) -> str:
        comparison = "at least" if self.spec.higher_is_better else "at most"
        unit = "%" if self.spec.unit == "%" else " days"
        return f"{comparison} {self.target:g}{unit}"


@dataclass(frozen=True)
class Scorecard:
    department: str
    as_of: date
    headcount: int | None  # None when the compliance report hides the department's headcount
    lines: tuple[ScoreLine, ...]
    not_measured: tuple[tuple[str, str], ...] = NOT_MEASURED


def rag_for(spec: MeasureSpec, value: float, target: float) -> Rag:
    """Green meets the target; amber is within the measure's band of it; otherwise red."""
    band = AMBER_BANDS.get(spec.key, DEFAULT_AMBER_BAND)
    gap = (target - value) if spec.higher_is_better else (value - target)
    if gap <= 0:
        return Rag.GREEN
    return Rag.AMBER if gap <= band else Rag.RED


def parse_targets(text: str) -> dict[str, float]:
    """``measure=value`` pairs separated by commas; unknown measures and bad numbers raise
    ValueError with a message that names them."""
    targets = dict(DEFAULT_TARGETS)
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, raw = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in SPEC_BY_KEY:
            known = ", ".join(SPEC_BY_KEY)
            raise ValueError(f"unknown scorecard measure {key!r} (known: {known})")
        try:
            value = float(raw)
        except ValueError as error:
            raise ValueError(
                f"the target for {key} must be a number, not {raw.strip()!r}"
            ) from error
        if value < 0 or (SPEC_BY_KEY[key].unit == "%" and value > 100):
            raise ValueError(f"the target for {key} is out of range: {value:g}")
        targets[key] = value
    return targets


def _extra_columns(
    people: Sequence[StaffFacts], rules: StaffRules, as_of: date
) -> dict[str, dict[str, tuple[float | None, str, Share]]]:
    """The measures the compliance report doesn't have, for every department: (value, detail,
    the share whose suppression decides whether it may be shown)."""
    by_department: dict[str, list[StaffFacts]] = defaultdict(list)
    for person in people:
        by_department[department_group(person)].append(person)
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
) -> dict[str, tuple[float | None, str, bool]]:
    """The department's extra measures, each hidden under the compliance report's rules (fewer
    than MIN_GROUP people behind it, or complementary suppression across departments)."""
    columns = _extra_columns(people, rules, as_of)
    name = department or "(no department)"
    values: dict[str, tuple[float | None, str, bool]] = {}
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
        lines = tuple(
            ScoreLine(s, None, chosen.get(s.key, s.default_target), None, False, "") for s in SPECS
        )
        return Scorecard(department, as_of, 0, lines)
    values: dict[str, tuple[float | None, str, bool]] = {}
    for measure in Measure:
        share = row.shares[measure]
        values[measure.value] = (share.percent, f"{share.met} of {share.total}", share.suppressed)
    values.update(_extra_values(everyone, rules, as_of, department))
    lines = []
    for spec in SPECS:
        value, detail, hidden = values[spec.key]
        target = chosen.get(spec.key, spec.default_target)
        if hidden:
            lines.append(ScoreLine(spec, None, target, None, True, ""))
            continue
        rag = rag_for(spec, value, target) if value is not None else None
        lines.append(
            ScoreLine(spec, value, target, rag, False, detail if value is not None else "")
        )
    headcount = None if row.headcount_suppressed else row.headcount
    return Scorecard(department, as_of, headcount, tuple(lines))


async def department_scorecard(
    database: Database,
    rules: StaffRules,
    as_of: date,
    department: str,
    targets: Mapping[str, float] | None = None,
) -> Scorecard:
    async with database.sessions() as session:
        people = await staff_facts(
            session, as_of, sickness_since=as_of - timedelta(days=PERIOD_DAYS + 31)
        )
    return build_scorecard(people, rules, as_of, department, targets)


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


class ScorecardService:
    """Who may see which department's scorecard: HR admins any department (their own when
    none is named); heads of service their own department only; nobody else."""

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

    async def for_viewer(self, viewer: Person, department: str | None) -> ScorecardAnswer:
        """Raises Refused (not HR, not a head of service) or Invalid (no such department)."""
        today = self._clock.today()
        note = None
        if viewer.is_hr_admin:
            wanted = department or viewer.department
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
