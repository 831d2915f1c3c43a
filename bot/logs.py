"""Logging set-up: plain lines, no message text or personal data at INFO."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The SDK and HTTP client are chatty below WARNING and may log payloads at DEBUG.
    for noisy in ("botbuilder", "botframework", "msrest", "msal", "urllib3", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
