"""domain.scorecard on its own: targets from configuration, RAG against them, and the lines a
scorecard shows, hidden figures included."""

from __future__ import annotations

import pytest

from domain.scorecard import (
    DEFAULT_TARGETS,
    SPEC_BY_KEY,
    SPECS,
    Rag,
    blank_lines,
    parse_targets,
    rag_for,
    score_lines,
)


@pytest.mark.parametrize(
    ("key", "value", "rag"),
    [
        ("aprs", 95, Rag.GREEN),
        ("aprs", 85, Rag.AMBER),  # 10 points short: still amber
        ("aprs", 84.9, Rag.RED),
        ("sickness_days", 8, Rag.GREEN),
        ("sickness_days", 10, Rag.AMBER),  # lower is better; a 2-day band
        ("sickness_days", 10.5, Rag.RED),
        ("trigger_points", 15, Rag.AMBER),
        ("trigger_points", 15.5, Rag.RED),
    ],
)
def test_rag_against_the_default_target(key: str, value: float, rag: Rag) -> None:
    assert rag_for(SPEC_BY_KEY[key], value, DEFAULT_TARGETS[key]) is rag


def test_targets_from_configuration() -> None:
    targets = parse_targets(" aprs=80, Sickness_Days = 6.5 ,")
    assert targets == {**DEFAULT_TARGETS, "aprs": 80.0, "sickness_days": 6.5}
    assert parse_targets("") == DEFAULT_TARGETS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("turnover=5", "unknown scorecard measure 'turnover'"),
        ("aprs", "unknown scorecard measure 'aprs'"),
        ("aprs=lots", "the target for aprs must be a number, not 'lots'"),
        ("aprs=101", "the target for aprs is out of range: 101"),
        ("sickness_days=-1", "the target for sickness_days is out of range: -1"),
    ],
)
def test_bad_targets_are_named(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_targets(text)


def test_lines_show_values_rate_them_and_hide_what_is_hidden() -> None:
    figures = {spec.key: (None, "", False) for spec in SPECS}
    figures["aprs"] = (90.0, "9 of 10", False)
    figures["rtw"] = (100.0, "5 of 5", True)
    lines = {line.spec.key: line for line in score_lines(figures, {"aprs": 99})}
    aprs, rtw, objectives = lines["aprs"], lines["rtw"], lines["objectives"]
    assert (aprs.value, aprs.target, aprs.rag, aprs.detail) == (90.0, 99, Rag.AMBER, "9 of 10")
    assert (aprs.value_text(), aprs.target_text()) == ("90%", "at least 99%")
    assert (rtw.value, rtw.rag, rtw.suppressed, rtw.value_text()) == (
        None,
        None,
        True,
        "suppressed (<5)",
    )
    assert (objectives.rag, objectives.value_text()) == (None, "nothing to measure yet")
    assert objectives.target == DEFAULT_TARGETS["objectives"]


def test_a_department_nobody_works_in_has_blank_lines() -> None:
    lines = blank_lines(DEFAULT_TARGETS)
    assert [line.spec for line in lines] == list(SPECS)
    assert not any(line.suppressed or line.value is not None for line in lines)
