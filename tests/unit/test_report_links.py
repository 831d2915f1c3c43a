"""Signed, short-lived, single-person links to the report page (fixed clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
