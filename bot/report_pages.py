"""HR's compliance report as a web page, opened from the `compliance` card in Teams.

The card's link is signed, short-lived and made for one person (``domain.report_links``). The
page checks the link, then checks that person again as the chat would: still in post and an
HR admin today. Anything else gets the same plain refusal, so a link tells nobody else
anything. Register it once, where the web app is built::

    report_pages.register(app, settings, lambda: app[RUNTIME].services)
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web

from bot.config import Settings
from domain.compliance_html import as_html
from domain.report_links import COMPLIANCE_REPORT, ReportLinks, derive_key
from services import report_links
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


def links_for(settings: Settings) -> ReportLinks:
    """Links under the bot's own address. The key comes from the app registration's secret;
    in local mode (no secret; anyone who reaches the port can act as anyone anyway) from the
    database URL, so every worker of one deployment agrees on it."""
    secret = settings.app_password or f"local:{settings.database_url}"
    if settings.public_hostname:
        base = f"https://{settings.public_hostname}"
    else:
        host = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0", "::") else settings.host
        base = f"http://{host}:{settings.port}"
    return ReportLinks(derive_key(secret), base)


def register(app: web.Application, settings: Settings, services: Callable[[], Services]) -> None:
    """Serve the report page, and let the chat offer links to it."""
    links = links_for(settings)
    report_links.configure(links)

    async def compliance_page(request: web.Request) -> web.Response:
        found = services()
        now = found.clock.now()
        pk = links.person_in(COMPLIANCE_REPORT, request.query.get("t"), now)
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
