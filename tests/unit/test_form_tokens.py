"""Form-instance tokens: what a card carries and what a submit may claim (no database)."""

from __future__ import annotations

import pytest

from domain.form_tokens import FORM_TOKEN, new_token, stamped, token_of


def test_each_card_gets_its_own_token() -> None:
    first, second = stamped({"form": "apr_record"}), stamped({"form": "apr_record"})
    assert first["form"] == "apr_record"
    assert token_of(first) is not None and token_of(first) != token_of(second)


def test_the_same_form_shown_again_keeps_its_token() -> None:
    """With its problems, or as the SMART check's Save anyway: still one form instance."""
    submitted = stamped({"form": "objective"})
    assert stamped({"form": "objective"}, submitted)[FORM_TOKEN] == submitted[FORM_TOKEN]
    assert stamped({"form": "objective"}, {FORM_TOKEN: "bad"})[FORM_TOKEN] != "bad"


@pytest.mark.parametrize(
    "value",
    [None, "", "short", 12345678901234567890, "x" * 65, "a" * 15 + "!", "²" * 20, ["t" * 20]],
)
def test_anything_else_is_no_token(value: object) -> None:
    assert token_of({FORM_TOKEN: value}) is None


def test_a_new_token_is_accepted() -> None:
    token = new_token()
    assert token_of({FORM_TOKEN: token}) == token
