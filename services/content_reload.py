"""Telling every running bot to reload the content pack (`charter content reload`)."""

from __future__ import annotations

from storage.content_reloads import ContentReloadRequests
from storage.database import Database


async def request_content_reload(database: Database) -> int:
    """Ask running bots to reload the pack; the reload's number (running bots reload when
    it goes up)."""
    return await ContentReloadRequests(database).request()
