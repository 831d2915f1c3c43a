"""The demo's data files (``services/demo/data/``) read into typed records.

The files are written for an HR admin to read and edit: the people as an org file
(``people.csv``, the shape ``charter import org`` reads), the rest as YAML with each record under
the employee id it belongs to. Dates are offsets from the day the demo is seeded, so the data
stays believable whenever it is loaded. A field name the records below don't know is an error,
never silently ignored. Each file is read once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

_DATA = files(__package__ or "services.demo") / "data"
_EMPLOYEE_ID = re.compile(r"D(\d+)")


@dataclass(frozen=True)
class Action:
    action: str
    owner: str  # "employee" or "manager"
    due_in_days: int  # after the meeting
    done: bool  # by the next one-to-one (or a few days after the latest)


@dataclass(frozen=True)
class OneToOne:
    days_ago: int
    shared_notes: str
    managing: str = ""
    developing: str = ""
    supporting: str = ""
    wellbeing: str = ""
    private_note: str = ""
    wellbeing_concern: bool = False
    actions: tuple[Action, ...] = ()

    @property
    def areas(self) -> tuple[str, str, str, str]:
        """The notes in the order of ``domain.records.AREA_COLUMNS``."""
        return (self.managing, self.developing, self.supporting, self.wellbeing)


@dataclass(frozen=True)
class Update:
    percent: int
    rag: str
    comment: str


@dataclass(frozen=True)
class Objective:
    kind: str  # last, this, draft, proposed or probation (objectives.yaml says what each means)
    title: str
    measure: str
    priority: str  # a key of priorities()
    plan: str | None = None  # a key of plans()
    updates: tuple[Update, ...] = ()
    outcome: str = ""  # for "last": the APR's verdict
    review: str = ""  # for "last": the APR's comment on it


@dataclass(frozen=True)
class Plan:
    title: str  # may hold {financial_year}, e.g. 2026/27
    department: str


@dataclass(frozen=True)
class Apr:
    held_days_after_window_opens: int
    overall: str
    acknowledged: bool
    development: str = ""
    learning: str = ""
    leadership_themes: tuple[str, ...] = ()
    response: str = ""

    @property
    def employee_response(self) -> str | None:
        """None: not acknowledged; "": acknowledged without a comment; else the comment."""
        return self.response if self.acknowledged else None


@dataclass(frozen=True)
class Rtw:
    held_working_days_after_return: int  # 0: the day the conversation fell due
    outcome: str
    notes: str
    support: tuple[str, ...] = ()


@dataclass(frozen=True)
class Absence:
    number: int  # the demo number: D017 → 17
    started_days_ago: int | None  # None: back today, the conversation due
    working_days: int | None  # None: still off
    type: str
    reason: str | None
    return_to_work: Rtw | None


def demo_number(employee_id: str) -> int:
    """``D017`` → 17, the number the seeders know a demo person by."""
    match = _EMPLOYEE_ID.fullmatch(employee_id)
    if match is None:
        raise ValueError(f"demo data: {employee_id!r} is not a demo employee id like D017")
    return int(match.group(1))


def _yaml(name: str) -> Any:
    return yaml.safe_load(_DATA.joinpath(name).read_text(encoding="utf-8"))


def _by_person(entries: Mapping[str, Any]) -> dict[int, Any]:
    return {demo_number(employee_id): value for employee_id, value in entries.items()}


@cache
def people_rows() -> tuple[Mapping[str, str], ...]:
    """``people.csv``'s rows, every column as text."""
    text = _DATA.joinpath("people.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


@cache
def team_managers() -> tuple[int, ...]:
    return tuple(demo_number(employee_id) for employee_id in _yaml("teams.yaml")["team_managers"])


def _one_to_one(entry: Mapping[str, Any]) -> OneToOne:
    actions = tuple(Action(**action) for action in entry.get("actions", ()))
    return OneToOne(**{**entry, "actions": actions})


@cache
def one_to_ones() -> Mapping[int, tuple[OneToOne, ...]]:
    """Each report's one-to-ones, by demo number, in the file's order."""
    people = _by_person(_yaml("one_to_ones.yaml"))
    return {number: tuple(map(_one_to_one, meetings)) for number, meetings in people.items()}


def _objective(entry: Mapping[str, Any]) -> Objective:
    updates = tuple(Update(**update) for update in entry.get("updates", ()))
    return Objective(**{**entry, "updates": updates})


@cache
def _objectives_file() -> Any:
    return _yaml("objectives.yaml")


@cache
def objectives() -> Mapping[int, tuple[Objective, ...]]:
    """Each person's objectives, by demo number, in the file's order."""
    people = _by_person(_objectives_file()["objectives"])
    return {number: tuple(map(_objective, entries)) for number, entries in people.items()}


def priorities() -> Mapping[str, str]:
    """The priority keys objectives use → the council priorities' titles."""
    return dict(_objectives_file()["priorities"])


def plans() -> Mapping[str, Plan]:
    """The plan keys objectives use → the service plans the demo adds, in the file's order."""
    return {key: Plan(**plan) for key, plan in _objectives_file()["plans"].items()}


@cache
def aprs() -> Mapping[int, Apr]:
    """The APR held in the last closed window, by demo number."""
    return {
        number: Apr(**{**entry, "leadership_themes": tuple(entry.get("leadership_themes", ()))})
        for number, entry in _by_person(_yaml("aprs.yaml")).items()
    }


def _rtw(entry: Mapping[str, Any] | None) -> Rtw | None:
    if entry is None:
        return None
    return Rtw(**{**entry, "support": tuple(entry.get("support", ()))})


def _absence(
    employee: str,
    started_days_ago: int | None = None,
    working_days: int | None = None,
    type: str = "sickness",  # the file's word for the absence type
    reason: str | None = None,
    return_to_work: Mapping[str, Any] | None = None,
) -> Absence:
    return Absence(
        demo_number(employee),
        started_days_ago,
        working_days,
        type,
        reason,
        _rtw(return_to_work),
    )


@cache
def absences() -> tuple[Absence, ...]:
    """The absences, in the file's order."""
    return tuple(_absence(**entry) for entry in _yaml("absences.yaml"))
