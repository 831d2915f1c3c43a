"""What the answer index reads from a section and a question: the section's terms, its
headings, the text its meaning is embedded from, and whether a section says what something
is or a question asks it."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from itertools import pairwise

import numpy as np

from domain.content_pack import Section
from domain.hr_vocabulary import analyse

# How often each part of a section counts towards its terms.
TITLE_WEIGHT = 1
TOPIC_TITLE_WEIGHT = 1
TAG_WEIGHT = 1
BODY_WEIGHT = 1
# How much of a section's body its embedding reads, after its titles and tags.
EMBEDDED_BODY_WORDS = 40
BARE_NAME_WORDS = 3  # "council values", "the employment deal"


def section_text(section: Section) -> str:
    """Everything a section says, for the vocabulary (typo correction) and its terms."""
    return " ".join((section.title, section.topic_title, " ".join(section.tags), section.body))


def section_terms(section: Section) -> list[str]:
    return (
        analyse(section.title) * TITLE_WEIGHT
        + analyse(section.topic_title) * TOPIC_TITLE_WEIGHT
        + analyse(" ".join(section.tags)) * TAG_WEIGHT
        + analyse(section.body) * BODY_WEIGHT
        + analyse(" ".join(section.questions))
    )


_DEFINING_TITLE = re.compile(
    r"^(?:what\s+(?:the|a|an|our)\s+.+\s+(?:is|are|means)(?:\s+for)?|about\s+the\s+.+|"
    r"the\s+(?:council's\s+)?(?:\w+\s+)?(?:four|five|six|\w+)\s+.+)$",
    re.IGNORECASE,
)
_DEFINING_QUESTION = re.compile(
    r"^(?:what(?:'s|\s+is|\s+are)\b|whats\b|explain\b|tell\s+me\s+about\b|"
    r"what\s+does\s+.+\s+mean\b|what\s+do\s+(?:we|you)\s+mean\b|"
    r"(?:could|can)\s+you\s+(?:explain|remind\s+me)\b|remind\s+me\b)"
)


def defines(section: Section) -> bool:
    """Whether a section says what something is (its title: "What the APR is", "About the
    Manager's Charter", "The five leadership themes") rather than how to use it."""
    return bool(_DEFINING_TITLE.match(section.title.replace("\u2019", "'")))


def asks_what_it_is(normalised: str, terms: Sequence[str]) -> bool:
    """Whether a (normalised) question asks what something is: "what is the golden thread",
    "explain the employment deal", or a bare name such as "council values"."""
    bare_name = 0 < len(terms) <= 2 and len(normalised.split()) <= BARE_NAME_WORDS
    return bool(_DEFINING_QUESTION.search(normalised)) or bare_name


# What a question asks of its subject, beyond what it is: why it is done, when, or how to get
# ready for it. A section whose title says the same ("Why hold a return to work
# conversation", "When to use a balanced scorecard", "Preparing for your APR") is the one its
# siblings are not.
_ASKING: dict[str, re.Pattern[str]] = {
    "why": re.compile(
        r"\b(?:why|what'?s\s+the\s+point|is\s+there\s+(?:really\s+)?(?:a|any)\s+point|"
        r"bother(?:ing)?\s+with|waste\s+of\s+time|(?:does|do)\s+(?:it|this|that|they)\s+"
        r"(?:really\s+|even\s+)?matter|what\s+(?:is|are)\s+[^?,.]{1,40}\s+for(?=\s*(?:[?,.]|$))|purpose)\b"
    ),
    "when": re.compile(
        r"\b(?:when\s+(?:should|do|must|can|would|to)\b|how\s+soon|too\s+late|"
        r"how\s+long\s+(?:after|before)|how\s+quickly)"
    ),
    "before": re.compile(
        r"\b(?:beforehand|in\s+advance|ahead\s+of|prepar\w*|prep|get(?:ting)?\s+ready|"
        r"before\s+(?:my|the|our|your|their|his|her|a|an|i|we|sitting|holding|doing|setting|"
        r"meeting|having))\b"
    ),
}
_TITLE_ASKS: dict[str, re.Pattern[str]] = {
    "why": re.compile(r"^why\b|\bis\s+for$", re.IGNORECASE),
    "when": re.compile(r"^when\s+to\b", re.IGNORECASE),
    "before": re.compile(r"^(?:preparing|getting\s+ready)\b|\bbefore\b", re.IGNORECASE),
}


def asked(normalised: str) -> list[str]:
    """What a (normalised) question asks beyond what something is: "why", "when", "before"
    (how to prepare), any of them or none ("is it too late to do the return to work" asks
    when; "what should I look at beforehand" asks before)."""
    return [kind for kind, pattern in _ASKING.items() if pattern.search(normalised)]


def title_asks(title: str, kind: str) -> bool:
    """Whether a section's title answers that kind of asking ("Why managing attendance
    matters", "What a one-to-one is for", "When to hold the return to work conversation",
    "Getting ready for your one-to-one", "What to review before setting targets")."""
    return bool(_TITLE_ASKS[kind].search(title.replace("\u2019", "'").strip()))


def titles_asking(titles: Sequence[str]) -> dict[str, np.ndarray]:
    """Per kind of asking, 1 for each title that answers it and 0 for the rest."""
    return {
        kind: np.array([title_asks(t, kind) for t in titles], dtype=np.float32) for kind in _ASKING
    }


def term_pairs(terms: Sequence[str]) -> list[str]:
    """Neighbouring terms joined in order, so "expect from the council" and "the council
    expects" stay apart."""
    return [f"{first}_{second}" for first, second in pairwise(terms)]


def scope_text(section: Section, topic_tags: Collection[str]) -> str:
    """What a section itself says it is about: its title, its topic's, its own tags (not those
    it takes from its topic: "probation" on the recruitment topic does not make every section
    in it about probation) and its listed questions."""
    own_tags = " ".join(t for t in section.tags if t not in topic_tags)
    return f"{section.title} {section.topic_title} {own_tags} {' '.join(section.questions)}"


def heading_terms(section: Section) -> list[str]:
    """What a section says it is about: its title and tags (a second, short field), plus the
    title's word pairs."""
    title = analyse(section.title)
    return title + analyse(" ".join(section.tags)) + term_pairs(title)


def embedding_text(section: Section) -> str:
    """What a section's meaning is taken from: its titles, tags and opening words."""
    opening = " ".join(section.body.split()[:EMBEDDED_BODY_WORDS])
    return f"{section.title}. {section.topic_title}. {', '.join(section.tags)}. {opening}"


# A section's body is also embedded in passages of up to this many words (whole sentences),
# each after the section's title, so the encoder reads all of it, not only its opening.
PASSAGE_WORDS = 40
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_BODY_SENTENCE = re.compile(r"(?<=[.?!])\s+|\n\s*\n")


def passage_texts(section: Section) -> list[str]:
    """The section's body in passages of whole sentences (up to PASSAGE_WORDS words each,
    a longer sentence on its own), each headed by the section's title; the title alone for a
    section with no body."""
    body = _LINK_TARGET.sub("]", section.body).replace("**", "")
    passages: list[list[str]] = [[]]
    for sentence in _BODY_SENTENCE.split(body):
        words_ = sentence.split()
        if passages[-1] and len(passages[-1]) + len(words_) > PASSAGE_WORDS:
            passages.append([])
        passages[-1].extend(words_)
    return [f"{section.title}. {' '.join(p)}" for p in passages if p] or [section.title]


# A question longer than this many words is a story with a question in it.
STORY_WORDS = 25
_SENTENCE = re.compile(r"(?<=[.?!])\s+")


def asks_first(question: str) -> str:
    """A long question with its asking sentences first: people tell the story, then ask
    ("... I want to set something up properly. What should the sessions focus on?"), and the
    encoder reads only a question's first word pieces. A short question is unchanged."""
    if len(question.split()) <= STORY_WORDS:
        return question
    sentences = _SENTENCE.split(question.strip())
    asking = [s for s in sentences if s.endswith("?")]
    if not asking or len(asking) == len(sentences):
        return question
    telling = [s for s in sentences if not s.endswith("?")]
    return " ".join([*asking, *telling])
