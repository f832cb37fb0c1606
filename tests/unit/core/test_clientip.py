"""The one client-IP function: X-Forwarded-For is believed hop by hop, from configured proxies only."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from webob import Request as WebobRequest

from xueshi_core import clientip
from xueshi_core.clientip import client_ip, networks, request_ip


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("202.96.128.86", "", [], "202.96.128.86"),
        ("202.96.128.86", "8.8.8.8", [], "202.96.128.86"),  # no trusted proxy: the header is ignored
        ("172.18.0.5", "1.1.1.1, 61.135.169.121", ["172.16.0.0/12"], "61.135.169.121"),
        ("172.18.0.5", "61.135.169.121, 10.0.0.7", ["172.16.0.0/12", "10.0.0.0/8"], "61.135.169.121"),
        ("8.8.4.4", "61.135.169.121", ["172.16.0.0/12"], "8.8.4.4"),  # the peer is not our proxy
        ("172.18.0.5", "garbage", ["172.16.0.0/12"], "172.18.0.5"),
        ("not-an-ip", "", [], ""),
        ("172.18.0.5", "61.135.169.121", ["not/a/cidr", "172.16.0.0/12"], "61.135.169.121"),
        ("::1", "[2001:db8::7]", ["::1/128"], "2001:db8::7"),
    ],
)
def test_client_ip_trusts_forwarded_for_only_from_trusted_proxies(remote, forwarded, trusted, expected):
    assert client_ip(remote, forwarded, networks(trusted)) == expected


def test_a_lan_address_is_not_a_proxy_by_default():
    """A learner on a 10.x LAN behind Caddy must not choose the audited IP by sending the header."""
    request = RequestFactory().get("/", REMOTE_ADDR="10.20.30.40", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert request_ip(request) == "10.20.30.40"
    with override_settings(XUESHI_TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert request_ip(request) == "1.2.3.4"  # only when the operator says 10.x are proxies


def test_caddy_by_host_name_vouches_for_one_hop_only(monkeypatch):
    """Tutor names its Caddy; the learner's own forged hop before Caddy's is not believed."""
    monkeypatch.setattr(clientip, "_resolved", {})
    monkeypatch.setattr(
        clientip.socket, "getaddrinfo", lambda host, *a, **k: [(2, 1, 6, "", ("172.19.0.9", 0))]
    )
    request = RequestFactory().get("/", REMOTE_ADDR="172.19.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.1")
    with override_settings(XUESHI_TRUSTED_PROXIES=["caddy"]):
        assert request_ip(request) == "10.1.1.1"
        other = RequestFactory().get("/", REMOTE_ADDR="172.19.0.10", HTTP_X_FORWARDED_FOR="6.6.6.6")
        assert request_ip(other) == "172.19.0.10"


def test_an_unresolvable_proxy_name_trusts_nothing(monkeypatch):
    monkeypatch.setattr(clientip, "_resolved", {})

    def fail(*args, **kwargs):
        raise OSError("no such host")

    monkeypatch.setattr(clientip.socket, "getaddrinfo", fail)
    request = RequestFactory().get("/", REMOTE_ADDR="172.19.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    with override_settings(XUESHI_TRUSTED_PROXIES=["caddy"]):
        assert request_ip(request) == "172.19.0.9"


def test_xblock_handlers_read_the_same_way():
    """WebOb requests (XBlock handlers) go through the same function as Django requests."""
    request = WebobRequest.blank("/", environ={"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": "8.8.8.8"})
    assert request_ip(request) == "10.9.9.9"
    assert request_ip(WebobRequest.blank("/", environ={"REMOTE_ADDR": "bogus"})) is None
