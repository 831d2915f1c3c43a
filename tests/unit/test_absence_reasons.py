"""Absence reasons are matched on label, code or alias, whatever the case."""

from __future__ import annotations

import pytest

from domain.absences import AbsencePolicy, parse_reason_aliases, reason_code


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Cold, cough or flu", "Cold, cough or flu"),
        ("cold,  COUGH or flu", "Cold, cough or flu"),
        ("cold_cough_or_flu", "Cold, cough or flu"),
        ("cold/flu", "Cold, cough or flu"),
        ("Stomach", "Stomach, liver or digestion"),
        ("MSK", "Musculoskeletal"),
        ("hay fever", None),
    ],
)
def test_reasons_match_label_code_or_alias(typed: str, label: str | None) -> None:
    assert AbsencePolicy().reason_named(typed) == label


def test_codes_are_the_labels_words() -> None:
    assert reason_code("Stress, anxiety or depression") == "stress_anxiety_or_depression"


def test_an_alias_for_a_reason_not_configured_matches_nothing() -> None:
    policy = AbsencePolicy(reasons=("Respiratory",))
    assert policy.reason_named("cold/flu") is None
    assert policy.reason_named("respiratory") == "Respiratory"


def test_hr_sets_aliases_in_one_line() -> None:
    reasons = ("Respiratory", "Mental health")
    assert parse_reason_aliases("resp=respiratory | MH = Mental health|", reasons) == {
        "resp": "Respiratory",
        "MH": "Mental health",
    }
    with pytest.raises(ValueError, match="'Flu' is not one of the absence reasons"):
        parse_reason_aliases("cold=Flu", reasons)
    with pytest.raises(ValueError, match="alias=reason"):
        parse_reason_aliases("cold", reasons)
