"""Conversational filler taken out of a question before anything ranks it.

People write to Charter as they would to a colleague: "Hi, quick question that's probably a
bit daft...", "I was wondering if you could tell me...", "honestly", "long story short". None
of it says what the question is about, yet the sentence encoder reads it as meaning (and
reads only a question's first word pieces, so a greeting pushes the question's end out) and
BM25 can match its words ("question", "daft", "wonder") to a section by chance. The patterns
are general English conversation, not the wording of any one question.
"""

from __future__ import annotations

import re

# Whole phrases, matched as whole words in the lower-case question. Order matters: longer
# phrases first.
_FILLER: tuple[str, ...] = (
    # greetings and sign-offs
    r"(?:hi|hello|hiya|hey|morning|good\s+(?:morning|afternoon|evening)|afternoon)"
    r"(?:\s+there|\s+all|\s+charter)?\s*[,.!]+",
    r"^(?:hi|hello|hiya|hey)\b",
    r"(?:many\s+)?thanks(?:\s+(?:in\s+advance|very\s+much|a\s+lot))?\s*[.!]*$",
    r"thank\s+you(?:\s+(?:in\s+advance|very\s+much))?\s*[.!]*$",
    r"cheers\s*[.!]*$",
    r"any\s+(?:help|advice|pointers)\s+(?:would\s+be\s+)?(?:much\s+|gratefully\s+|really\s+)?"
    r"(?:appreciated|welcome)\s*[.!]*",
    # throat-clearing
    r"(?:quick|silly|daft|stupid|odd|random|simple|small)\s+question"
    r"(?:\s+(?:that'?s|which\s+is)\s+(?:probably\s+)?(?:a\s+bit\s+)?(?:daft|silly|stupid|obvious))?"
    r"\s*[,.:!-]*",
    r"(?:this\s+is\s+)?(?:probably\s+)?(?:a\s+)?(?:bit\s+of\s+)?an?\s+(?:odd|silly|daft|weird)\s+one"
    r"\s*[,.:!-]*",
    r"sorry\s+(?:to\s+bother\s+you|if\s+this\s+is\s+(?:a\s+)?(?:daft|silly|obvious)(?:\s+question)?)"
    r"\s*[,.!-]*",
    r"long\s+story\s+short\s*[,:-]*",
    r"(?:to\s+be|i'?ll\s+be|if\s+i'?m)\s+honest\s*[,:-]*",
    r"honestly\s*,?",
    r"(?:right|ok|okay|so|well|basically|anyway)\s*,",
    r"^(?:so|right|ok|okay|well|basically|anyway)\b",
    # ways of asking that carry no subject
    r"i\s+was\s+(?:just\s+)?wondering\s+(?:if|whether)\s+(?:you\s+could|you\s+can|someone\s+could)"
    r"\s+(?:tell|explain\s+to)\s+me",
    r"(?:could|can|would)\s+you\s+(?:please\s+)?tell\s+me",
    r"i\s+was\s+(?:just\s+)?wondering",
    r"i'?d\s+(?:really\s+)?(?:like|love)\s+to\s+know",
    r"i\s+(?:just\s+)?want(?:ed)?\s+to\s+(?:know|ask|check)",
)
_PATTERN = re.compile(
    r"(?<![a-z0-9'])(?:" + "|".join(f"(?:{p})" for p in _FILLER) + r")(?![a-z0-9'])"
)
_SPACES = re.compile(r"\s{2,}")
_LEADING_PUNCTUATION = re.compile(r"^[\s,.:;!-]+")


def without_filler(question: str) -> str:
    """The (lower-case) question without greetings, hedges and subjectless ways of asking;
    the question itself if nothing would be left."""
    text = question
    for _ in range(2):  # a filler can start the question once another is gone
        text = _LEADING_PUNCTUATION.sub("", _SPACES.sub(" ", _PATTERN.sub(" ", text)).strip())
    return text if len(text.split()) >= 2 else question
