"""The "what good looks like" content pack: Markdown topics with front matter, owned by HR.

A pack is a folder of ``<id>.md`` files. Each starts with YAML front matter (``id``,
``title``, ``audience``, ``tags``, ``source``, ``version``, ``owner``, optional ``sample``),
then an optional ``# Title`` and one or more ``## Section`` headings. A section may start
with comment lines that refine it::

    ## What a one-to-one is for
    <!-- tags: purpose, why -->
    <!-- audience: staff -->

A section may also list the questions people ask for it, in their own words; they are matched
against a new question as well as the section's text (alternative phrasings, as FAQ bots use)
and are never shown::

    <!-- questions:
    - how do I handle someone who keeps phoning in sick?
    - what is the Bradford factor
    -->

The pack's ``_vocabulary.md`` lists the everyday expressions people use for the framework's
words (:mod:`domain.answer_everyday`), and its ``_other_services.md`` the questions that belong to
the council's other services (:mod:`domain.answer_elsewhere`); both are checked with the topics.

A section's id is ``<topic id>#<slug>``; links between sections are ``[text](other.md#slug)``
or ``[text](#slug)``. :func:`check_pack` lists every problem with its file and line so HR can
fix the pack without a developer; :func:`read_pack` refuses a pack that has any.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from domain.answer_elsewhere import OTHER_SERVICES_FILE, OtherServices, read_other_services
from domain.answer_everyday import VOCABULARY_FILE, EverydayWords, read_everyday_words
from domain.answer_question_lists import AUDIENCES, section_settings
from domain.pack_text import read_pack_text

REQUIRED_KEYS: tuple[str, ...] = ("id", "title", "audience", "tags", "source", "version", "owner")
OPTIONAL_KEYS: tuple[str, ...] = ("sample",)
# Files in a pack folder that are notes for the people editing it, not topics.
NOT_TOPICS: frozenset[str] = frozenset({"readme.md"})
# Files in a pack folder that are not topics but are part of the pack.
NOT_TOPICS_BUT_CONTENT: frozenset[str] = frozenset({VOCABULARY_FILE, OTHER_SERVICES_FILE})

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SECTION_HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
_TITLE_HEADING = re.compile(r"^#(?!#)\s*(.*?)\s*#*\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*([^)\s]*)\s*(?:\"[^\"]*\")?\s*\)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def slugify(heading: str) -> str:
    """A heading as an anchor: lower case, runs of anything but [a-z0-9] become ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


@dataclass(frozen=True)
class ContentProblem:
    path: Path
    line: int  # 1-based; 0 when the problem is with the folder or file as a whole
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Section:
    id: str  # "<topic id>#<slug>"
    slug: str
    title: str
    topic_id: str
    topic_title: str
    audience: str
    tags: tuple[str, ...]  # the section's own tags, then its topic's
    source: str
    version: str
    owner: str
    sample: bool
    body: str  # Markdown, setting comments removed
    path: Path
    line: int  # of the heading
    body_line: int = 0  # of the body's first line
    questions: tuple[str, ...] = ()  # how people ask for it, in their words (never shown)


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    audience: str
    tags: tuple[str, ...]
    source: str
    version: str
    owner: str
    sample: bool
    path: Path
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class ContentPack:
    folder: Path | None
    topics: tuple[Topic, ...]
    # Everyday expressions in the framework's words (the pack's _vocabulary.md).
    everyday: EverydayWords = field(default_factory=EverydayWords)
    # Questions for the council's other services (the pack's _other_services.md).
    other_services: OtherServices = field(default_factory=OtherServices)
    sections: tuple[Section, ...] = field(init=False)
    _by_id: dict[str, Section] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sections = tuple(s for topic in self.topics for s in topic.sections)
        object.__setattr__(self, "sections", sections)
        object.__setattr__(self, "_by_id", {s.id: s for s in sections})

    def section(self, section_id: str) -> Section | None:
        return self._by_id.get(section_id)

    @classmethod
    def empty(cls) -> ContentPack:
        return cls(None, ())


class ContentPackError(ValueError):
    """The pack has problems; ``problems`` says where."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        first = problems[0] if problems else "no problems listed"
        super().__init__(f"{len(problems)} problem(s) in the content pack, first: {first}")
        self.problems = problems


def pack_files(folder: Path) -> list[Path]:
    """The files of a pack, in name order: its topics and its vocabulary (a README is
    neither); a change to any of them changes the pack."""
    return sorted(
        p for p in folder.glob("*.md") if p.is_file() and p.name.lower() not in NOT_TOPICS
    )


def topic_files(folder: Path) -> list[Path]:
    """The Markdown topics in a pack folder, in name order."""
    return [p for p in pack_files(folder) if p.name.lower() not in NOT_TOPICS_BUT_CONTENT]


def read_pack(folder: Path) -> ContentPack:
    """The pack in ``folder``; raises :class:`ContentPackError` if it has any problem."""
    pack, problems = load_pack(folder)
    if problems:
        raise ContentPackError(problems)
    return pack


def check_pack(folder: Path) -> list[ContentProblem]:
    """Every problem in the pack, in file and line order; empty when it is good to serve."""
    return load_pack(folder)[1]


def load_pack(folder: Path) -> tuple[ContentPack, list[ContentProblem]]:
    """Parse what can be parsed, and list every problem found on the way."""
    folder = Path(folder)
    if not folder.is_dir():
        return ContentPack.empty(), [ContentProblem(folder, 0, "no such content folder")]
    problems: list[ContentProblem] = []
    topics: list[Topic] = []
    for path in topic_files(folder):
        topic = _parse_topic(path, problems)
        if topic is not None:
            topics.append(topic)
    if not topics and not problems:
        problems.append(ContentProblem(folder, 0, "the folder has no topics (*.md files)"))
    problems.extend(_duplicate_topic_ids(topics))
    problems.extend(_broken_links(topics))
    everyday, found = read_everyday_words(folder)
    problems.extend(ContentProblem(folder / VOCABULARY_FILE, n, message) for n, message in found)
    other_services, found = read_other_services(folder)
    problems.extend(ContentProblem(folder / OTHER_SERVICES_FILE, n, m) for n, m in found)
    problems.sort(key=lambda p: (str(p.path), p.line))
    return ContentPack(folder, tuple(topics), everyday, other_services), problems


@dataclass
class _Heading:
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def _read_text(path: Path, problems: list[ContentProblem]) -> str | None:
    text, problem = read_pack_text(path)
    if problem is not None:
        problems.append(ContentProblem(path, *problem))
    return text


def _parse_topic(path: Path, problems: list[ContentProblem]) -> Topic | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines()
    front = _front_matter(path, lines, problems)
    if front is None:
        return None
    meta, body_start = front
    topic_meta = _topic_meta(path, meta, _front_matter_lines(lines), problems)
    if topic_meta is None:
        return None
    sections = _parse_sections(path, lines, body_start, topic_meta, problems)
    return Topic(sections=tuple(sections), path=path, **topic_meta)


def _front_matter(
    path: Path, lines: list[str], problems: list[ContentProblem]
) -> tuple[dict[str, Any], int] | None:
    """The front matter mapping and the index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        problems.append(
            ContentProblem(path, 1, "missing front matter: the file must start with a '---' line")
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        problems.append(ContentProblem(path, 1, "front matter is not closed with a '---' line"))
        return None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append(ContentProblem(path, line, f"front matter is not valid YAML: {reason}"))
        return None
    if not isinstance(meta, dict):
        problems.append(ContentProblem(path, 2, "front matter must be 'key: value' lines"))
        return None
    return meta, end + 1


def _key_line(meta_lines: dict[str, int], key: str) -> int:
    return meta_lines.get(key, 1)


def _topic_meta(
    path: Path, meta: dict[str, Any], lines: dict[str, int], problems: list[ContentProblem]
) -> dict[str, Any] | None:
    found: list[ContentProblem] = []

    def bad(key: str, message: str) -> None:
        found.append(ContentProblem(path, _key_line(lines, key), message))

    for key in REQUIRED_KEYS:
        if key not in meta or meta[key] is None or meta[key] == "":
            found.append(ContentProblem(path, 1, f"front matter is missing '{key}'"))
    for key in meta:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            bad(str(key), f"unknown front matter key '{key}'")
    topic_id = meta.get("id")
    if topic_id is not None and topic_id != "":
        if not isinstance(topic_id, str) or not _ID.match(topic_id):
            bad("id", f"id {topic_id!r} must be lower-case letters, digits and hyphens")
        elif topic_id != path.stem:
            # Reported, but the topic is still read so duplicate ids can be found too.
            problems.append(
                ContentProblem(
                    path,
                    _key_line(lines, "id"),
                    f"id '{topic_id}' does not match the file name '{path.name}'",
                )
            )
    for key in ("title", "source", "owner"):
        value = meta.get(key)
        if value not in (None, "") and not isinstance(value, str):
            bad(key, f"'{key}' must be text")
    audience = meta.get("audience")
    if audience not in (None, "") and audience not in AUDIENCES:
        bad("audience", f"audience {audience!r} must be one of {', '.join(AUDIENCES)}")
    tags = meta.get("tags")
    if tags is not None and not (
        isinstance(tags, list) and all(isinstance(t, str | int) for t in tags)
    ):
        bad("tags", "tags must be a list, e.g. [supervision, 121]")
    version = meta.get("version")
    if version not in (None, "") and not isinstance(version, int | float | str):
        bad("version", "version must be a number or text")
    sample = meta.get("sample", False)
    if not isinstance(sample, bool):
        bad("sample", "sample must be true or false")
    if found:
        problems.extend(found)
        return None
    return {
        "id": topic_id,
        "title": meta["title"].strip(),
        "audience": audience,
        "tags": tuple(str(t).strip().lower() for t in tags or () if str(t).strip()),
        "source": meta["source"].strip(),
        "version": str(version),
        "owner": meta["owner"].strip(),
        "sample": sample,
    }


def _front_matter_lines(file_lines: list[str]) -> dict[str, int]:
    """Which line each top-level front matter key is on (for pointing at bad values)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(file_lines[1:], start=2):
        if line.strip() in ("---", "..."):
            break
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _parse_sections(
    path: Path,
    lines: list[str],
    start: int,
    topic: dict[str, Any],
    problems: list[ContentProblem],
) -> list[Section]:
    headings: list[_Heading] = []
    seen_title = False
    in_fence = False
    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and (match := _SECTION_HEADING.match(line)):
            headings.append(_Heading(match.group(1), number))
            continue
        if headings:
            headings[-1].lines.append((number, line))
            continue
        if not line.strip():
            continue
        if not seen_title and not in_fence and _TITLE_HEADING.match(line):
            seen_title = True
            continue
        problems.append(
            ContentProblem(path, number, "text before the first section: start it with '## '")
        )
        return []
    if not headings:
        problems.append(ContentProblem(path, 0, "the topic has no sections ('## ' headings)"))
        return []
    sections: list[Section] = []
    slugs: dict[str, int] = {}
    for heading in headings:
        section = _section(path, heading, topic, problems)
        if section is None:
            continue
        if section.slug in slugs:
            problems.append(
                ContentProblem(
                    path,
                    heading.line,
                    f"duplicate section '{heading.title}': "
                    f"line {slugs[section.slug]} has the same anchor #{section.slug}",
                )
            )
            continue
        slugs[section.slug] = heading.line
        sections.append(section)
    return sections


def _section(
    path: Path, heading: _Heading, topic: dict[str, Any], problems: list[ContentProblem]
) -> Section | None:
    slug = slugify(heading.title)
    if not slug:
        problems.append(ContentProblem(path, heading.line, "a section heading has no words"))
        return None
    body_lines = list(heading.lines)
    settings, found = section_settings(body_lines, topic["audience"])
    problems.extend(ContentProblem(path, number, message) for number, message in found)
    while body_lines and not body_lines[-1][1].strip():
        body_lines.pop()
    body = "\n".join(line for _, line in body_lines)
    if not _COMMENT.sub("", body).strip():
        problems.append(ContentProblem(path, heading.line, f"section '{heading.title}' is empty"))
        return None
    if not settings.ok:
        return None
    return Section(
        id=f"{topic['id']}#{slug}",
        slug=slug,
        title=heading.title,
        topic_id=topic["id"],
        topic_title=topic["title"],
        audience=settings.audience,
        tags=tuple(dict.fromkeys([*settings.tags, *topic["tags"]])),
        source=topic["source"],
        version=topic["version"],
        owner=topic["owner"],
        sample=topic["sample"],
        body=body,
        path=path,
        line=heading.line,
        body_line=body_lines[0][0] if body_lines else heading.line,
        questions=tuple(dict.fromkeys(settings.questions)),
    )


def _duplicate_topic_ids(topics: list[Topic]) -> Iterator[ContentProblem]:
    first: dict[str, Topic] = {}
    for topic in topics:
        if topic.id in first:
            yield ContentProblem(
                topic.path,
                1,
                f"duplicate topic id '{topic.id}': {first[topic.id].path.name} has it too",
            )
        else:
            first[topic.id] = topic


def internal_links(markdown: str) -> Iterator[tuple[int, str, str]]:
    """(line offset from 0, link text, target) for each link in the text."""
    for offset, line in enumerate(markdown.splitlines()):
        for match in _LINK.finditer(line):
            yield offset, match.group(1), match.group(2)


def link_target(target: str, from_topic: str) -> str | None:
    """The section or topic id a pack-internal link points at; None for an outside link."""
    if not target or _EXTERNAL.match(target):
        return None
    file_part, _, anchor = target.partition("#")
    topic_id = Path(file_part).stem if file_part else from_topic
    return f"{topic_id}#{anchor}" if anchor else topic_id


def _broken_links(topics: Iterable[Topic]) -> Iterator[ContentProblem]:
    known = {t.id: {s.slug for s in t.sections} for t in topics}
    for topic in topics:
        for section in topic.sections:
            body_start = section.body_line
            for offset, _text, target in internal_links(section.body):
                if link_target(target, topic.id) is None:
                    continue
                line = body_start + offset
                file_part, _, anchor = target.partition("#")
                if file_part and not file_part.endswith(".md"):
                    yield ContentProblem(
                        section.path, line, f"link to '{target}': link to another topic's .md file"
                    )
                    continue
                linked = Path(file_part).stem if file_part else topic.id
                if linked not in known:
                    yield ContentProblem(
                        section.path, line, f"broken link '{target}': no topic {file_part}"
                    )
                elif anchor and anchor not in known[linked]:
                    yield ContentProblem(
                        section.path,
                        line,
                        f"broken link '{target}': {file_part or 'this topic'} has no section "
                        f"#{anchor}",
                    )
