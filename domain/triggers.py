"""Sickness absence trigger points over a rolling 12 months.

Plain rules, no Bot Framework and no database. Callers pass ``as_of`` so the rules stay testable.

A trigger point is reached at a number of occasions (spells) of sickness absence, or a number of
working days lost, in the rolling window ending on ``as_of``. Reaching one prompts the manager to
consider an attendance review under the policy; the rules never decide for them. Absence related
to a disability is shown separately and, unless HR's policy says otherwise, not counted towards
the triggers (a reasonable adjustment under the Equality Act 2010). The Bradford factor is
information only.

Days in the window: callers record working days lost for the whole spell. A spell that lies
wholly inside the window counts all of them. A spell that straddles the window start (or runs
past ``as_of``) is pro-rated by calendar days: working days lost x calendar days inside the
window / calendar days of the spell, rounded half up. Pass ``days_in_window`` to count exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

SICKNESS = "sickness"

DaysInWindow = Callable[["AbsenceSpell", date, date], int]


@dataclass(frozen=True)
class TriggerPolicy:
    occasions: int = 3
    working_days: int = 8
    window_days: int = 365  # rolling 12 months
    bradford_threshold: int | None = None  # information only
    count_disability_related: bool = False  # HR decides; by default shown but not counted
    long_term_days: int = 28

    def __post_init__(self) -> None:
        for name in ("occasions", "working_days", "window_days", "long_term_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.bradford_threshold is not None and self.bradford_threshold < 1:
            raise ValueError(
                f"bradford_threshold must be at least 1 or None, got {self.bradford_threshold}"
            )


@dataclass(frozen=True)
class AbsenceSpell:
    start: date
    end: date | None  # None while ongoing
    working_days_lost: int  # for the whole spell (so far, if ongoing)
    disability_related: bool = False
    kind: str = SICKNESS  # only sickness counts towards triggers

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"spell ends {self.end} before it starts {self.start}")
        if self.working_days_lost < 0:
            raise ValueError(
                f"working_days_lost must not be negative, got {self.working_days_lost}"
            )

    @property
    def is_sickness(self) -> bool:
        return self.kind.strip().lower() == SICKNESS


@dataclass(frozen=True)
class TriggerStatus:
    occasions: int
    working_days_lost: int
    disability_occasions: int
    disability_days: int
    bradford_factor: int  # spells squared x days, over the spells counted
    occasions_reached: bool
    days_reached: bool
    bradford_reached: bool
    long_term: bool  # a sickness spell in the window ran over policy.long_term_days
    window_start: date
    window_end: date
    policy: TriggerPolicy = field(default_factory=TriggerPolicy)

    @property
    def reached(self) -> bool:
        return self.occasions_reached or self.days_reached

    def describe(self) -> str:
        """The neutral sentence the return-to-work card shows."""
        window = _window_words(self.policy.window_days)
        days = _plural(self.working_days_lost, "working day")
        if self.reached:
            text = (
                f"{ordinal(self.occasions)} occasion in {window} ({days}): trigger point reached"
                " \u2014 consider an attendance review meeting under the policy."
            )
        else:
            thresholds = (
                f"{_plural(self.policy.occasions, 'occasion')} or "
                f"{_plural(self.policy.working_days, 'working day')}"
            )
            counted = (
                f"{_plural(self.occasions, 'occasion')} in {window} ({days})"
                if self.occasions
                else f"No sickness absence counted in {window}"
            )
            text = f"{counted}: below the trigger points ({thresholds})."
        return text + "".join(self._notes())

    def _notes(self) -> list[str]:
        notes = []
        if self.disability_occasions and not self.policy.count_disability_related:
            verb = "is" if self.disability_occasions == 1 else "are"
            notes.append(
                f" {_plural(self.disability_occasions, 'disability-related absence')} "
                f"({_plural(self.disability_days, 'day')}) {verb} not counted towards the triggers."
            )
        if self.long_term:
            notes.append(f" Includes a long-term absence (over {self.policy.long_term_days} days).")
        if self.policy.bradford_threshold is not None:
            notes.append(
                f" Bradford factor {self.bradford_factor} "
                f"(for information; threshold {self.policy.bradford_threshold})."
            )
        return notes


def bradford_factor(spells: int, days: int) -> int:
    """S x S x D: spells squared times days lost."""
    if spells < 0 or days < 0:
        raise ValueError(f"spells and days must not be negative, got {spells} and {days}")
    return spells * spells * days


def trigger_status(
    spells: Sequence[AbsenceSpell],
    *,
    as_of: date,
    policy: TriggerPolicy = TriggerPolicy(),  # frozen, so a shared default is safe
    days_in_window: DaysInWindow | None = None,
) -> TriggerStatus:
    """Occasions and working days lost in the window ending on ``as_of``, against the policy.

    A sickness spell counts if it overlaps the window: it started on or before ``as_of`` and
    ended (or is still ongoing) on or after the window start. Ongoing spells are an occasion.
    """
    window_start = as_of - timedelta(days=policy.window_days - 1)
    count_days = days_in_window or prorated_days_in_window
    in_window = [s for s in spells if s.is_sickness and _overlaps(s, window_start, as_of)]

    counted = [s for s in in_window if policy.count_disability_related or not s.disability_related]
    disability = [s for s in in_window if s.disability_related]
    occasions = len(counted)
    days = sum(count_days(s, window_start, as_of) for s in counted)
    factor = bradford_factor(occasions, days)
    return TriggerStatus(
        occasions=occasions,
        working_days_lost=days,
        disability_occasions=len(disability),
        disability_days=sum(count_days(s, window_start, as_of) for s in disability),
        bradford_factor=factor,
        occasions_reached=occasions >= policy.occasions,
        days_reached=days >= policy.working_days,
        bradford_reached=policy.bradford_threshold is not None
        and factor >= policy.bradford_threshold,
        long_term=any(_calendar_days(s, as_of) > policy.long_term_days for s in in_window),
        window_start=window_start,
        window_end=as_of,
        policy=policy,
    )


def prorated_days_in_window(spell: AbsenceSpell, window_start: date, window_end: date) -> int:
    """The default ``days_in_window``: whole if inside the window, else pro-rated (half up).

    An ongoing spell is taken to run to ``window_end``.
    """
    end = spell.end if spell.end is not None else window_end
    if spell.start >= window_start and end <= window_end:
        return spell.working_days_lost
    overlap = (min(end, window_end) - max(spell.start, window_start)).days + 1
    if overlap <= 0:
        return 0
    total = (end - spell.start).days + 1
    # Round half up in integers: floor(x + 1/2) with x = lost * overlap / total.
    return (2 * spell.working_days_lost * overlap + total) // (2 * total)


def find_overlaps(spells: Sequence[tuple[date, date | None]]) -> list[tuple[int, int]]:
    """Index pairs (i < j) of one person's spells that share at least one day.

    An end of None is open-ended. Overlapping records usually mean a duplicate or a typo.
    """
    pairs = []
    for i, (start_i, end_i) in enumerate(spells):
        for j in range(i + 1, len(spells)):
            start_j, end_j = spells[j]
            if start_i <= (end_j or date.max) and start_j <= (end_i or date.max):
                pairs.append((i, j))
    return pairs


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st, 111th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _overlaps(spell: AbsenceSpell, window_start: date, window_end: date) -> bool:
    return spell.start <= window_end and (spell.end is None or spell.end >= window_start)


def _calendar_days(spell: AbsenceSpell, as_of: date) -> int:
    end = spell.end if spell.end is not None else as_of
    return (end - spell.start).days + 1


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _window_words(window_days: int) -> str:
    if window_days in (365, 366):
        return "12 months"
    return _plural(window_days, "day")
