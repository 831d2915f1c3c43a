"""Which ``serviceUrl`` the bot may call: the one rule for inbound activities and every send.

Replies, roster look-ups, proactive messages and reminders all go to a conversation's
``serviceUrl``, and with authentication on each of those calls carries the bot's bearer
token for the Bot Connector. So the URL decides where that token goes. In local mode
(no ``MicrosoftAppId``) there is no token, but an unauthenticated caller could still make
the bot call a host of their choice; there only this machine is accepted.

Pure: no I/O, no SDK. ``refusal`` returns why a URL is refused (a fixed phrase, never the
URL, so it can be logged), or None when the bot may call it.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

# The Teams and Bot Framework service hosts. Teams' regional forms
# (https://smba.trafficmanager.net/uk/, /emea/, /amer/, /teams/ …) share one host; the US
# government clouds are the hosts the Microsoft 365 Agents SDK names in its
# TeamsServiceEndpoints (GCC, GCC High, DoD), and botframework.azure.us is the Bot
# Framework's US government channel service (GovernmentConstants.CHANNEL_SERVICE).
DEFAULT_SERVICE_HOSTS: tuple[str, ...] = (
    "smba.trafficmanager.net",
    "*.botframework.com",
    "smba.infra.gcc.teams.microsoft.com",
    "smba.infra.gov.teams.microsoft.us",
    "smba.infra.dod.teams.microsoft.us",
    "*.botframework.azure.us",
)

NOT_A_URL = "the service URL is not an http(s) URL"
HAS_USERINFO = "the service URL carries a user name or password"
NOT_LOOPBACK = "in local mode only a service URL on this machine is accepted"
NOT_HTTPS = "the service URL is not https"
NOT_ALLOWED = "the service URL's host is not a Teams or Bot Framework service host"


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1 (a bare host name or address, brackets allowed)."""
    host = host.strip().lower().removeprefix("[").removesuffix("]").rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_matches(host: str, pattern: str) -> bool:
    """``pattern`` is an exact host, or ``*.domain`` for any host below that domain."""
    host = host.lower().rstrip(".")
    pattern = pattern.strip().lower().rstrip(".")
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def refusal(url: object, *, local_mode: bool, allowed_hosts: Iterable[str]) -> str | None:
    """Why the bot must not call ``url`` (None: it may); see :func:`_refusal`.

    Asked twice a turn (the request, then the reply's connector client) about the few
    serviceUrls Teams uses: the answers are remembered (a bounded number of them). Only
    URLs of a real serviceUrl's length are remembered, so a caller sending long made-up
    URLs cannot fill memory with them (512 entries of at most 256 characters).
    """
    if not isinstance(url, str) or len(url) > REMEMBERED_URL_MAX_CHARS:
        return _refusal(url, local_mode=local_mode, allowed_hosts=tuple(allowed_hosts))
    return _remembered_refusal(url, local_mode, tuple(allowed_hosts))


# Teams' serviceUrls are under 60 characters (https://smba.trafficmanager.net/emea/).
REMEMBERED_URL_MAX_CHARS = 256


@functools.lru_cache(maxsize=512)
def _remembered_refusal(url: str, local_mode: bool, allowed_hosts: tuple[str, ...]) -> str | None:
    return _refusal(url, local_mode=local_mode, allowed_hosts=allowed_hosts)


def _refusal(url: object, *, local_mode: bool, allowed_hosts: tuple[str, ...]) -> str | None:
    """Why the bot must not call ``url`` (None: it may).

    Local mode: http(s) on a loopback host only. Authentication on: a host on the allow-list,
    over https (plain http only to a loopback host, which never leaves the machine). Never a
    URL with a user name or password in it (an HTTP client would turn it into Basic auth).
    """
    if not isinstance(url, str) or not url.isascii() or not url.isprintable():
        return NOT_A_URL
    if " " in url or "\\" in url:  # parsers disagree on these; no real serviceUrl has them
        return NOT_A_URL
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return NOT_A_URL
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return NOT_A_URL
    if "@" in parts.netloc:
        return HAS_USERINFO
    host = parts.hostname
    if local_mode:
        return None if is_loopback_host(host) else NOT_LOOPBACK
    if not any(host_matches(host, pattern) for pattern in allowed_hosts):
        return NOT_ALLOWED
    if parts.scheme != "https" and not is_loopback_host(host):
        return NOT_HTTPS
    return None
