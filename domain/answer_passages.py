"""The passage an answer shows: a section cut to about PASSAGE_MAX_WORDS words at whole
paragraphs, list items or sentences, with "…" where it was cut, and the answer it goes in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from domain.content_pack import Section, link_target

PASSAGE_MAX_WORDS = 120
ELLIPSIS = "…"


@dataclass(frozen=True)
class Passage:
    section_id: str
    section_title: str
    topic_title: str
    source: str
    sample: bool
    audience: str
    text: str  # Markdown, at most about PASSAGE_MAX_WORDS words
    trimmed: bool = False

    @property
    def title(self) -> str:
        """The section's title (what a card or a "more on this" button shows)."""
        return self.section_title


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    score: float  # confidence of the best section, 0-1
    best: Passage | None
    related: list[Passage] = field(default_factory=list)
    question_id: int | None = None
    # The other half of a two-part question ("what does the council promise, and what does
    # it expect back?"), when a second section answers what the first does not.
    second: Passage | None = None
    # Not answered because the question looks like one for another council service (the
    # heading HR gave it in _other_services.md).
    elsewhere: str | None = None

    @property
    def passages(self) -> list[Passage]:
        """The passages given as the answer: the best, then any second part."""
        return [p for p in (self.best, self.second) if p is not None]

    def to_json(self) -> dict[str, object]:
        best = self.best
        return {
            "question": self.question,
            "answered": self.answered,
            "elsewhere": self.elsewhere,
            "score": round(self.score, 3),
            "answer": best.text if best else None,
            "title": best.section_title if best else None,
            "topic": best.topic_title if best else None,
            "source": best.source if best else None,
            "section_id": best.section_id if best else None,
            "sample": best.sample if best else None,
            "related": [
                {"section_id": p.section_id, "title": p.section_title, "topic": p.topic_title}
                for p in self.related
            ],
            "question_id": self.question_id,
        }


_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_SUBHEADING = re.compile(r"^#{3,6}\s+(.*?)\s*#*\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*([^)\s]*)\s*(?:\"[^\"]*\")?\s*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=\S)")


@dataclass
class _Block:
    kind: str  # "para" or "item"
    marker: str  # list marker with its indent, e.g. "- " or "  1. "
    text: str

    def render(self, text: str | None = None) -> str:
        return f"{self.marker}{self.text if text is None else text}"


def _plain_links(markdown: str) -> str:
    """Links inside the pack become their text (a chat card can't follow them)."""

    def keep_outside(match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2)
        return text if link_target(target, "") is not None else match.group(0)

    return _LINK.sub(keep_outside, markdown)


def _blocks(markdown: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for line in _plain_links(_COMMENT.sub("", markdown)).splitlines():
        if not line.strip():
            current = None
            continue
        if heading := _SUBHEADING.match(line):
            blocks.append(_Block("para", "", f"**{heading.group(1)}**"))
            current = None
            continue
        if item := _LIST_ITEM.match(line):
            indent = "  " if item.group(1) else ""
            current = _Block("item", f"{indent}{item.group(2)} ", item.group(3).strip())
            blocks.append(current)
            continue
        if current is not None:
            current.text = f"{current.text} {line.strip()}"
        else:
            current = _Block("para", "", line.strip())
            blocks.append(current)
    return blocks


def _join(blocks: list[tuple[_Block, str]]) -> str:
    out: list[str] = []
    previous: _Block | None = None
    for block, text in blocks:
        if previous is not None:
            together = block.kind == "item" and previous.kind == "item"
            out.append("\n" if together else "\n\n")
        out.append(block.render(text))
        previous = block
    return "".join(out)


def _word_count(text: str) -> int:
    return len(text.split())


def trim_passage(markdown: str, max_words: int = PASSAGE_MAX_WORDS) -> tuple[str, bool]:
    """The section as a short passage: whole paragraphs and list items while they fit, then
    whole sentences, with "…" where it was cut. Lists stay lists. Returns (text, trimmed)."""
    kept: list[tuple[_Block, str]] = []
    used = 0
    blocks = _blocks(markdown)
    for position, block in enumerate(blocks):
        words = _word_count(block.text)
        if used + words <= max_words:
            kept.append((block, block.text))
            used += words
            continue
        room = max_words - used
        partial = _leading_sentences(block.text, room)
        if partial is None and not kept:
            partial = " ".join(block.text.split()[:room])  # one huge first sentence
        if partial:
            kept.append((block, f"{partial} {ELLIPSIS}"))
        elif kept:
            last_block, last_text = kept[-1]
            if last_block.kind == "para" and not last_text.rstrip().endswith(":"):
                kept[-1] = (last_block, f"{last_text} {ELLIPSIS}")
            else:
                kept.append((_Block("para", "", ""), ELLIPSIS))
        return _join(kept), position < len(blocks)
    return _join(kept), False


def _leading_sentences(text: str, room: int) -> str | None:
    """As many whole sentences from the start of ``text`` as fit in ``room`` words."""
    taken: list[str] = []
    used = 0
    for sentence in _SENTENCE_END.split(text):
        words = _word_count(sentence)
        if used + words > room:
            break
        taken.append(sentence)
        used += words
    return " ".join(taken) if taken else None


@lru_cache(maxsize=4096)
def passage_of(section: Section) -> Passage:
    text, trimmed = trim_passage(section.body)
    return Passage(
        section_id=section.id,
        section_title=section.title,
        topic_title=section.topic_title,
        source=section.source,
        sample=section.sample,
        audience=section.audience,
        text=text,
        trimmed=trimmed,
    )
