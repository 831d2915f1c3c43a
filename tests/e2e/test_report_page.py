"""HR gets the HTML compliance report from Teams: the card links to a page the bot serves,
for that HR admin only, for ten minutes. Anyone else's link, a tampered or an old one is
refused, and the page says nothing of the report."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

from bot.app import RUNTIME
from bot.report_pages import PATH
from domain.clock import FixedClock
from domain.report_links import COMPLIANCE_REPORT
from services.directory import Directory
from storage.database import Database
from tests.e2e.conftest import NOW
from tests.support.people import HELEN_HR, PRIYA_MANAGER
from tests.support.server import RunningBot
from tests.support.teams import ConnectorStandIn, activity

LINK = re.compile(r"https?://[^\s\"')\]]+" + re.escape(PATH) + r"\?t=[A-Za-z0-9_.=-]+")


async def page(bot: RunningBot, link: str) -> tuple[int, str]:
    parts = urlsplit(link)
    async with bot.session.get(f"{bot.url}{parts.path}?{parts.query}") as resp:
        return resp.status, await resp.text()


async def hr_link(bot: RunningBot, connector: ConnectorStandIn) -> str:
    connector.clear()
    await bot.post(activity(HELEN_HR, connector.url, text="compliance"))
    [message] = await connector.wait_for(1)
    found = LINK.search(json.dumps(message["attachments"][0]["content"]))
    assert found, "the compliance card offers HR the report page"
    return found.group(0)


async def test_hr_opens_the_report_from_the_link_on_the_card(
    bot: RunningBot, connector: ConnectorStandIn
) -> None:
    status, html = await page(bot, await hr_link(bot, connector))
    assert status == 200
    assert "<html" in html.lower() and "Community Services" in html
    assert "Do planned one-to-ones happen?" in html  # held / moved / missed (#18)


async def test_a_tampered_an_old_and_a_non_hr_link_are_refused(
    bot: RunningBot, connector: ConnectorStandIn, demo_db: Database
) -> None:
    directory = Directory(demo_db, FixedClock(NOW))
    helen = await directory.by_email(HELEN_HR.email)
    priya = await directory.by_email(PRIYA_MANAGER.email)
    assert helen is not None and priya is not None
    link = await hr_link(bot, connector)
    status, html = await page(bot, link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    assert status == 403 and "Community Services" not in html

    links = bot.runner.app[RUNTIME].services.report_links
    assert links is not None
    old = links.link(COMPLIANCE_REPORT, helen.id, NOW - timedelta(minutes=11))
    assert (await page(bot, old))[0] == 403

    # A signed link for someone who is not an HR admin (a manager's employee pk) is refused.
    manager = links.link(COMPLIANCE_REPORT, priya.id, NOW)
    assert (await page(bot, manager))[0] == 403
    assert (await page(bot, f"{PATH}"))[0] == 403
