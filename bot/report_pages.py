"""HR's compliance report as a web page, opened from the `compliance` card in Teams.

The card's link is signed, short-lived and made for one person (``domain.report_links``). The
page checks the link, then checks that person again as the chat would: still in post and an
HR admin today. Anything else gets the same plain refusal, so a link tells nobody else
anything. The links (their key and address) are the runtime's, built once with the services
(``bot.runtime.report_links_for``). Register the page once, where the web app is built::

    report_pages.register(app, lambda: app[RUNTIME].services)
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web

from domain.compliance_html import as_html
from domain.report_links import COMPLIANCE_REPORT
from services.compliance import compliance_report
from services.meeting_slips import meeting_slips
from services.registry import Services

log = logging.getLogger(__name__)

PATH = f"/reports/{COMPLIANCE_REPORT}"
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The page is self-contained: inline CSS and SVG, no script, nothing fetched.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
}
_REFUSED = (
    "This link has expired or isn't yours. Type compliance in Charter for a new one; "
    "the report is for HR admins."
)


def register(app: web.Application, services: Callable[[], Services]) -> None:
    """Serve the report page; the chat offers links to it (``Services.report_links``)."""

    async def compliance_page(request: web.Request) -> web.Response:
        found = services()
        now = found.clock.now()
        links = found.report_links
        token = request.query.get("t")
        pk = links.person_in(COMPLIANCE_REPORT, token, now) if links is not None else None
        today = found.clock.today()
        person = await found.directory.by_pk(pk) if pk is not None else None
        if person is None or not person.is_active(today) or not person.is_hr_admin:
            log.info("report page refused (link %s)", "valid" if pk else "invalid or expired")
            return web.Response(status=403, text=_REFUSED, headers=_HEADERS)
        report = await compliance_report(found.database, found.staff_rules, today)
        slips = await meeting_slips(found.database, today)
        log.info("compliance report page served to employee %d", person.id)
        return web.Response(text=as_html(report, slips), content_type="text/html", headers=_HEADERS)

    app.router.add_get(PATH, compliance_page)
