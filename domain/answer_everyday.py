"""Everyday words for situations, in the framework's own terms.

People describe what is happening in their team in their own words ("she was in tears in
our catch-up", "he keeps phoning in sick on Mondays", "I haven't had a review in over a
year"); the pack describes the same situations in its terms (wellbeing and stress, repeated
short-term absence and trigger points, the APR). Each rule below names a kind of situation
by the everyday words people use for it, and adds the framework's words for it to the
question, so every ranker (words and meaning) reads both.

The rules are general: each is a family of everyday expressions for one framework concept,
not the wording of any one question. They run on the normalised question (lower case,
abbreviations written out, typos corrected).
"""

from __future__ import annotations

import re

from domain.answer_filler import without_filler

# Workplace words and UK HR shorthand the pack does not use, written as the framework does
# before anything else reads the question ("catch-ups with my boss" are one-to-ones with a
# manager). Whole words, lower case.
_REWRITES: tuple[tuple[str, str], ...] = (
    (r"catch[\s-]*ups?|check[\s-]*ins?|supervision\s+sessions?|1\s*2\s*1s?", "one-to-one"),
    (r"(?:yearly|annual|end[\s-]+of[\s-]+year)\s+(?:review|appraisal)s?|appraisals?", "APR"),
    (r"boss(?:es)?|line\s+manager|lm", "manager"),
    (r"hos", "head of service"),
    (r"lt", "long-term"),
    (r"st", "short-term"),
    (r"kpis?", "performance targets"),
    (r"l\s*&\s*d|cpd", "learning and development"),
    (r"my\s+lot|my\s+guys|my\s+folk|my\s+crew", "my team"),
    (r"newbies?|new\s+joiners?", "new starter"),
)
_REWRITTEN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?<![a-z0-9&])(?:{pattern})(?![a-z0-9&])"), words)
    for pattern, words in _REWRITES
)


def in_framework_words(question: str) -> str:
    """The question (lower case) with workplace words and shorthand the pack does not use
    written as the pack writes them."""
    text = without_filler(question.lower().replace("\u2019", "'"))
    for pattern, words in _REWRITTEN:
        text = pattern.sub(words, text)
    return text


# (everyday expressions, the framework's words for the situation). Patterns are matched as
# whole words against the normalised question.
_RULES: tuple[tuple[str, str], ...] = (
    # repeated short absences: a pattern, not one day off
    (
        r"(?:keeps?|keeping|always|often|frequently|regularly|constantly|repeatedly|again)\b"
        r"[\w\s']{0,30}\b(?:sick|ill|absent|absence|absences|off\s+(?:sick|ill|work)"
        r"|(?:is|are|was|were|been|being|be|go\w*)\s+off(?=\s*(?:[.,;?!]|$|again|a\s+lot))"
        r"|(?:days?|time)\s+off|(?:phon|call|ring)\w*\s+in|rang\s+in)\b"
        r"|(?:is|are|was|were|been)\s+(?:always|often|constantly|regularly|frequently)\s+off\b"
        r"|(?:mondays?|fridays?)\b[\w\s']{0,20}\b(?:sick|off|ill)\b"
        r"|\b(?:sick|off|ill)\b[\w\s']{0,25}\b(?:mondays?|fridays?)"
        r"|lots\s+of\s+(?:odd\s+|single\s+|short\s+)?(?:days?|time)\s+off"
        r"|(?:odd|single|random|occasional|short)\s+days?\s+off|sickies|sick\s+days"
        r"|pattern\s+of\s+(?:sickness|absence)|(?:how\s+many|number\s+of)\s+(?:sick|absences)",
        "repeated short-term absence pattern trigger points attendance",
    ),
    # long absences
    (
        r"(?:off|absent|signed\s+off)\b[\w\s']{0,20}\b(?:weeks|months|long\s+time|ages)"
        r"|fit\s+notes?|sick\s+notes?|doctor'?s\s+notes?|signed\s+off|operation|surgery"
        r"|hospital|cancer|chemo\w*|long\s+term\s+(?:sick|ill)",
        "long-term sickness absence occupational health keeping in touch",
    ),
    # distress, emotion and personal difficulty
    (
        r"tears|crying|cried|cry|upset|emotional|breakdown|broke\s+down|not\s+coping"
        r"|struggling|anxious|anxiety|panic\w*|depress\w*|low\s+mood|down\s+lately"
        r"|not\s+(?:themselves|himself|herself)|withdrawn|overwhelm\w*|stressed|worried",
        "wellbeing stress mental health support",
    ),
    (
        r"bereave\w*|died|death|passed\s+away|funeral|divorce|separat(?:ed|ion)"
        r"|(?:have|has|just|recently)\s+separate\w*|split\s+up|caring\s+for"
        r"|carer|family\s+(?:problems|issues|circumstances)|personal\s+(?:problems|issues|"
        r"circumstances|life)|home\s+life|going\s+through\s+a\s+lot",
        "personal circumstances wellbeing support",
    ),
    # health and disability affecting work
    (
        r"disabilit\w+|disabled\s+(?:person|people|colleague|employee|member|worker|staff)"
        r"|(?:medical|health|long\s+term)\s+conditions?|diagnos\w+|dyslexi\w*|adhd"
        r"|autis\w+|menopaus\w*|reasonable\s+adjustments?|medication|chronic",
        "health disability reasonable adjustments occupational health",
    ),
    # poor work
    (
        r"sloppy|careless|mistakes|errors|not\s+up\s+to\s+scratch|slack\w*|lazy|coasting"
        r"|missing\s+deadlines|misses\s+deadlines|missed\s+deadlines|late\s+with|behind\s+with"
        r"|quality\s+of\s+(?:their|his|her)\s+work|(?:work|standard)\s+(?:has\s+)?(?:slipped|"
        r"dropped|gone\s+downhill)|not\s+doing\s+(?:their|his|her)\s+job|can'?t\s+do\s+the\s+job"
        r"|isn'?t\s+improving|not\s+improving|no\s+improvement",
        "under-performance capability standards",
    ),
    # unkind treatment at work
    (
        r"picked\s+on|picking\s+on|shout\w*|yell\w*|belittl\w*|humiliat\w*|intimidat\w*"
        r"|excluded|left\s+out|ganging\s+up|nasty|rude|undermin\w*|put\s+downs?|banter"
        r"|comments\s+about|jokes\s+about|inappropriate|unwanted|threaten\w*|victimis\w*"
        r"|racis\w+|sexis\w+|homophob\w*|discriminat\w*|bully\w*|bullie\w*|harass\w*",
        "bullying harassment dignity at work",
    ),
    # praise and thanks
    (
        r"well\s+done|pat\s+on\s+the\s+back|shout\s*outs?|celebrat\w*|great\s+job|good\s+job"
        r"|went\s+above|above\s+and\s+beyond|reward\w*|smashed|nailed|hit\s+(?:all\s+)?"
        r"(?:their|our|the)\s+targets|exceeded",
        "recognising celebrating good performance",
    ),
    # keeping people and their careers
    (
        r"leav(?:e|ing)\s+(?:the\s+council|us|the\s+team)|resign\w*|quit\w*|hand(?:ed|ing)?"
        r"\s+in\s+(?:their|his|her)\s+notice|headhunt\w*|poach\w*|another\s+job|job\s+"
        r"elsewhere|lose\s+(?:them|him|her)|losing\s+(?:them|him|her|good)|retain\w*|retention",
        "keeping good people retention talent",
    ),
    (
        r"promot\w+|career|progress(?:ion)?|step\s+up|next\s+level|ambitio\w+|aspir\w+"
        r"|grow(?:th)?\s+(?:in|their)|secondment|acting\s+up",
        "learning development talent career",
    ),
    # new people
    (
        r"new\s+(?:starter|starters|recruit|recruits|member|joiner|person|employee)s?"
        r"|first\s+(?:day|week)|just\s+joined|starting\s+(?:on|next|monday)|onboard\w*",
        "induction new starter expectations",
    ),
    # reviews not happening
    (
        r"(?:haven'?t|hasn'?t|not|never|no)\s+(?:had|been\s+given|got)?\s*(?:an?\s+|my\s+)?"
        r"(?:review|appraisal|apr|annual\s+performance\s+review)",
        "annual performance review apr",
    ),
    (
        r"(?:cancel\w*|keeps?\s+moving|postpon\w*|never\s+(?:has|have)\s+time\s+for)\b"
        r"[\w\s']{0,20}\b(?:one\s+to\s+ones?|meetings?|catch\s*ups?|supervisions?)",
        "one-to-ones not happening",
    ),
    # where work fits
    (
        r"bigger\s+picture|point\s+of\s+(?:my|our|their)\s+(?:job|work)|why\s+(?:my|our|their)"
        r"\s+(?:job|work)\s+matters|make\s+a\s+difference|connects?\s+to|contribut\w+",
        "golden thread where your work fits council plans",
    ),
    # working apart
    (
        r"hybrid|office\s+days|different\s+(?:sites|offices|locations)|never\s+see\s+(?:them|"
        r"my\s+team)|remote\s+team|spread\s+out|teams\s+calls?|video\s+calls?",
        "smarter working team in different places",
    ),
    # morale
    (
        r"morale|motivat\w*|fed\s+up|demotivat\w*|disengag\w*|unhappy|low\s+spirits",
        "engagement motivation recognition team",
    ),
)
# Between the question and the words added to it (no ranker reads it as a word).
SEPARATOR = " | "
_COMPILED: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])"), words) for pattern, words in _RULES
)


def framework_words(normalised: str) -> str:
    """The framework's words for the situations the (normalised) question describes in
    everyday words; empty when it describes none."""
    found = [words for pattern, words in _COMPILED if pattern.search(normalised)]
    return " ".join(dict.fromkeys(found))


def with_framework_words(normalised: str) -> str:
    """The question followed by the framework's words for any situation it describes."""
    extra = framework_words(normalised)
    return f"{normalised}{SEPARATOR}{extra}" if extra else normalised


def as_asked(normalised: str) -> str:
    """The question without the framework's words added to it."""
    return normalised.split(SEPARATOR, 1)[0]
