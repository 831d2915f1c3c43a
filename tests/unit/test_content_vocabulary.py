"""The pack's everyday vocabulary (_vocabulary.md): HR adds "everyday words -> framework
words" without code, and `charter content check` says what is wrong with an entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli.main import main
from content import PACK_DIR
from domain.answer_everyday import VOCABULARY_FILE, parse_everyday_words
from domain.answer_index import AnswerIndex
from domain.content_pack import check_pack, read_pack, topic_files

SAMPLE = Path(__file__).parents[1] / "fixtures" / "content_pack_sample"


def test_plain_expressions_match_whole_words_with_hyphens_and_endings() -> None:
    everyday, problems = parse_everyday_words(
        "# Everyday words\n\n- not an entry\n\n"
        "## one-to-one\n<!-- replace -->\n- catch-up\n- catch-ups\n\n"
        "## bullying harassment\n- picked on\n- harass*\n"
    )
    assert problems == []
    assert everyday.in_framework_words("Our catch up, our catchups") == (
        "our one-to-one, our one-to-one"
    )
    assert everyday.framework_words("she is being harassed") == "bullying harassment"
    assert everyday.framework_words("he gets picked  on") == "bullying harassment"
    # Whole words only: "catch-upper" is not a catch-up, "picked one" is not "picked on".
    assert everyday.in_framework_words("a catch-upper") == "a catch-upper"
    assert everyday.framework_words("i picked one") == ""
    assert everyday.with_framework_words("how often") == "how often"


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("## wellbeing\n- re: (unclosed\n", 2, "not a valid regular expression"),
        ("## wellbeing\n- re: x?\n", 2, "would match anywhere"),
        ("## wellbeing\n- tears (crying)\n", 2, "start a regular expression with 're:'"),
        ("## wellbeing\n<!-- swap -->\n- tears\n", 2, "use replace or add"),
        ("## wellbeing\n\nSome notes only.\n", 1, "lists no expressions"),
        ("## wellbeing\n- tears\n## Wellbeing\n- upset\n", 3, "already on line 1"),
    ],
)
def test_a_bad_entry_is_a_problem_with_its_line(text: str, line: int, says: str) -> None:
    everyday, problems = parse_everyday_words(text)
    assert [n for n, _ in problems] == [line]
    assert says in problems[0][1]
    assert everyday.entries == 0  # nothing of a broken vocabulary counts


def test_the_vocabulary_is_part_of_the_pack_and_of_its_check(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(SAMPLE, folder)
    assert read_pack(folder).everyday.entries == 0  # a pack may have none
    (folder / VOCABULARY_FILE).write_text("## wellbeing\n- re: [oops\n", encoding="utf-8")
    problems = check_pack(folder)
    assert [(p.path.name, p.line) for p in problems] == [(VOCABULARY_FILE, 2)]
    (folder / VOCABULARY_FILE).write_text("## wellbeing\n- in tears\n", encoding="utf-8")
    assert check_pack(folder) == []
    assert VOCABULARY_FILE not in {p.name for p in topic_files(folder)}
    assert read_pack(folder).everyday.framework_words("she was in tears") == "wellbeing"


def test_charter_content_check_names_the_vocabulary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(SAMPLE, folder)
    (folder / VOCABULARY_FILE).write_text("## wellbeing\n- tears!\n", encoding="utf-8")
    assert main(["content", "check", str(folder)]) == 1
    assert f"{VOCABULARY_FILE}:2: 'tears!': write plain words" in capsys.readouterr().err


def test_hr_teaches_an_everyday_word_without_code(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(PACK_DIR, folder)
    asked = "one of my lads keeps skiving, what do I do"
    before = AnswerIndex(read_pack(folder), encoder=None).normalise(asked)
    assert "repeated short-term absence" not in before
    vocabulary = folder / VOCABULARY_FILE
    text = vocabulary.read_text(encoding="utf-8").replace(
        "- sickies\n", "- sickies\n- skiving\n", 1
    )
    vocabulary.write_text(text, encoding="utf-8")
    after = AnswerIndex(read_pack(folder), encoder=None).normalise(asked)
    assert "repeated short-term absence" in after


def test_a_running_bot_sees_a_vocabulary_change(tmp_path: Path) -> None:
    from services.answers import folder_signature

    folder = tmp_path / "pack"
    shutil.copytree(SAMPLE, folder)
    before = folder_signature(folder)
    (folder / VOCABULARY_FILE).write_text("## wellbeing\n- in tears\n", encoding="utf-8")
    assert folder_signature(folder) != before


@pytest.mark.parametrize(
    ("items", "says"),
    [
        # Each compiles alone; joined into one expression they would not (or would mean
        # something else).
        ("- re: (?P<who>he)\\s+cries\n- re: (?P<who>she)\\s+cries\n", "do not name groups"),
        ("- re: (a)\\s+\\1\n- re: (b)c\\1\n", "do not refer back to a group"),
        ("- re: (?i)tears\n- crying\n", "do not set flags for the whole expression"),
    ],
)
def test_expressions_that_cannot_be_joined_are_refused_politely(items: str, says: str) -> None:
    everyday, problems = parse_everyday_words(f"## wellbeing\n{items}")
    assert problems and all(says in message for _, message in problems)
    assert {line for line, _ in problems} <= {2, 3}
    assert everyday.entries == 0


def test_an_entry_whose_joined_expression_fails_is_named_by_its_heading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import domain.answer_everyday as answer_everyday

    # The last line of defence, should a construct pass the item checks and still break
    # the joined expression: a problem on the entry's heading, never a traceback.
    monkeypatch.setattr(answer_everyday, "_unjoinable", lambda _parsed: None)
    text = "# Words\n\n## wellbeing\n- re: (?P<who>he) cries\n- re: (?P<who>she) cries\n"
    everyday, problems = parse_everyday_words(text)
    assert [line for line, _ in problems] == [3]
    assert "'## wellbeing': its expressions do not work together" in problems[0][1]
    assert everyday.entries == 0


def test_charter_content_check_reports_unjoinable_expressions_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(SAMPLE, folder)
    (folder / VOCABULARY_FILE).write_text(
        "## wellbeing\n- re: (?P<x>tears)\n- re: (?P<x>crying)\n", encoding="utf-8"
    )
    assert main(["content", "check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{VOCABULARY_FILE}:2: please do not name groups" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"(a|a)*b",
        r"(\w+\s?)*$",
        r"x(a?a)*$",
        r"(?:tear|tears)*x",
        r"x\w*\w*\w*y",  # no nesting, but cubic: caught by the timed trial
        r"[\w\s]*[\w\s]*[\w\s]*[\w\s]*!",
        # choices that start alike only once case is folded, or with a letter beyond the
        # probe characters (a review found both accepted, then hours on an 80-letter message)
        r"(?i:(?:xy|Xyxy)+)z",
        r"(a+){2,10}$",  # bounded, but a tenth power of the length: caught by the trial
        r"(?:[aü]|[bü]ü)+x",
    ],
)
def test_a_pattern_that_could_take_minutes_is_refused(pattern: str) -> None:
    everyday, problems = parse_everyday_words(f"## wellbeing\n- re: {pattern}\n")
    assert [line for line, _ in problems] == [2]
    assert "could take minutes" in problems[0][1] or "too slow" in problems[0][1]
    assert everyday.entries == 0


@pytest.mark.parametrize(
    "pattern",
    [
        r"not\s+(?:himself|herself|themselves)",
        r"(?:x|y)+z",
        r"(?:\s|\w)*!",
        r"(?i:tears)",
        r"(?:mondays?|fridays?)\b[\w\s']{0,20}\b(?:sick|off|ill)\b",
        # a word near another: a repeat of a few times at most is left to the timed trial
        r"manager(?:\W+\w+){0,5}?\W+meeting",
        r"cancel\w*(?:\s+\w+){0,3}\s+one\s+to\s+ones?",
    ],
)
def test_ordinary_patterns_pass_the_slowness_checks(pattern: str) -> None:
    _, problems = parse_everyday_words(f"## wellbeing\n- re: {pattern}\n")
    assert problems == []


def test_the_shipped_vocabulary_passes_every_check() -> None:
    text = (PACK_DIR / VOCABULARY_FILE).read_text(encoding="utf-8")
    everyday, problems = parse_everyday_words(text)
    assert problems == []
    assert everyday.entries > 0


def test_the_patterns_read_only_a_bounded_length_of_text() -> None:
    from domain.answer_everyday import MAX_READ_CHARS

    everyday, _ = parse_everyday_words("## wellbeing\n- in tears\n")
    long = "word " * (MAX_READ_CHARS // 5) + "in tears"
    assert everyday.framework_words(long) == ""  # beyond the bound, never read
    assert everyday.framework_words(long[-200:]) == "wellbeing"
    assert len(everyday.in_framework_words("x" * 50_000)) <= MAX_READ_CHARS


@pytest.mark.parametrize("words", [r"one\to\one", r"one-to-one \g<0> \1", "c:\\new"])
def test_framework_words_are_put_in_as_written(words: str) -> None:
    everyday, problems = parse_everyday_words(f"## {words}\n<!-- replace -->\n- catch-up\n")
    assert problems == []
    assert everyday.in_framework_words("our catch-up today") == f"our {words} today"


@pytest.mark.parametrize("pattern", ["(?:" * 500 + "a" + ")" * 500, "a{4294967296}"])
def test_a_pattern_python_cannot_compile_is_a_problem_not_a_crash(pattern: str) -> None:
    """Deep nesting and huge repeats raise RecursionError and OverflowError, not re.error."""
    _, problems = parse_everyday_words(f"## wellbeing\n- re: {pattern}\n")
    assert [line for line, _ in problems] == [2]
    assert "not a valid regular expression" in problems[0][1]
