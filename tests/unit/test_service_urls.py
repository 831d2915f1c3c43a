"""Which serviceUrl the bot may call (bot.teams.service_urls): one rule, in and out."""

from __future__ import annotations

import pytest

from bot.teams.service_urls import (
    DEFAULT_SERVICE_HOSTS,
    HAS_USERINFO,
    NOT_A_URL,
    NOT_ALLOWED,
    NOT_HTTPS,
    NOT_LOOPBACK,
    is_loopback_host,
    refusal,
)


def local(url: object) -> str | None:
    return refusal(url, local_mode=True, allowed_hosts=DEFAULT_SERVICE_HOSTS)


def secured(url: object, hosts: tuple[str, ...] = DEFAULT_SERVICE_HOSTS) -> str | None:
    return refusal(url, local_mode=False, allowed_hosts=hosts)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:3978/",
        "http://127.10.0.1/",
        "http://localhost:56150",
        "http://LOCALHOST:56150/",
        "http://[::1]:8080/",
        "https://localhost/",
    ],
)
def test_local_mode_accepts_this_machine(url: str) -> None:
    assert local(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://smba.trafficmanager.net/uk/",
        "http://10.0.0.5/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0:3978/",
        "http://localhost.evil.example/",
        "http://127.0.0.1.nip.io/",
        "http://[::ffff:a00:1]/",
    ],
)
def test_local_mode_refuses_anything_else(url: str) -> None:
    assert local(url) == NOT_LOOPBACK


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@127.0.0.1:9/",
        "http://user@127.0.0.1:9/",
        "https://smba.trafficmanager.net@evil.example/",
        "https://x:y@smba.trafficmanager.net/uk/",
    ],
)
def test_userinfo_is_refused_in_both_modes(url: str) -> None:
    assert local(url) == HAS_USERINFO
    assert secured(url) == HAS_USERINFO


@pytest.mark.parametrize(
    "url",
    [
        None,
        42,
        "",
        "not a url",
        "ftp://127.0.0.1/",
        "javascript:alert(1)",
        "/relative/",
        "http://127.0.0.1:notaport/",
        "http://127.0.0.1\\@evil.example/",
        "http://127.0.0.1/\u00e9",
        "http://127.0.0.1/\n",
    ],
)
def test_what_is_not_an_http_url_is_refused(url: object) -> None:
    assert local(url) == NOT_A_URL
    assert secured(url) == NOT_A_URL


@pytest.mark.parametrize(
    "url",
    [
        "https://smba.trafficmanager.net/uk/",
        "https://smba.trafficmanager.net/emea/",
        "https://SMBA.trafficmanager.net./amer/",
        "https://smba.trafficmanager.net:443/teams/",
        "https://webchat.botframework.com/",
        "https://europe.webchat.botframework.com/",
        "https://smba.infra.gcc.teams.microsoft.com/teams",
        "https://smba.infra.gov.teams.microsoft.us/teams",
        "https://smba.infra.dod.teams.microsoft.us/teams",
        "https://x.botframework.azure.us/",
    ],
)
def test_with_authentication_the_teams_and_bot_framework_hosts_are_accepted(url: str) -> None:
    assert secured(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",
        "https://smba.trafficmanager.net.evil.example/uk/",
        "https://evilsmba.trafficmanager.net/",
        "https://botframework.com.evil.example/",
        "https://evilbotframework.com/",
        "https://botframework.com/",  # *.botframework.com is a subdomain, not the bare name
        "https://smba.infra.gov.teams.microsoft.us.evil.example/",
    ],
)
def test_with_authentication_other_hosts_are_refused(url: str) -> None:
    assert secured(url) == NOT_ALLOWED


def test_with_authentication_plain_http_is_refused_except_to_this_machine() -> None:
    assert secured("http://smba.trafficmanager.net/uk/") == NOT_HTTPS
    assert secured("http://127.0.0.1:9/", hosts=("127.0.0.1",)) is None
    assert secured("http://localhost:9/", hosts=("127.0.0.1",)) == NOT_ALLOWED


def test_loopback_hosts() -> None:
    assert is_loopback_host("127.0.0.1")
    assert is_loopback_host("127.255.0.9")
    assert is_loopback_host("::1")
    assert is_loopback_host("[::1]")
    assert is_loopback_host("localhost")
    assert not is_loopback_host("0.0.0.0")
    assert not is_loopback_host("::")
    assert not is_loopback_host("192.168.1.10")
    assert not is_loopback_host("charter.example")


def test_refusals_never_quote_the_url() -> None:
    """The reason is logged; a URL can carry a password or a person's conversation id."""
    url = "http://user:hunter2@10.0.0.1/v3/conversations/a:secret"
    for reason in (local(url), secured(url), local("http://10.0.0.1/a:secret")):
        assert reason is not None
        assert "hunter2" not in reason and "secret" not in reason and "10.0.0.1" not in reason


def test_long_urls_are_judged_but_never_remembered() -> None:
    """Verdicts are remembered for the few real serviceUrls, not for anything a caller sends.

    An unauthenticated caller can send any serviceUrl; remembering 512 of 250 KB each would
    hold 125 MB. A long URL still gets the same verdict as a short one, just not cached.
    """
    from bot.teams.service_urls import REMEMBERED_URL_MAX_CHARS, _remembered_refusal

    _remembered_refusal.cache_clear()
    long_loopback = "http://127.0.0.1:3978/" + "a" * 250_000
    long_foreign = "http://10.0.0.1/" + "b" * 250_000
    assert local(long_loopback) is None
    assert local(long_foreign) == NOT_LOOPBACK
    assert secured("https://smba.trafficmanager.net/uk/" + "c" * 250_000) is None
    assert _remembered_refusal.cache_info().currsize == 0

    short = "http://127.0.0.1:3978/"
    assert len(short) <= REMEMBERED_URL_MAX_CHARS
    assert local(short) is None
    assert local(short) is None
    info = _remembered_refusal.cache_info()
    assert (info.currsize, info.hits) == (1, 1)
