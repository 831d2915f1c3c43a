"""HR edits the pack: a running bot picks up a good change and keeps serving through a bad one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from services.answers import ContentLibrary

SAMPLE = Path(__file__).parents[1] / "fixtures" / "content_pack_sample"
NEW_SECTION = "\n## Choosing a room for a one-to-one\nPick a quiet room with a whiteboard.\n"


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "pack"
    shutil.copytree(SAMPLE, copy)
    return copy


def edit(path: Path, text: str) -> None:
    """Write and make sure the change is visible to a size/mtime check."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_a_changed_file_is_picked_up_without_a_restart(folder: Path) -> None:
    ticker = Ticker()
    library = ContentLibrary(folder, monotonic=ticker)
    assert library.pack.section("one-to-ones#choosing-a-room-for-a-one-to-one") is None
    topic = folder / "one-to-ones.md"
    edit(topic, topic.read_text(encoding="utf-8") + NEW_SECTION)

    ticker.now += 0.5  # too soon to look again: the old pack still serves
    assert library.pack.section("one-to-ones#choosing-a-room-for-a-one-to-one") is None
    ticker.now += 2.0
    assert library.pack.section("one-to-ones#choosing-a-room-for-a-one-to-one") is not None
    assert library.lookup("whiteboard room", "manager").best is not None
    assert library.problems == []


def test_a_broken_change_keeps_the_last_good_pack(folder: Path) -> None:
    ticker = Ticker()
    library = ContentLibrary(folder, monotonic=ticker)
    good = library.lookup("how often should I hold one-to-ones", "manager")
    assert good.answered
    topic = folder / "one-to-ones.md"
    edit(topic, "no front matter any more\n")
    ticker.now += 5
    answer = library.lookup("how often should I hold one-to-ones", "manager")
    assert answer.best == good.best
    [problem] = library.problems
    assert problem.path == topic and problem.line == 1

    problems = library.reload()  # an explicit reload says why it refused
    assert problems and problems[0].path == topic
    assert library.lookup("how often should I hold one-to-ones", "manager").answered

    shutil.copy(SAMPLE / "one-to-ones.md", topic)
    edit(topic, topic.read_text(encoding="utf-8") + NEW_SECTION)
    ticker.now += 5
    assert library.pack.section("one-to-ones#choosing-a-room-for-a-one-to-one") is not None
    assert library.problems == []


def test_a_pack_broken_from_the_start_answers_nothing_until_fixed(folder: Path) -> None:
    ticker = Ticker()
    (folder / "apr.md").write_text("broken\n", encoding="utf-8")
    library = ContentLibrary(folder, monotonic=ticker)
    answer = library.lookup("what happens at the APR", "manager")
    assert not answer.answered and answer.related == []
    assert library.problems
    shutil.copy(SAMPLE / "apr.md", folder / "apr.md")
    edit(folder / "apr.md", (SAMPLE / "apr.md").read_text(encoding="utf-8"))
    ticker.now += 5
    assert library.lookup("what happens at the APR", "manager").answered


class FakeRequests:
    def __init__(self) -> None:
        self.value = 3
        self.reads = 0

    async def generation(self) -> int:
        self.reads += 1
        return self.value


async def test_a_reload_request_is_honoured_and_checked_only_every_few_seconds(
    folder: Path,
) -> None:
    ticker = Ticker()
    library = ContentLibrary(folder, monotonic=ticker, file_check_seconds=1e9)
    requests = FakeRequests()
    assert library.pack.sections  # loaded at start-up
    await library.honour_reload_requests(requests)  # type: ignore[arg-type]
    topic = folder / "one-to-ones.md"
    edit(topic, topic.read_text(encoding="utf-8") + NEW_SECTION)
    library.refresh_if_changed()
    assert library.pack.section("one-to-ones#choosing-a-room-for-a-one-to-one") is None

    requests.value = 4
    ticker.now += 1
    await library.honour_reload_requests(requests)  # type: ignore[arg-type]
    assert requests.reads == 1  # too soon: not even read
    ticker.now += 10
    await library.honour_reload_requests(requests)  # type: ignore[arg-type]
    assert requests.reads == 2
    assert library.pack.section("one-to-ones#choosing-a-room-for-a-one-to-one") is not None


@pytest.mark.parametrize(
    "items",
    ["- re: (?P<x>tears)\n- re: (?P<x>crying)\n", "- re: (\\w+\\s?)*$\n"],
)
def test_a_vocabulary_that_would_crash_or_hang_is_refused_on_reload(
    folder: Path, items: str
) -> None:
    ticker = Ticker()
    vocabulary = folder / "_vocabulary.md"
    vocabulary.write_text("## wellbeing\n- in tears\n", encoding="utf-8")
    library = ContentLibrary(folder, monotonic=ticker)
    assert library.pack.everyday.framework_words("she was in tears") == "wellbeing"
    edit(vocabulary, f"## wellbeing\n{items}")
    problems = library.reload()  # refused with a reason, not a traceback
    assert problems and all(p.path == vocabulary for p in problems)
    assert library.pack.everyday.framework_words("she was in tears") == "wellbeing"
    assert library.lookup("how often should I hold one-to-ones", "manager").answered
