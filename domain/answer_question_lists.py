"""The settings at the top of a section (tags, audience) and the questions it lists for the
answer engine, in a ``<!-- questions:`` block of "- question" lines (the phrasings people ask
it in; see domain.answer_index)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

AUDIENCES: tuple[str, ...] = ("manager", "staff", "all")
SECTION_SETTINGS: tuple[str, ...] = ("tags", "audience", "questions")
# A listed question longer than this is a passage pasted in the wrong place.
MAX_LISTED_QUESTION_CHARS = 300
_SETTING_COMMENT = re.compile(r"^<!--\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*-->\s*$")
QUESTIONS_OPEN = re.compile(r"^<!--\s*questions\s*:\s*(.*?)\s*$", re.IGNORECASE)
_QUESTION_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*?)\s*$")


def question_list(
    number: int, opening: str, rest: list[tuple[int, str]]
) -> tuple[list[str], list[tuple[int, str]]]:
    """The questions of a block opening at line ``number``, taking its lines off ``rest``, and
    what is wrong with it as (line, message): not closed, or a line that is not a
    "- question" item. The questions count only when nothing is wrong."""
    first = QUESTIONS_OPEN.match(opening)
    lines = [(number, first.group(1) if first else "")]
    closed = False
    while rest:
        line_number, line = rest.pop(0)
        if "-->" in line:
            lines.append((line_number, line.split("-->", 1)[0]))
            closed = True
            break
        lines.append((line_number, line))
    if not closed:
        return [], [(number, "the questions list is not closed with a '-->' line")]
    questions: list[str] = []
    found: list[tuple[int, str]] = []
    for line_number, line in lines:
        if not line.strip():
            continue
        item = _QUESTION_ITEM.match(line)
        if item is None or not item.group(1):
            found.append((line_number, "each line of a questions list must be '- the question'"))
        elif len(item.group(1)) > MAX_LISTED_QUESTION_CHARS:
            message = f"a listed question is over {MAX_LISTED_QUESTION_CHARS} characters"
            found.append((line_number, message))
        else:
            questions.append(item.group(1))
    if not questions and not found:
        found.append((number, "the questions list has no questions"))
    return ([] if found else questions), found


@dataclass
class SectionSettings:
    audience: str
    tags: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    ok: bool = True


def section_settings(
    body_lines: list[tuple[int, str]], audience: str
) -> tuple[SectionSettings, list[tuple[int, str]]]:
    """The settings comments and questions lists at the top of a section, taken off
    ``body_lines``, and what is wrong with them as (line, message)."""
    settings = SectionSettings(audience)
    problems: list[tuple[int, str]] = []
    while body_lines and (
        not body_lines[0][1].strip()
        or _SETTING_COMMENT.match(body_lines[0][1].strip())
        or QUESTIONS_OPEN.match(body_lines[0][1].strip())
    ):
        number, line = body_lines.pop(0)
        if QUESTIONS_OPEN.match(line.strip()) and not _SETTING_COMMENT.match(line.strip()):
            listed, found = question_list(number, line.strip(), body_lines)
            problems.extend(found)
            settings.ok = settings.ok and not found
            settings.questions.extend(listed)
            continue
        setting = _SETTING_COMMENT.match(line.strip())
        if setting is not None:
            problem = _apply_setting(setting.group(1).lower(), setting.group(2), settings)
            if problem:
                problems.append((number, problem))
                settings.ok = False
    return settings, problems


def _apply_setting(key: str, value: str, settings: SectionSettings) -> str | None:
    """Apply one ``<!-- key: value -->`` setting; what is wrong with it, if anything."""
    if key == "tags":
        settings.tags.extend(t.strip().lower() for t in value.split(",") if t.strip())
    elif key == "questions":
        settings.questions.extend(q.strip() for q in value.split("|") if q.strip())
    elif key == "audience":
        if value.strip().lower() not in AUDIENCES:
            return f"audience {value!r} must be one of {', '.join(AUDIENCES)}"
        settings.audience = value.strip().lower()
    else:
        return f"unknown section setting '{key}' (use {' or '.join(SECTION_SETTINGS)})"
    return None
