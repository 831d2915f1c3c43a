"""Subjects that belong to the council's other HR and staff services, not to the performance
framework: pay and pensions, leave, staff benefits, expenses, facilities and IT, incident
reporting, recruitment administration.

A question about one of them shares words and meaning with framework sections all the same
("is there a cycle to work scheme" and the performance *cycle*; "how much does the council
pay into my pension" and what staff can expect from the council), so similarity alone would
answer it. Instead such a question is answered only by a section that says it is about the
subject (domain.answer_text.scope_text: a passing mention in the text, "use the disciplinary
policy instead", is not enough); otherwise Charter says it is not sure and offers the nearest
topics, and the question reaches HR's report of what went unanswered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# Each pattern is one subject, matched against the question as the vocabulary normalised it
# (lower case, abbreviations written out) and against what each section says it is about.
OTHER_SERVICES: tuple[str, ...] = (
    # pay and pensions
    r"pensions?",
    r"salary|salaries|payslips?|pay\s*slips?|payroll",
    r"pay\s+(?:rise|grade|scale|award|increase|review)s?",
    r"(?:claim\w*|paid|pay\w*\s+for|paying)\s+(?:for\s+)?overtime|overtime\s+(?:pay|claims?|rates?)",
    r"toil|time\s+off\s+in\s+lieu|flexi(?:\s*-?\s*time)?|flexitime",
    r"redundancy\s+(?:pay|payments?|package|terms)",
    r"(?:flexible|early)\s+retirement|retirement\s+(?:age|options|pay)",
    r"sick\s+pay|increments?|pay\s+(?:band|point)s?|(?:job\s+)?evaluat\w+\s+(?:of\s+)?(?:my|their|the)"
    r"\s+(?:job|post|role)|re-?graded|regrading|honorarium|acting\s*-?\s*up\s+(?:pay|allowance)s?|council\s+tax",
    r"living\s+wage|lgps|local\s+government\s+pension",
    r"flexi\w*\s+retirement",
    # leave
    r"annual\s+leave|leave\s+(?:entitlement|allowance)|holiday\s+(?:entitlement|allowance|pay)",
    r"(?:book\w*|carry\w*\s+over|buy\w*|sell\w*)\s+(?:\w+\s+){0,2}(?:holidays?|leave)",
    r"(?:maternity|paternity|adoption|shared\s+parental)\s+(?:leave\s+)?"
    r"(?:entitlement|pay|allowance|policy)",
    r"compassionate\s+leave|bereavement\s+leave|jury\s+service",
    r"carers?'?\s+leave|dependants?'?\s+leave|unpaid\s+leave|special\s+leave",
    # sickness administration: the attendance policy's own rules, not the framework's
    r"self[\s-]*certif\w*",
    r"(?:make|making|do|doing|submit\w*|complet\w*|request\w*|arrang\w*|book\w*|get|getting)\s+"
    r"(?:an?\s+)?"
    r"(?:occupational\s+health|oh)\s+referrals?|refer\w*\s+(?:\w+\s+){0,2}to\s+"
    r"(?:occupational\s+health|oh)\b",
    # where people may work from
    r"(?:work\w*|wfh)\s+(?:from\s+)?(?:abroad|overseas)|(?:abroad|overseas)\s+working",
    # staff benefits and schemes
    r"cycle\s+to\s+work|bike\s+scheme",
    r"discounts?|perks?|salary\s+sacrifice|childcare\s+vouchers?",
    r"car\s+(?:shar\w*|lease|parking)|parking",
    r"gym|eye\s+tests?",
    r"long\s+service",
    # expenses
    r"expenses?|mileage|travel\s+claims?",
    # facilities and IT
    r"passwords?|laptops?|printers?|out\s+of\s+office|meeting\s+rooms?|business\s+cards?",
    r"(?:book\w*|reserv\w*)\s+(?:a\s+|the\s+)?(?:\w+\s+)?rooms?|room\s+booking\w*|id\s+badges?|(?:car|door)\s+pass(?:es)?",
    r"locked\s+out|(?:my\s+)?account\s+(?:is\s+|has\s+been\s+)?(?:disabled|locked|suspended)",
    # reporting incidents, checks, grievances
    r"(?:safety|accident)\s+incidents?|incidents?\s+(?:on|in)\s+the\s+(?:\w+\s+)?system",
    r"dbs\s+checks?|grievances?",
    r"dress\s+code|uniforms?",
    r"(?:apply\w*|application\w*)\s+for\s+(?:an?\s+|the\s+)?(?:internal\s+)?(?:jobs?|posts?|vacanc\w+)",
    # employment procedures and relations that are policies of their own
    r"(?:written|final|verbal)\s+warnings?",
    r"disciplinary\s+(?:procedure|process|hearing|panel|stages?|action|policy)|hearing\s+panel",
    r"(?:trade\s+)?unions?|unison|unite|gmb",
    r"probation(?:ary)?(?:\s+period)?|notice\s+period|hand\s+(?:my|in\s+my)\s+notice|resignation",
    r"whistle\s*-?blow\w*",
    r"lone\s+working|dse\s+assessment|workstation\s+assessment",
    r"shortlist\w*|interview(?:ing)?\s+(?:someone|candidates|applicants|people)"
    r"|job\s+applications?|applications\s+for",
    r"(?:professional\s+)?registration\s+fees?|study\s+leave|pay\s+(?:it\s+)?back|compressed\s+hours",
)
_SUBJECTS = tuple(re.compile(rf"\b(?:{pattern})\b") for pattern in OTHER_SERVICES)


def subjects_named(text: str) -> list[int]:
    """Which other services' subjects a (lower-case) text names, by their place in the list."""
    lowered = text.lower()
    return [number for number, subject in enumerate(_SUBJECTS) if subject.search(lowered)]


class ScopeCheck:
    """Per section, which of the other services' subjects it names itself (built once)."""

    def __init__(self, section_texts: Sequence[str]) -> None:
        self._names = np.zeros((len(_SUBJECTS), len(section_texts)), dtype=bool)
        for column, text in enumerate(section_texts):
            for number in subjects_named(text):
                self._names[number, column] = True

    def allowed(self, normalised_question: str) -> np.ndarray | None:
        """Which sections may answer the question: those naming every other-service subject
        it names; None when it names none (every section may)."""
        named = subjects_named(normalised_question)
        if not named:
            return None
        allowed: np.ndarray = np.logical_and.reduce(self._names[named], axis=0)
        return allowed
