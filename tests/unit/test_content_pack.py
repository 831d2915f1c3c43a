"""`check_pack` finds each kind of problem HR could make, with the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from domain.content_pack import (
    ContentPackError,
    check_pack,
    read_pack,
    slugify,
)

SAMPLE = Path(__file__).parents[1] / "fixtures" / "content_pack_sample"

FRONT = """---
id: {id}
title: A topic
audience: all
tags: [a, b]
source: "Somewhere"
version: 1
owner: HR
---
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(SAMPLE, folder)
    return folder


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def only(problems: list, path: Path) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    return [(p.line, p.message) for p in problems if p.path == path]


def test_the_sample_pack_is_clean_and_parses_into_sections() -> None:
    assert check_pack(SAMPLE) == []
    pack = read_pack(SAMPLE)
    assert [t.id for t in pack.topics] == [
        "apr-for-staff",
        "apr",
        "capability",
        "one-to-ones-for-staff",
        "one-to-ones",
        "sickness-absence",
    ]
    section = pack.section("one-to-ones#how-often-to-hold-one-to-ones")
    assert section is not None
    assert section.title == "How often to hold one-to-ones"
    assert section.topic_title == "One-to-ones"
    assert section.audience == "manager"
    assert section.tags == ("frequency", "schedule", "supervision", "121")
    assert section.source == "Sample framework: One to ones"
    assert section.version == "1"
    assert section.owner == "HR Organisational Development"
    assert section.line == 18
    assert section.body.startswith("Hold them every month")
    assert "<!--" not in section.body
    assert pack.section("capability#acting-early-on-capability-concerns").sample  # type: ignore[union-attr]
    assert pack.section("nope#nothing") is None


def test_slugs_follow_the_heading() -> None:
    assert slugify("The council's four corporate values") == "the-council-s-four-corporate-values"
    assert slugify("  What's next? (2026) ") == "what-s-next-2026"


def test_missing_front_matter_is_reported_on_line_1(pack: Path) -> None:
    path = write(pack, "loose.md", "## A section\nSome text.\n")
    assert only(check_pack(pack), path) == [
        (1, "missing front matter: the file must start with a '---' line")
    ]


def test_invalid_yaml_is_reported_with_its_line(pack: Path) -> None:
    path = write(
        pack,
        "broken.md",
        "---\nid: broken\ntitle: Broken\ntags: [a, b\nsource: x\n---\n## S\nText.\n",
    )
    [(line, message)] = only(check_pack(pack), path)
    assert line in (4, 5)
    assert message.startswith("front matter is not valid YAML")


def test_missing_and_bad_keys(pack: Path) -> None:
    path = write(
        pack,
        "keys.md",
        "---\nid: keys\ntitle: Keys\naudience: everyone\ntags: [a]\nsource: x\n"
        "version: 1\naudiance: all\n---\n## S\nText.\n",
    )
    problems = only(check_pack(pack), path)
    assert (1, "front matter is missing 'owner'") in problems
    assert (4, "audience 'everyone' must be one of manager, staff, all") in problems
    assert (8, "unknown front matter key 'audiance'") in problems


def test_id_must_match_the_file_name_and_be_unique(pack: Path) -> None:
    write(pack, "copy.md", FRONT.format(id="apr") + "## S\nText.\n")
    problems = check_pack(pack)
    messages = [(p.path.name, p.line, p.message) for p in problems]
    assert ("copy.md", 2, "id 'apr' does not match the file name 'copy.md'") in messages


def test_duplicate_topic_ids_are_reported(pack: Path) -> None:
    write(pack, "x-one.md", FRONT.format(id="twin") + "## S\nText.\n")
    write(pack, "x-two.md", FRONT.format(id="twin") + "## S\nText.\n")
    messages = [p.message for p in check_pack(pack)]
    assert any(m.startswith("duplicate topic id 'twin'") for m in messages)


def test_duplicate_sections_text_before_sections_and_empty_sections(pack: Path) -> None:
    path = write(
        pack,
        "body.md",
        FRONT.format(id="body") + "\n# Title\n\nStray words.\n\n## One\nText.\n",
    )
    assert only(check_pack(pack), path) == [
        (13, "text before the first section: start it with '## '")
    ]
    path.write_text(
        FRONT.format(id="body")
        + "## One\nText.\n\n## Empty\n<!-- tags: nothing -->\n\n## One!\nMore.\n",
        encoding="utf-8",
    )
    assert only(check_pack(pack), path) == [
        (13, "section 'Empty' is empty"),
        (16, "duplicate section 'One!': line 10 has the same anchor #one"),
    ]


def test_bad_section_settings(pack: Path) -> None:
    path = write(
        pack,
        "settings.md",
        FRONT.format(id="settings") + "## One\n<!-- audience: boss -->\n<!-- colour: red -->\nT.\n",
    )
    assert only(check_pack(pack), path) == [
        (11, "audience 'boss' must be one of manager, staff, all"),
        (12, "unknown section setting 'colour' (use tags or audience or questions)"),
    ]


def test_broken_links_name_the_line(pack: Path) -> None:
    path = write(
        pack,
        "links.md",
        FRONT.format(id="links")
        + "## One\nFine: [APR](apr.md#what-happens-at-the-apr) and [here](#two).\n"
        + "Outside: [gov.uk](https://www.gov.uk/).\n"
        + "No file: [x](nowhere.md#a)\n\n## Two\nNo anchor: [y](apr.md#nothing) [z](#none)\n",
    )
    assert only(check_pack(pack), path) == [
        (13, "broken link 'nowhere.md#a': no topic nowhere.md"),
        (16, "broken link 'apr.md#nothing': apr.md has no section #nothing"),
        (16, "broken link '#none': this topic has no section #none"),
    ]


def test_non_utf8_and_empty_folders(pack: Path, tmp_path: Path) -> None:
    path = pack / "latin.md"
    path.write_bytes((FRONT.format(id="latin") + "## One\nCaf\xe9\n").encode("latin-1"))
    assert only(check_pack(pack), path) == [
        (11, "not UTF-8 text: save the file with UTF-8 encoding")
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    [problem] = check_pack(empty)
    assert problem.line == 0 and "no topics" in problem.message
    [problem] = check_pack(tmp_path / "missing")
    assert problem.message == "no such content folder"


def test_read_pack_refuses_a_broken_pack(pack: Path) -> None:
    write(pack, "loose.md", "no front matter\n")
    with pytest.raises(ContentPackError) as error:
        read_pack(pack)
    assert "loose.md:1: missing front matter" in str(error.value)
    assert str(error.value.problems[0]).endswith(
        "loose.md:1: missing front matter: the file must start with a '---' line"
    )
