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

A subject is a topic word in the other service's sense ("my pay went down", "refused my annual
leave"); FRAMEWORK_SENSES lists the phrases that use such a word in the framework's own sense
("what do I get apart from my pay", "I was on annual leave when she came back"), which are read
past before the subjects are looked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_NOT = r"(?:(?:is|was|will|does|has)\s+not|isn'?t|wasn'?t|won'?t|doesn'?t|hasn'?t)"

# Each pattern is one subject, matched against the question as the vocabulary normalised it
# (lower case, abbreviations written out) and against what each section says it is about.
OTHER_SERVICES: tuple[str, ...] = (
    # pay and pensions
    r"pensions?",
    r"salary|salaries|payslips?|pay\s*slips?|payroll",
    r"pay\s+(?:rise|grade|scale|award|increase|review)s?",
    r"(?:paid|pay\w*|claim\w*|record\w*|log\w*|approv\w*|authori[sz]\w*)\s+(?:[\w']+\s+){0,3}overtime"
    r"|overtime\s+(?:[\w']+\s+){0,3}(?:paid|pay|claims?|rates?|forms?)",
    r"toil|time\s+off\s+in\s+lieu|flexi(?:\s*-?\s*time)?|flexitime",
    r"redundancy\s+(?:pay|payments?|package|terms|scheme)|(?:voluntary|compulsory)\s+redundanc\w*",
    r"(?:flexible|early)\s+retirement|retirement\s+(?:age|options|pay)",
    r"sick\s+pay|increments?|pay\s+(?:band|point)s?|(?:job\s+)?evaluat\w+\s+(?:of\s+)?(?:my|their|the)"
    r"\s+(?:job|post|role)|re-?graded|regrading|honorarium|acting\s*-?\s*up\s+(?:pay|allowance)s?|council\s+tax",
    r"living\s+wage|lgps|local\s+government\s+pension",
    r"flexi\w*\s+retirement",
    r"avcs?|additional\s+voluntary\s+contributions?|death\s+in\s+service",
    r"bonus(?:es)?|performance[\s-]*related\s+pay|merit\s+pay",
    r"tax\s+codes?|p60|p45|p11d|national\s+insurance",
    r"pay\s*days?|(?:first|next|last)\s+pay\b|(?:over|under)\s*paid|(?:over|under)\s*payments?",
    # one's own pay is payroll's ("my pay went down"); see FRAMEWORK_SENSES for the deal's
    r"(?:my|our)\s+(?:pay|wages?)\b(?!\s+and\s+reward)",
    r"time\s*-?sheets?|clock\w*\s+(?:in|out)\b(?!\s+(?:late|early))",
    r"job\s+evaluat\w*|(?:job|post|role)\s+(?:re-?)?evaluated",
    r"(?:meal|subsistence|travel|standby|call[\s-]*out|shift|essential\s+user)\s+allowances?|subsistence",
    # leave
    r"annual\s+leave|leave\s+(?:entitlement|allowance)|holiday\s+(?:entitlement|allowance|pay)",
    r"(?:book\w*|carry\w*\s+over|buy\w*|sell\w*)\s+(?:\w+\s+){0,2}(?:holidays?|leave)",
    r"(?:maternity|paternity|adoption|shared\s+parental)\s+(?:leave|pay|allowance|policy)"
    r"|keeping\s+in\s+touch\s+days|kit\s+days",
    r"compassionate\s+leave|bereavement\s+leave|jury\s+service",
    r"carers?'?\s+leave|dependants?'?\s+leave|unpaid\s+leave|special\s+leave|career\s+breaks?|sabbaticals?",
    r"(?:holiday|leave)\s+requests?|(?:cancel|approv|refus|reject|authori[sz])\w*\s+(?:\w+\s+){0,3}"
    r"(?:holidays?|leave)\b",
    # time off for an appointment or an event; time off sick is the framework's
    r"time\s+off\s+(?:for|to)\b(?!\s+(?:be\s+)?(?:sick|ill))|birthday\s+off",
    r"(?:use|take|using|taking)\s+(?:up\s+)?(?:my|our|their|his|her)\s+(?:own\s+)?(?:annual\s+)?(?:holiday|leave)"
    r"|extra\s+(?:days?\s+)?(?:leave|holiday)",
    # sickness administration: the attendance policy's own rules, not the framework's
    r"self[\s-]*certif\w*",
    r"(?:make|making|do|doing|submit\w*|complet\w*|request\w*|arrang\w*|book\w*|get|getting)\s+"
    r"(?:an?\s+)?"
    r"(?:occupational\s+health|oh)\s+referrals?|refer\w*\s+(?:\w+\s+){0,2}to\s+"
    r"(?:occupational\s+health|oh)\b|appointments?\s+(?:with|at)\s+(?:occupational\s+health|oh)\b",
    # where people may work from
    r"(?:work\w*|wfh)\s+(?:from\s+)?(?:abroad|overseas)|(?:abroad|overseas)\s+working",
    # staff benefits and schemes
    r"cycle\s*(?:to|2)\s*work|bike\s+scheme",
    r"discounts?|perks?|salary\s+sacrifice|childcare\s+vouchers?",
    r"car\s+(?:shar\w*|lease|parking)|parking|(?:business|car)\s+insurance",
    r"gym|eye\s+tests?|flu\s+(?:jabs?|vaccin\w*)",
    r"long\s+service",
    # expenses
    r"expenses?|mileage|travel\s+claims?",
    # facilities and IT
    r"passwords?|laptops?|printers?|out\s+of\s+office|meeting\s+rooms?|business\s+cards?",
    r"(?:book\w*|reserv\w*)\s+(?:a\s+|the\s+)?(?:\w+\s+)?rooms?|room\s+booking\w*|id\s+badges?|(?:car|door)\s+pass(?:es)?",
    r"locked\s+out|(?:my\s+)?account\s+(?:is\s+|has\s+been\s+)?(?:disabled|locked|suspended)",
    r"shared\s+drives?|mfa|multi[\s-]*factor|authenticator\s+app|wi-?fi|vpn",
    r"(?:network|it|e-?mail|computer|windows)\s+(?:accounts?|logins?|log-?ons?)"
    r"|self[\s-]*service\s+(?:portal|system|menu|app)",
    # equipment or a system at fault
    r"(?:camera|mic|microphone|headset|webcam|laptop|phone|monitor|keyboard|internet|system|app|form)s?"
    rf"\s+(?:{_NOT}|keeps?|has\s+stopped)\s+"
    r"(?:working|connect\w*|load\w*|sav\w*|open\w*|crash\w*|freez\w*)",
    r"(?:change|update|amend|correct)\w*\s+(?:\w+\s+){0,3}(?:on|in)\s+(?:the\s+)?(?:hr|payroll)\s+system"
    r"|emergency\s+contacts?|(?:change|update)\w*\s+(?:my|their|his|her)\s+(?:name|address|bank\s+details)",
    r"hot\s*-?desk\w*|desk\s+booking|heating|air\s*-?con\w*|lockers?|canteen|lost\s+property",
    # reporting incidents, checks, grievances
    r"(?:safety|accident)\s+incidents?|incidents?\s+(?:on|in)\s+the\s+(?:\w+\s+)?system",
    r"dbs(?:\s+checks?)?|grievances?|right\s+to\s+work\s+(?:checks?|documents?|status)",
    r"contract\s+of\s+employment|employment\s+contract|contracted\s+hours",
    r"second\s+job|secondary\s+employment|gifts?\s+(?:from|and\s+hospitality)|hospitality\s+register",
    r"(?:write|give|provide|writing|giving|request\w*)\s+(?:a|an|the)\s+(?:\w+\s+)?references?\b",
    r"dress\s+code|uniforms?",
    r"(?:apply\w*|application\w*)\s+for\s+(?:an?\s+|the\s+)?(?:internal\s+)?(?:jobs?|posts?|vacanc\w+)",
    # employment procedures and relations that are policies of their own
    r"(?:written|final|verbal)\s+warnings?",
    r"disciplinary\s+(?:procedure|process|hearing|panel|stages?|action|policy|investigation)"
    r"|hearing\s+panel|suspend\w*\s+(?:him|her|them|someone|me|an?\s+(?:\w+\s+)?(?:employee|officer|worker))"
    r"|(?:be|been|being|get|got)\s+suspended|suspension\s+(?:from\s+work|on\s+full\s+pay|meeting)",
    r"(?:trade\s+)?unions?|unison|unite|gmb",
    r"probation(?:ary)?(?:\s+period)?|notice\s+period|hand\s+(?:my|in\s+my)\s+notice|resignation"
    r"|(?:how\s+(?:do|can|should|would)\s+i|i\s+(?:want|need|have|am\s+going)\s+to)\s+resign\b",
    r"whistle\s*-?blow\w*",
    r"lone\s+working|dse\s+assessment|workstation\s+assessment",
    r"shortlist\w*|interview(?:ing)?\s+(?:someone|candidates|applicants|people)"
    r"|job\s+applications?|applications\s+for",
    r"(?:professional\s+)?registration\s+fees?|study\s+leave|pay\s+(?:it\s+)?back|compressed\s+hours",
    r"(?:job\s+)?adverts?\b|advertis\w+\s+(?:a|the|my|our)\s+(?:\w+\s+)?(?:job|post|role|vacanc\w+)",
    # booking and paying for training courses (what to learn is the framework's)
    r"course\s+fees?|tuition\s+fees?|places?\s+on\s+(?:a|the)\s+(?:\w+\s+){0,2}(?:course|training|workshop)"
    r"|(?<!mental\shealth\s)first\s+aid\s+(?:course|training)|fire\s+(?:warden|marshal)s?"
    r"|e-?learning\s+certificates?",
)
_SUBJECTS = tuple(re.compile(rf"\b(?:{pattern})\b") for pattern in OTHER_SERVICES)

# Phrases in which a subject's word is used in the framework's own sense; they are read past
# before the subjects are looked for. The employment deal is what staff get besides their pay,
# and in return for it; a manager away on leave still owes a return-to-work conversation; a team
# whose work is payroll has succession and skills questions like any other.
FRAMEWORK_SENSES: tuple[str, ...] = (
    r"(?:besides|apart\s+from|other\s+than|as\s+well\s+as|on\s+top\s+of|in\s+return\s+for)\s+"
    r"(?:my|our|their|the)?\s*(?:pay|salary|salaries|wages?)",
    r"(?:was|were|am|are|is|be|been|being|i'm|went|go|going)\s+(?:off\s+|away\s+)?on\s+"
    r"(?:annual\s+)?(?:leave|holiday)",
    r"(?:run|runs|running|process|processes|processing)\s+(?:the\s+)?payroll",
    r"(?:on|after|from|during)\s+(?:their\s+|her\s+|his\s+|my\s+)?"
    r"(?:maternity|paternity|adoption|shared\s+parental)\s+leave",
)
_SENSES = re.compile("|".join(rf"\b(?:{pattern})\b" for pattern in FRAMEWORK_SENSES))

# Framework subjects that stay the framework's whatever else a question touches: someone
# bullied about their pay, time off for their mental health, motivating a team whose pay is
# frozen, whether maternity leave counts towards trigger points, coming back on fewer hours.
# (Not objectives, APRs or wellbeing: "a bonus for hitting my objectives", "a pay rise after a
# great APR" and "gym membership as part of staff wellbeing" are still payroll's and benefits'
# questions.)
FRAMEWORK_SUBJECTS = re.compile(
    r"\b(?:trigger\s+points?|bradford|return[\s-]+to[\s-]+work|mental\s+health|stress\w*"
    r"|bull(?:y|ied|ying)|harass\w*|motivat\w*|phased\s+return"
    # a return to work in everyday words: "come back on reduced hours after long-term sickness"
    r"|(?:come|coming|came|get\w*|go\w*)\s+back\s+(?:[\w']+\s+){0,4}after\s+(?:[\w'-]+\s+){0,3}"
    r"(?:sick\w*|ill\w*|absence|surgery|an\s+operation))\b"
)


def names_framework_subject(text: str) -> bool:
    """Whether a question is about one of FRAMEWORK_SUBJECTS (and so the framework's, whatever
    other service's subject it also names)."""
    return FRAMEWORK_SUBJECTS.search(text.lower()) is not None


def framework_by_its_words(text: str) -> bool:
    """Whether a question's own words make it the framework's: one of FRAMEWORK_SUBJECTS, or a
    pay or leave word in one of FRAMEWORK_SENSES ("is on paternity leave, do I still do their
    APR"). Such a question is not pointed to another service for sounding like theirs."""
    lowered = text.lower()
    return FRAMEWORK_SUBJECTS.search(lowered) is not None or _SENSES.search(lowered) is not None


def subjects_named(text: str) -> list[int]:
    """Which other services' subjects a (lower-case) text names, by their place in the list,
    once any framework sense of their words is read past."""
    lowered = _SENSES.sub(" ", text.lower())
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
        if names_framework_subject(normalised_question):
            return None
        named = subjects_named(normalised_question)
        if not named:
            return None
        allowed: np.ndarray = np.logical_and.reduce(self._names[named], axis=0)
        return allowed
