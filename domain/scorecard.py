"""The balanced scorecard's people-management measures for a department, against targets.

The framework (Appendix 1) offers a balanced scorecard as a tool a team or service can adapt
alongside supervision and APRs. The example table itself did not survive in the text Charter
was built from (the appendix page is blank), so Charter reports the people-management
measures it can compute from what it holds, and names the usual scorecard measures it can't
as "not measured by Charter" instead of inventing figures for them.

Targets are configuration (``CHARTER_SCORECARD_TARGETS``). RAG: green meets the target;
amber is within the measure's amber band of it (``AMBER_BANDS``: 10 percentage points for a
share, 2 days for days lost, 5 points for trigger points); red is further away.

Suppression has one home, ``domain.compliance``: a measure the compliance report has is shown
for a department only when HR's by-department report shows that department's figure
(complementary suppression included), and the headcount likewise. The other measures follow
the same rules over the same departments: hidden when fewer than 5 people are behind the
figure, and when exactly one department's would be hidden, the next smallest's too.

Plain rules, no database: ``services.scorecard`` gathers the figures and says who may see them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.compliance import SUPPRESSED


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


# A measure's figure for one department: (value, detail, hidden). Value None: nothing to measure.
Figure = tuple[float | None, str, bool]


def blank_lines(targets: Mapping[str, float]) -> tuple[ScoreLine, ...]:
    """Every measure with nothing to measure (nobody in post): nothing shown, nothing hidden."""
    return tuple(
        ScoreLine(s, None, targets.get(s.key, s.default_target), None, False, "") for s in SPECS
    )


def score_lines(
    figures: Mapping[str, Figure], targets: Mapping[str, float]
) -> tuple[ScoreLine, ...]:
    """Each measure against its target, rated; a hidden figure shows neither value nor RAG."""
    lines = []
    for spec in SPECS:
        value, detail, hidden = figures[spec.key]
        target = targets.get(spec.key, spec.default_target)
        if hidden:
            lines.append(ScoreLine(spec, None, target, None, True, ""))
            continue
        rag = rag_for(spec, value, target) if value is not None else None
        lines.append(
            ScoreLine(spec, value, target, rag, False, detail if value is not None else "")
        )
    return tuple(lines)
