"""Questions for the council's other services, as HR lists them in the pack's
``_other_services.md``, and the check that points such a question to its service.

People ask Charter about their pay, their leave, a broken laptop or a job advert as readily as
about one-to-ones. The scope rule (:mod:`domain.answer_scope`) knows the subjects it was told;
this list teaches by example. Under each service's heading HR lists questions people asked
that the service answers (from ``charter report questions``); a question closer in meaning to
one of them than to anything in the framework (a section or one of its listed questions) is
that service's: Charter says so and names the service, instead of guessing an answer.

The file::

    # Questions for other services
    (anything before the first heading is for HR to read)

    ## Payroll and pensions
    - How much does the council pay into my pension?
    - When is pay day this month?
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from domain.pack_text import read_pack_file

OTHER_SERVICES_FILE = "_other_services.md"
# A listed question longer than this is refused by the check (questions are capped there).
MAX_QUESTION_CHARS = 500
# How much closer (in cosine) the nearest listed question of a service must be than the
# framework's nearest. Set on the tuning sets as they meet unseen wording: each set asked of
# the pack without the listed questions that paraphrase its own (qa_evaluation's
# without_paraphrases, 0.75) and with a list built from the other sets' near misses only.
# At 0 the list refused 13 framework questions there (of 986); from 0.06 none, still refusing
# the 7 near misses more (of 349) that 0 did; from 0.08 it starts to miss those.
CLOSER_BY = 0.06

_HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*[-*+]\s+(.*?)\s*$")


@dataclass(frozen=True)
class OtherServices:
    """The services and, for each listed question, which service it belongs to."""

    services: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    owners: tuple[int, ...] = ()  # per question, its service's place in ``services``

    def __len__(self) -> int:
        return len(self.questions)


def parse_other_services(text: str) -> tuple[OtherServices, list[tuple[int, str]]]:
    """The services in an ``_other_services.md`` text, and what is wrong with it as (line,
    message). Nothing of it counts while anything is wrong."""
    services: list[str] = []
    questions: list[str] = []
    owners: list[int] = []
    problems: list[tuple[int, str]] = []
    heading_lines: list[int] = []
    listed: set[int] = set()  # the services with any question line, good or not
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if heading := _HEADING.match(line):
            name = " ".join(heading.group(1).split())
            if not name:
                problems.append((number, "a service's heading has no name"))
            services.append(name)
            heading_lines.append(number)
        elif item := _ITEM.match(raw):
            question = " ".join(item.group(1).split())
            listed.add(len(services) - 1)
            problem = _question_problem(question, bool(services), seen)
            if problem:
                problems.append((number, problem))
                continue
            seen[question.lower()] = number
            questions.append(question)
            owners.append(len(services) - 1)
    problems.extend(
        (line, f"'## {name}' lists no questions")
        for place, (name, line) in enumerate(zip(services, heading_lines, strict=True))
        if place not in listed
    )
    if problems:
        return OtherServices(), sorted(problems)
    return OtherServices(tuple(services), tuple(questions), tuple(owners)), []


def _question_problem(question: str, under_heading: bool, seen: dict[str, int]) -> str | None:
    if not under_heading:
        return "a question before any '## service' heading: put it under its service"
    if not question:
        return "an empty question"
    if len(question) > MAX_QUESTION_CHARS:
        return f"a question longer than {MAX_QUESTION_CHARS} characters"
    if question.lower() in seen:
        return f"the same question is already on line {seen[question.lower()]}"
    return None


def read_other_services(folder: Path) -> tuple[OtherServices, list[tuple[int, str]]]:
    """The other services of the pack in ``folder`` (none without the file), and what is
    wrong with the file."""
    return read_pack_file(folder / OTHER_SERVICES_FILE, parse_other_services, OtherServices)


class ElsewhereCheck:
    """Which other service, if any, a question belongs to, by the meaning of the questions
    HR listed for each (their sentence vectors, one row per question)."""

    def __init__(self, services: OtherServices, vectors: np.ndarray | None) -> None:
        self._services = services
        self._vectors = vectors if vectors is not None and len(services) else None
        self._owners = np.array(services.owners, dtype=np.int64)

    def service_for(self, query: np.ndarray | None, framework_nearest: float) -> str | None:
        """The service whose listed question is nearest to the question (its unit vector
        ``query``), if that is nearer than the framework's nearest (``framework_nearest``,
        the best cosine of a section or a listed question); else None."""
        if query is None or self._vectors is None:
            return None
        cosines = self._vectors @ query
        best = int(np.argmax(cosines))
        if float(cosines[best]) - framework_nearest <= CLOSER_BY:
            return None
        return self._services.services[int(self._owners[best])]
