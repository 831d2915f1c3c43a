"""Signed, short-lived, single-person links to the report page (fixed clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.runtime import report_links_for
from domain.report_links import COMPLIANCE_REPORT, ReportLinks, derive_key

NOW = datetime(2026, 11, 23, 10, 42, tzinfo=UTC)
LINKS = ReportLinks(derive_key("app secret"), "https://charter.example")


def _token(link: str) -> str:
    return link.split("?t=", 1)[1]


def test_a_link_names_its_person_until_it_expires() -> None:
    link = LINKS.link(COMPLIANCE_REPORT, 1, NOW)
    assert link.startswith("https://charter.example/reports/compliance?t=")
    token = _token(link)
    assert LINKS.person_in(COMPLIANCE_REPORT, token, NOW + timedelta(minutes=9)) == 1
    assert LINKS.person_in(COMPLIANCE_REPORT, token, NOW + timedelta(minutes=10)) is None


def test_a_changed_person_report_or_key_is_refused() -> None:
    token = LINKS.token(COMPLIANCE_REPORT, 1, NOW)
    version, _, expires, signature = token.split(".")
    assert LINKS.person_in(COMPLIANCE_REPORT, f"{version}.2.{expires}.{signature}", NOW) is None
    assert LINKS.person_in("scorecard", token, NOW) is None
    other = ReportLinks(derive_key("another secret"), "https://charter.example")
    assert other.person_in(COMPLIANCE_REPORT, token, NOW) is None
    for junk in (None, "", "v1", "v1.x.y.z", "v1.1.99999999999.\u00e9", token + "x"):
        assert LINKS.person_in(COMPLIANCE_REPORT, junk, NOW) is None


def test_the_composition_root_makes_links_under_the_bots_address_with_one_key() -> None:
    served = report_links_for(Settings(app_password="secret", public_hostname="charter.example"))
    assert served.link(COMPLIANCE_REPORT, 1, NOW).startswith(
        "https://charter.example/reports/compliance?t="
    )
    local = report_links_for(Settings(database_url="sqlite:///charter.db", port=3978))
    assert local.base_url == "http://localhost:3978"
    # Every worker of one deployment builds the same key, so any of them accepts the link.
    again = report_links_for(Settings(database_url="sqlite:///charter.db", port=3978))
    assert again.person_in(COMPLIANCE_REPORT, local.token(COMPLIANCE_REPORT, 1, NOW), NOW) == 1
    assert served.person_in(COMPLIANCE_REPORT, local.token(COMPLIANCE_REPORT, 1, NOW), NOW) is None
