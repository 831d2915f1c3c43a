"""#15's measurable layout: the busiest cards rendered by Microsoft's Adaptive Cards JS renderer
in headless Chromium (``tests/render/cards.py``) at laptop (1366 px) and phone (400 px) width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.render import cards as render
from tests.render import samples

pytestmark = pytest.mark.skipif(render.available() is not None, reason=str(render.available()))

NAMES = list(samples.all_cards())


@pytest.fixture(scope="module")
def built() -> dict[str, dict[str, Any]]:
    return samples.all_cards()


@pytest.mark.parametrize("name", NAMES)
def test_every_input_is_at_least_120_px_wide_on_a_phone(
    built: dict[str, dict[str, Any]], name: str
) -> None:
    measured = render.measure(built[name], render.PHONE)
    assert measured.narrow_inputs(120) == []


@pytest.mark.parametrize("name", ["help-manager", "help-staff", "help-hr"])
@pytest.mark.parametrize("width", [render.LAPTOP, render.PHONE])
def test_help_is_at_most_700_px_tall(
    built: dict[str, dict[str, Any]], name: str, width: int
) -> None:
    assert render.measure(built[name], width).height <= 700


@pytest.mark.parametrize("width", [render.LAPTOP])
def test_my_team_for_12_people_is_at_most_1400_px_tall(
    built: dict[str, dict[str, Any]], width: int
) -> None:
    assert render.measure(built["my-team-12"], width).height <= 1400


def test_the_one_to_one_form_is_at_most_1000_px_tall_on_a_laptop(
    built: dict[str, dict[str, Any]],
) -> None:
    assert render.measure(built["one-to-one-form"], render.LAPTOP).height <= 1000


# The HR reports (#15): five departments and the council; nothing broken mid-word (the
# issue saw "objectiv/es" and "Gree/n"), and short enough to take in at a glance.
HR_HEIGHTS = {
    ("compliance", render.LAPTOP): 800,
    ("compliance", render.PHONE): 1100,
    ("scorecard", render.LAPTOP): 900,
    ("scorecard", render.PHONE): 1150,
}


@pytest.mark.parametrize(("name", "width"), list(HR_HEIGHTS))
def test_the_hr_reports_break_no_word_and_stay_short(
    built: dict[str, dict[str, Any]], name: str, width: int
) -> None:
    measured = render.measure(built[name], width)
    assert measured.broken == []
    assert measured.narrow_inputs(120) == []
    assert measured.height <= HR_HEIGHTS[(name, width)]


@pytest.mark.parametrize("name", ["digest", "objective-form-problems"])
def test_the_cards_that_change_in_place_break_no_word_on_a_phone(
    built: dict[str, dict[str, Any]], name: str
) -> None:
    assert render.measure(built[name], render.PHONE).broken == []


def test_a_word_squeezed_into_a_narrow_column_is_seen_as_broken() -> None:
    """The measurement itself: eight columns at phone width leave no room for a long word."""
    squeezed = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {
                "type": "ColumnSet",
                "columns": [
                    {"type": "Column", "width": "1", "items": [
                        {"type": "TextBlock", "text": "Accountabilities", "wrap": True}
                    ]}
                    for _ in range(8)
                ],
            }
        ],
    }  # fmt: skip
    assert "Accountabilities" in render.measure(squeezed, render.PHONE).broken
