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
