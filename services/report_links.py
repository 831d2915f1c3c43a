"""Where the chat finds the bot's report links: set once when the web app starts
(``bot.report_pages.register``); unset (the CLI, dialog tests without a web app) means the
chat offers no link."""

from __future__ import annotations

from domain.report_links import ReportLinks

_links: ReportLinks | None = None


def configure(links: ReportLinks | None) -> None:
    global _links
    _links = links


def configured() -> ReportLinks | None:
    return _links
